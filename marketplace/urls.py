from django.urls import include, path

from marketplace import views

urlpatterns = [
    path("", include("marketplace.catalog_urls")),
    path("seller/shop/", views.seller_shop, name="seller-shop"),
    path("seller/listings/", views.seller_listings, name="seller-listings"),
    path("seller/listings/new/", views.listing_create_view, name="seller-listing-create"),
    path("seller/listings/<int:pk>/edit/", views.listing_edit_view, name="seller-listing-edit"),
    path("seller/listings/<int:pk>/publish/", views.listing_publish_view, name="seller-listing-publish"),
    path("seller/listings/<int:pk>/delete/", views.listing_delete_view, name="seller-listing-delete"),
    path(
        "seller/listings/<int:pk>/images/<int:image_pk>/delete/",
        views.listing_image_delete_view,
        name="seller-listing-image-delete",
    ),
]
