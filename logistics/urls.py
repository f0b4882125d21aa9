from django.urls import path

from logistics import views

urlpatterns = [
    path("network/", views.network, name="network"),
]
