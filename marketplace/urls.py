"""Marketplace pages: the catalog for buyers, the seller's pages, and accounts (under /accounts/)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from marketplace.views import (
    accounts,
    catalog,
    checkout,
    orders,
    seller,
    seller_badges,
    seller_orders,
    seller_payouts,
)

urlpatterns = [
    path("", catalog.home, name="home"),
    path("products/<int:pk>/", catalog.listing_detail, name="listing-detail"),
    path("shops/<slug:slug>/", catalog.shop_detail, name="shop-detail"),
    path("currency/", catalog.set_currency, name="set-currency"),
    path("deliver-to/", checkout.deliver_to, name="deliver-to"),
    path("cart/", checkout.cart, name="cart"),
    path("cart/add/<int:pk>/", checkout.cart_add_view, name="cart-add"),
    path("cart/items/<int:pk>/", checkout.cart_update_view, name="cart-update"),
    path("checkout/", checkout.checkout, name="checkout"),
    path("orders/", orders.order_list, name="order-list"),
    path("orders/<str:number>/", orders.order_detail, name="order-detail"),
    path("orders/<str:number>/pay/", orders.order_pay_view, name="order-pay"),
    path("orders/<str:number>/confirmation/", orders.order_confirmation, name="order-confirmation"),
    path("orders/<str:number>/cancel/", orders.order_cancel_view, name="order-cancel"),
    path("seller/", seller_orders.seller_home, name="seller-home"),
    path("seller/consignments/", seller_orders.seller_consignments, name="seller-consignments"),
    path(
        "seller/consignments/<int:pk>/",
        seller_orders.seller_consignment_detail,
        name="seller-consignment-detail",
    ),
    path("seller/shop/", seller.seller_shop, name="seller-shop"),
    path("seller/badges/", seller_badges.seller_badges, name="seller-badges"),
    path("badge-claims/<int:pk>/evidence/", seller_badges.badge_evidence, name="badge-evidence"),
    path("seller/payouts/", seller_payouts.seller_payouts, name="seller-payouts"),
    path("seller/payouts/<int:pk>/", seller_payouts.seller_payout_statement, name="seller-payout-statement"),
    path(
        "seller/payouts/<int:pk>/statement.csv",
        seller_payouts.seller_payout_statement_csv,
        name="seller-payout-statement-csv",
    ),
    path(
        "seller/payout-methods/<int:pk>/remove/",
        seller_payouts.seller_payout_method_remove,
        name="seller-payout-method-remove",
    ),
    path("seller/listings/", seller.seller_listings, name="seller-listings"),
    path("seller/listings/new/", seller.listing_create_view, name="seller-listing-create"),
    path("seller/hs-codes/", seller.hs_code_helper, name="seller-hs-codes"),
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
