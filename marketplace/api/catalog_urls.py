"""Catalog API routes beyond products and categories (shops, rates): issue 3."""

urlpatterns: list = []
