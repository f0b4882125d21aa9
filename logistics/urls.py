from django.urls import path

from logistics.views import network as views

urlpatterns = [
    path("network/", views.network, name="network"),
]
