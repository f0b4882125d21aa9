from django.urls import path
from rest_framework.routers import SimpleRouter

from logistics.api import network as views

router = SimpleRouter()
router.register("hubs", views.HubViewSet, basename="hub")
router.register("lanes", views.LaneViewSet, basename="lane")

urlpatterns = [
    *router.urls,
    path("shipping/quotes/", views.ShippingQuoteView.as_view(), name="api-shipping-quote"),
]
