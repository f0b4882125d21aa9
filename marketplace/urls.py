"""Marketplace pages: the catalog for buyers, the seller's pages, and accounts (under /accounts/)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from marketplace.views import accounts, catalog, seller

urlpatterns = [
    path("", catalog.home, name="home"),
    path("products/<int:pk>/", catalog.listing_detail, name="listing-detail"),
    path("shops/<slug:slug>/", catalog.shop_detail, name="shop-detail"),
    path("currency/", catalog.set_currency, name="set-currency"),
    path("seller/shop/", seller.seller_shop, name="seller-shop"),
    path("seller/listings/", seller.seller_listings, name="seller-listings"),
    path("seller/listings/new/", seller.listing_create_view, name="seller-listing-create"),
    path("seller/listings/<int:pk>/edit/", seller.listing_edit_view, name="seller-listing-edit"),
    path("seller/listings/<int:pk>/publish/", seller.listing_publish_view, name="seller-listing-publish"),
    path("seller/listings/<int:pk>/delete/", seller.listing_delete_view, name="seller-listing-delete"),
    path(
        "seller/listings/<int:pk>/images/<int:image_pk>/delete/",
        seller.listing_image_delete_view,
        name="seller-listing-image-delete",
    ),
]

account_urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("me/", accounts.account, name="account"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
