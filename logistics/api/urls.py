from django.urls import path
from rest_framework.routers import SimpleRouter

from logistics.api import network as views
from logistics.api import shipments

router = SimpleRouter()
router.register("hubs", views.HubViewSet, basename="hub")
router.register("lanes", views.LaneViewSet, basename="lane")

urlpatterns = [
    *router.urls,
    path("shipping/quotes/", views.ShippingQuoteView.as_view(), name="api-shipping-quote"),
    path(
        "shipments/<str:tracking_number>/",
        shipments.ShipmentTrackingView.as_view(),
        name="api-shipment-tracking",
    ),
    path("seller/shipments/", shipments.SellerShipmentListView.as_view(), name="api-seller-shipments"),
    path(
        "seller/consignments/<int:pk>/hand-over/",
        shipments.ConsignmentHandOverView.as_view(),
        name="api-consignment-hand-over",
    ),
]
