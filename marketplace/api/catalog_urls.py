"""Catalog API routes beyond products and categories: shops and exchange rates (issue 3)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from marketplace.api import catalog_views

router = SimpleRouter()
router.register("shops", catalog_views.ShopViewSet, basename="shop")

urlpatterns = [
    *router.urls,
    path("rates/", catalog_views.RatesView.as_view(), name="api-rates"),
]
