"""API v1 for the e-hub network: hubs, lanes and shipping quotes (thin adapters over selectors)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from logistics import selectors
from logistics.api.serializers import HubSerializer, LaneSerializer, QuoteSerializer, ShippingQuoteSerializer
from logistics.models import Lane
from logistics.routing.planner import Preference


class HubViewSet(viewsets.ReadOnlyModelViewSet):
    """E-hubs and gateways, looked up by their IATA-style code (`/hubs/KUL/`)."""

    serializer_class = HubSerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{3}"
    permission_classes = [AllowAny]
    filterset_fields = ["status", "country"]

    def get_queryset(self):
        return selectors.hubs_public()

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


class LaneFilter(django_filters.FilterSet):
    origin = django_filters.CharFilter(field_name="origin__code", lookup_expr="iexact")
    destination = django_filters.CharFilter(field_name="destination__code", lookup_expr="iexact")

    class Meta:
        model = Lane
        fields = ["origin", "destination", "mode", "is_active"]


class LaneViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Lanes, one direction each; filter with `?origin=KUL&destination=BKK&mode=road`."""

    serializer_class = LaneSerializer
    permission_classes = [AllowAny]
    filterset_class = LaneFilter

    def get_queryset(self):
        return selectors.lanes_public()


def route_data(route) -> dict:
    return {
        "legs": route.legs,
        "cost": route.cost,
        "currency": route.currency,
        "chargeable_weight_kg": route.chargeable_weight_kg,
        "estimated_delivery": route.estimated_delivery,
        "transit_hours": route.transit_hours,
    }


class ShippingQuoteView(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "quotes"

    @extend_schema(
        request=ShippingQuoteSerializer,
        responses={
            200: QuoteSerializer,
            400: OpenApiResponse(
                description="Invalid input (unknown country, weight ≤ 0 or over 1,000 kg) or no route "
                "(`code`: `no_route`, `detail` says why)"
            ),
        },
        summary="Quote shipping for a parcel over the e-hub network",
    )
    def post(self, request):
        serializer = ShippingQuoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        quote = selectors.shipping_quote(
            origin_country=data["origin_country"],
            destination_country=data["destination_country"],
            weight_kg=data["weight_kg"],
            dimensions_cm=data.get("dimensions_cm"),
            preference=Preference(data["preference"]),
            ready_at=data.get("ready_at"),
        )
        body = {
            **route_data(quote.route),
            "preference": quote.request.preference.value,
            "alternatives": [route_data(route) for route in quote.alternatives],
        }
        return Response(QuoteSerializer(body).data)
