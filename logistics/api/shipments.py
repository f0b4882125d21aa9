"""API v1 for shipments: public tracking by number, and the seller's hand-over.

The public view carries no personal data: no buyer name, address, phone or e-mail — only the
countries at either end, the hubs and the events.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ewtp.throttles import TrackingLookupThrottle
from logistics.models import Shipment
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
