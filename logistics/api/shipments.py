"""API v1 for shipments: public tracking by number, the seller's shipments and hand-over.

The public view carries no personal data: no buyer name, address, phone or e-mail — only the
countries at either end, the hubs and the events.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ewtp.throttles import TrackingLookupThrottle
from logistics.api.network import CarrierRefSerializer
from logistics.models import LegKind, Shipment, ShipmentStatus
from logistics.selectors import shipments as selectors
from logistics.services.shipments import shipment_hand_over


class HubRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()
    timezone = serializers.CharField()


class ShipmentLegSerializer(serializers.Serializer):
    sequence = serializers.IntegerField()
    kind = serializers.CharField()
    from_hub = HubRefSerializer(allow_null=True)
    to_hub = HubRefSerializer(allow_null=True)
    mode = serializers.CharField()
    planned_departure = serializers.DateTimeField()
    planned_arrival = serializers.DateTimeField()
    actual_departure = serializers.DateTimeField(allow_null=True)
    actual_arrival = serializers.DateTimeField(allow_null=True)
    carrier = CarrierRefSerializer(
        allow_null=True, help_text="Who operates the leg; null for first/last mile"
    )


class TrackingEventSerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    local_time = serializers.CharField(help_text=_("The time at the hub, ISO 8601 with its offset."))
    status = serializers.CharField()
    substatus = serializers.CharField()
    hub = serializers.CharField(allow_null=True)
    description = serializers.CharField()


class ShipmentExceptionSerializer(serializers.Serializer):
    reason = serializers.CharField()
    detail = serializers.CharField()


class PublicShipmentSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    origin_country = serializers.CharField()
    destination_country = serializers.CharField()
    promised_delivery = serializers.DateTimeField(allow_null=True)
    eta = serializers.DateTimeField(allow_null=True)
    late = serializers.BooleanField()
    exception = ShipmentExceptionSerializer(allow_null=True)
    legs = ShipmentLegSerializer(many=True)
    events = TrackingEventSerializer(many=True)


def _hub(hub) -> dict | None:
    if hub is None:
        return None
    return {"code": hub.code, "city": hub.city, "country": hub.country.code, "timezone": hub.timezone}


def public_payload(shipment: Shipment) -> dict:
    return {
        "tracking_number": shipment.tracking_number,
        "status": shipment.status,
        "status_label": str(shipment.get_status_display()),
        "origin_country": shipment.origin_country.code,
        "destination_country": shipment.destination_country.code,
        "promised_delivery": shipment.promised_delivery,
        "eta": shipment.eta,
        "late": shipment.is_late,
        "exception": (
            {"reason": shipment.exception_reason, "detail": shipment.exception_detail}
            if shipment.exception_reason
            else None
        ),
        "legs": [
            {
                "sequence": leg.sequence,
                "kind": leg.kind,
                "from_hub": _hub(leg.from_hub),
                "to_hub": _hub(leg.to_hub),
                "mode": leg.mode,
                "planned_departure": leg.planned_departure,
                "planned_arrival": leg.planned_arrival,
                "actual_departure": leg.actual_departure,
                "actual_arrival": leg.actual_arrival,
                "carrier": (
                    {"code": leg.lane.carrier.code, "name": leg.lane.carrier.name}
                    if leg.lane is not None and leg.lane.carrier is not None
                    else None
                ),
            }
            for leg in shipment.legs.all()
        ],
        "events": [
            {
                "occurred_at": event.occurred_at,
                "local_time": event.local_time.isoformat(),
                "status": event.status,
                "substatus": event.substatus,
                "hub": event.location_code or None,
                "description": event.description,
            }
            for event in shipment.events.all()
        ],
    }


class ShipmentTrackingView(APIView):
    """Public tracking: anyone with the number sees the parcel's route and events, nothing personal."""

    permission_classes = [AllowAny]
    throttle_classes = [TrackingLookupThrottle]

    @extend_schema(
        responses={
            200: PublicShipmentSerializer,
            404: OpenApiResponse(description="Unknown tracking number"),
        },
        summary="Track a shipment by its tracking number",
    )
    def get(self, request, tracking_number: str):
        shipment = selectors.shipment_get_public(tracking_number)
        if shipment is None:
            raise NotFound(_("No shipment has this tracking number."))
        return Response(PublicShipmentSerializer(public_payload(shipment)).data)


class ConsignmentHandOverView(APIView):
    """The seller hands the parcel to the first-mile courier."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            200: PublicShipmentSerializer,
            404: OpenApiResponse(description="Not a paid consignment of the caller's shop"),
            409: OpenApiResponse(description="Not routed yet, or already handed over"),
        },
        summary="Hand a consignment over to the first-mile courier",
    )
    def post(self, request, pk: int):
        consignment = selectors.consignment_get_for_seller(request.user, pk)
        if consignment is None:
            raise NotFound(_("No consignment of your shop has this id."))
        shipment = shipment_hand_over(consignment=consignment, actor=request.user)
        shipment = selectors.shipment_get_public(shipment.tracking_number)
        return Response(PublicShipmentSerializer(public_payload(shipment)).data)


# --- The seller's shipments ----------------------------------------------------------------------


class IsSeller(BasePermission):
    """Signed-in sellers only: a buyer or an operator has no shop whose parcels to list (403)."""

    message = _("Only sellers have shipments.")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_seller)


class HubPlaceSerializer(serializers.Serializer):
    code = serializers.CharField()
    city = serializers.CharField()


class SellerShipmentSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    status = serializers.ChoiceField(choices=ShipmentStatus.choices)
    consignment = serializers.IntegerField(help_text=_("The consignment's id."))
    order = serializers.CharField(help_text=_("The order's number."))
    drop_off_hub = HubPlaceSerializer(
        allow_null=True, help_text=_("Where the parcel goes on its first mile; null until it is routed.")
    )
    route = HubPlaceSerializer(many=True, help_text=_("The hubs the parcel passes, in order."))
    promised_delivery = serializers.DateTimeField(allow_null=True)
    eta = serializers.DateTimeField(allow_null=True)
    late = serializers.BooleanField()
    exception_reason = serializers.CharField(help_text=_("Empty unless the shipment is in exception."))
    exception_detail = serializers.CharField()
    handed_over_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)


def _place(hub) -> dict:
    return {"code": hub.code, "city": hub.city}


def seller_payload(shipment: Shipment) -> dict:
    """From the prefetched legs: no query of its own."""
    legs = list(shipment.legs.all())
    first_mile = next((leg for leg in legs if leg.kind == LegKind.FIRST_MILE), None)
    return {
        "tracking_number": shipment.tracking_number,
        "status": shipment.status,
        "consignment": shipment.consignment_id,
        "order": shipment.consignment.order.number,
        "drop_off_hub": _place(first_mile.to_hub) if first_mile and first_mile.to_hub else None,
        "route": [_place(leg.to_hub) for leg in legs if leg.to_hub is not None],
        "promised_delivery": shipment.promised_delivery,
        "eta": shipment.eta,
        "late": shipment.is_late,
        "exception_reason": shipment.exception_reason,
        "exception_detail": shipment.exception_detail,
        "handed_over_at": shipment.handed_over_at,
        "delivered_at": shipment.delivered_at,
    }


class SellerShipmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ShipmentStatus.choices)

    class Meta:
        model = Shipment
        fields = ["status"]


@extend_schema_view(
    get=extend_schema(
        summary="The parcels of the caller's shops",
        responses={
            200: SellerShipmentSerializer(many=True),
            401: OpenApiResponse(description="Not signed in"),
            403: OpenApiResponse(description="Not a seller"),
        },
    )
)
class SellerShipmentListView(ListAPIView):
    """Shipments of the caller's own shops only, newest first; `?status=in_transit` filters."""

    permission_classes = [IsAuthenticated, IsSeller]
    serializer_class = SellerShipmentSerializer
    filterset_class = SellerShipmentFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Shipment.objects.none()
        return selectors.shipments_for_seller(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            SellerShipmentSerializer([seller_payload(shipment) for shipment in page], many=True).data
        )
