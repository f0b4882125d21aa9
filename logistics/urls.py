from django.urls import path

from logistics.views import network as views
from logistics.views import seller, shipments

urlpatterns = [
    path("network/", views.network, name="network"),
    path("track/", shipments.track_lookup, name="track-lookup"),
    path("track/<str:tracking_number>/", shipments.track, name="track"),
    # The seller's hand-over button on the marketplace's seller pages starts the shipment.
    path(
        "seller/consignments/<int:pk>/hand-over/",
        seller.consignment_hand_over,
        name="seller-consignment-hand-over",
    ),
]
