from django.urls import path

from logistics.views import network as views
from logistics.views import shipments

urlpatterns = [
    path("network/", views.network, name="network"),
    path("track/<str:tracking_number>/", shipments.track, name="track"),
]
