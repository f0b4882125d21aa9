"""API v1 routes of the marketplace: accounts, products (listings), categories, shops and rates."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from marketplace.api import (
    accounts,
    catalog,
    checkout,
    declarations,
    listings,
    orders,
    payouts,
    shops,
    webhooks,
)

router = SimpleRouter()
router.register("products", listings.ProductViewSet, basename="product")
router.register("categories", catalog.CategoryViewSet, basename="category")
router.register("shops", shops.ShopViewSet, basename="shop")

urlpatterns = [
    path("auth/register/", accounts.RegisterView.as_view(), name="api-register"),
    path("auth/token/", accounts.TokenView.as_view(), name="api-token"),
    path("products/<int:pk>/images/", listings.ListingImageUploadView.as_view(), name="api-listing-images"),
    path(
        "products/<int:pk>/images/<int:image_id>/",
        listings.ListingImageDeleteView.as_view(),
        name="api-listing-image",
    ),
    *router.urls,
    path("rates/", catalog.RatesView.as_view(), name="api-rates"),
    path("hs-codes/", catalog.HsCodesView.as_view(), name="api-hs-codes"),
    path("checkout/quote/", checkout.CheckoutQuoteView.as_view(), name="api-checkout-quote"),
    path("orders/", orders.OrderListCreateView.as_view(), name="api-orders"),
    path("orders/<int:pk>/", orders.OrderDetailView.as_view(), name="api-order"),
    path("orders/<int:pk>/pay/", orders.OrderPayView.as_view(), name="api-order-pay"),
    path("orders/<int:pk>/cancel/", orders.OrderCancelView.as_view(), name="api-order-cancel"),
    path("seller/consignments/", orders.SellerConsignmentListView.as_view(), name="api-seller-consignments"),
    path(
        "seller/consignments/<int:pk>/declaration/",
        declarations.SellerDeclarationView.as_view(),
        name="api-seller-declaration",
    ),
    path(
        "seller/consignments/<int:pk>/invoice.pdf",
        declarations.CommercialInvoiceView.as_view(),
        name="api-seller-invoice",
    ),
    path(
        "seller/consignments/<int:pk>/packing-slip.pdf",
        declarations.PackingSlipView.as_view(),
        name="api-seller-packing-slip",
    ),
    path("seller/balance/", payouts.BalanceView.as_view(), name="api-seller-balance"),
    path(
        "seller/payout-methods/",
        payouts.PayoutMethodListCreateView.as_view(),
        name="api-seller-payout-methods",
    ),
    path("seller/payouts/", payouts.PayoutListCreateView.as_view(), name="api-seller-payouts"),
    path("webhooks/", webhooks.EndpointListCreateView.as_view(), name="api-webhooks"),
    path("webhooks/<int:pk>/", webhooks.EndpointDetailView.as_view(), name="api-webhook"),
    path("webhooks/<int:pk>/deliveries/", webhooks.DeliveryListView.as_view(), name="api-webhook-deliveries"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_pk>/replay/",
        webhooks.DeliveryReplayView.as_view(),
        name="api-webhook-replay",
    ),
]
