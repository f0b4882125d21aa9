"""Buyer-facing catalog pages (home and search, product, shop, currency picker)."""

from django.urls import path

from marketplace import catalog_views

urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("products/<int:pk>/", catalog_views.listing_detail, name="listing-detail"),
    path("shops/<slug:slug>/", catalog_views.shop_detail, name="shop-detail"),
    path("currency/", catalog_views.set_currency, name="set-currency"),
]
