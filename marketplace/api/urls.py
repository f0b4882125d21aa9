from django.urls import include, path
from rest_framework.routers import SimpleRouter

from marketplace.api import images, views

router = SimpleRouter()
router.register("products", views.ProductViewSet, basename="product")
router.register("categories", views.CategoryViewSet, basename="category")

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="api-register"),
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("products/<int:pk>/images/", images.ListingImageUploadView.as_view(), name="api-listing-images"),
    path(
        "products/<int:pk>/images/<int:image_id>/",
        images.ListingImageDeleteView.as_view(),
        name="api-listing-image",
    ),
    *router.urls,
    path("", include("marketplace.api.catalog_urls")),
]
