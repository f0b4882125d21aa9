from django.urls import include, path

from bench.baseline import baseline

urlpatterns = [
    path("bench/baseline/", baseline, name="bench-baseline"),
    path("", include("ewtp.urls")),
]
