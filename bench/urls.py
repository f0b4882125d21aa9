from django.urls import include, path

from bench.baseline import baseline
from bench.baseline_order import baseline_order

urlpatterns = [
    path("bench/baseline/", baseline, name="bench-baseline"),
    path("bench/baseline/order/", baseline_order, name="bench-baseline-order"),
    path("", include("ewtp.urls")),
]
