"""API v1 for the e-hub network: hubs, lanes and shipping quotes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from logistics.models import Hub, Lane
from logistics.routing.model import MAX_PARCEL_KG, LegKind, Mode, Preference
from logistics.selectors import load as load_selectors
from logistics.selectors import network as selectors

MAX_SIDE_CM = Decimal(300)
READY_AT_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
READY_AT_AHEAD = timedelta(days=366)


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{2}$", "example": "KE"})
class CountryCodeField(CountryField):
    """An ISO-3166 alpha-2 code, documented as a pattern rather than the 250-value enum: the fuzzer
    would quote every one of them (a code that is not one, `AA`, is a 400 saying so)."""


class HubSerializer(serializers.ModelSerializer):
    country = CountryCodeField()
    serves_countries = serializers.SerializerMethodField()
    capabilities = serializers.SerializerMethodField()

    class Meta:
        model = Hub
        fields = [
            "code",
            "name",
            "city",
            "country",
            "latitude",
            "longitude",
            "timezone",
            "is_ewtp_ehub",
            "capabilities",
            "handling_hours",
            "import_clearance_hours",
            "sort_capacity_per_day",
            "serves_countries",
            "status",
            "status_reason",
            "status_until",
        ]

    def get_serves_countries(self, hub: Hub) -> list[str]:
        return [country.code for country in hub.serves_countries]

    def get_capabilities(self, hub: Hub) -> list[str]:
        """Of `customs_clearance`, `bonded_warehouse`, `fulfilment`."""
        return [
            name for name in ("customs_clearance", "bonded_warehouse", "fulfilment") if getattr(hub, name)
        ]


class ScheduleSerializer(serializers.Serializer):
    weekdays = serializers.ListField(child=serializers.IntegerField(), help_text="0 = Monday … 6 = Sunday")
    departure_times = serializers.ListField(
        child=serializers.CharField(), help_text="HH:MM, origin local time"
    )
    timezone = serializers.CharField(help_text="The origin hub's IANA time zone")


class LaneSerializer(serializers.ModelSerializer):
    origin = serializers.CharField(source="origin.code")
    destination = serializers.CharField(source="destination.code")
    schedule = serializers.SerializerMethodField()
    departures_per_week = serializers.IntegerField()
    cost_per_kg = serializers.DecimalField(source="cost_per_kg_amount", max_digits=10, decimal_places=4)
    min_charge = serializers.DecimalField(source="min_charge_amount", max_digits=10, decimal_places=2)

    class Meta:
        model = Lane
        fields = [
            "id",
            "origin",
            "destination",
            "mode",
            "schedule",
            "departures_per_week",
            "cutoff_hours",
            "transit_hours",
            "cost_per_kg",
            "min_charge",
            "currency",
            "capacity_kg_per_departure",
            "is_active",
        ]

    def get_schedule(self, lane: Lane) -> ScheduleSerializer:
        return {
            "weekdays": sorted(set(lane.departure_weekdays)),
            "departure_times": sorted(set(lane.departure_times)),
            "timezone": lane.origin.timezone,
        }


UNKNOWN_COUNTRY = {"invalid_choice": _("“{input}” is not a country code (ISO-3166 alpha-2, e.g. KE).")}


class ShippingQuoteSerializer(serializers.Serializer):
    origin_country = CountryCodeField(
        help_text="ISO-3166 alpha-2, where the seller ships from", error_messages=UNKNOWN_COUNTRY
    )
    destination_country = CountryCodeField(
        help_text="ISO-3166 alpha-2, where the buyer lives", error_messages=UNKNOWN_COUNTRY
    )
    weight_kg = serializers.DecimalField(
        max_digits=9,
        decimal_places=3,
        min_value=Decimal("0.001"),
        error_messages={"min_value": _("The weight must be more than 0 kg.")},
    )
    dimensions_cm = serializers.ListField(
        child=serializers.DecimalField(max_digits=7, decimal_places=1),
        min_length=3,
        max_length=3,
        required=False,
        allow_null=True,
        help_text="[length, width, height] in cm; air freight charges volumetric weight L×W×H/6000",
    )
    preference = serializers.ChoiceField(
        choices=[p.value for p in Preference], default=Preference.BALANCED.value
    )
    ready_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="When the parcel is ready for pick-up; default now. From 2000 (past dates quote "
        "the timetable as it runs today) to at most 366 days ahead.",
    )

    def validate_ready_at(self, value: datetime | None) -> datetime | None:
        """Bounded: the planner's timeline runs days past `ready_at`, and a far date overflowed
        (`9999-12-15` was a 500)."""
        if value is None:
            return None
        if not READY_AT_EARLIEST <= value <= timezone.now() + READY_AT_AHEAD:
            raise serializers.ValidationError(_("Give a ready time from 2000 up to 366 days from now."))
        return value

    def validate_weight_kg(self, value: Decimal) -> Decimal:
        if value <= 0:
            raise serializers.ValidationError(_("The weight must be more than 0 kg."))
        if value > MAX_PARCEL_KG:
            raise serializers.ValidationError(
                _("A parcel weighs at most 1,000 kg; book heavier consignments as freight.")
            )
        return value

    def validate_dimensions_cm(self, value: list[Decimal] | None) -> tuple[Decimal, Decimal, Decimal] | None:
        if not value:
            return None
        if any(side <= 0 for side in value):
            raise serializers.ValidationError(_("Every dimension must be more than 0 cm."))
        if any(side > MAX_SIDE_CM for side in value):
            raise serializers.ValidationError(_("A parcel side is at most 300 cm."))
        return (value[0], value[1], value[2])


class CarrierRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class LegSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[k.value for k in LegKind])
    from_hub = serializers.CharField(allow_null=True, help_text="Hub code; null for the seller's address")
    to_hub = serializers.CharField(allow_null=True, help_text="Hub code; null for the buyer's address")
    mode = serializers.ChoiceField(choices=[m.value for m in Mode])
    departs_at = serializers.DateTimeField()
    arrives_at = serializers.DateTimeField()
    cost = serializers.DecimalField(max_digits=12, decimal_places=2)
    carrier = CarrierRefSerializer(
        allow_null=True, help_text="Who operates the leg; null for first/last mile"
    )

    def get_fields(self):
        # `from` and `to` are Python keywords, so the fields are declared under other names.
        fields = super().get_fields()
        fields["from"] = fields.pop("from_hub")
        fields["to"] = fields.pop("to_hub")
        fields["from"].source = "from_hub"
        fields["to"].source = "to_hub"
        return {
            name: fields[name]
            for name in ("kind", "from", "to", "mode", "departs_at", "arrives_at", "cost", "carrier")
        }


class RouteSerializer(serializers.Serializer):
    legs = LegSerializer(many=True)
    cost = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    chargeable_weight_kg = serializers.DecimalField(max_digits=12, decimal_places=3)
    estimated_delivery = serializers.DateTimeField()
    promised_delivery = serializers.DateTimeField(
        help_text="The date a buyer would be promised for this route: the ETA plus the network's "
        "buffer, to the end of that day at the destination (issue 19's one promise)."
    )
    transit_hours = serializers.DecimalField(max_digits=8, decimal_places=1)


class QuoteSerializer(RouteSerializer):
    preference = serializers.ChoiceField(choices=[p.value for p in Preference])
    alternatives = RouteSerializer(many=True)


class HubLoadSerializer(serializers.Serializer):
    hub = serializers.CharField(source="hub.code", help_text="The hub's code")
    hub_status = serializers.CharField(source="hub.status", help_text="active, degraded or suspended")
    at_hub = serializers.IntegerField(help_text="Parcels that arrived here and have not left yet")
    awaiting_sort = serializers.IntegerField(help_text="Of those, parcels not sorted yet (the backlog)")
    inbound = serializers.IntegerField(help_text="Parcels on a leg to this hub now")
    sort_capacity_per_day = serializers.IntegerField()
    sorted_last_24h = serializers.IntegerField(help_text="Parcels sorted here in the last 24 hours")
    utilisation = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        allow_null=True,
        help_text="(sorted in the last 24 hours + backlog) ÷ daily sort capacity; null without a capacity",
    )
    status = serializers.ChoiceField(
        choices=load_selectors.LoadStatus.values,
        help_text="normal below 0.75 utilisation, busy below 1, overloaded from 1; unknown: no capacity",
    )
    held_in_customs = serializers.IntegerField(help_text="Parcels customs hold here, not released yet")
    late = serializers.IntegerField(
        help_text="Parcels at or on their way to this hub expected after their promised delivery"
    )
    as_of = serializers.DateTimeField(help_text="The (simulated) time of these figures")


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

    @extend_schema(
        responses={200: HubLoadSerializer, 404: OpenApiResponse(description="Unknown hub code")},
        summary="A hub's load now: parcels there and on their way, sort backlog, customs holds, late",
    )
    @action(detail=True, methods=["get"], url_path="load", filterset_fields=[], pagination_class=None)
    def load(self, request, code: str):
        """Operational figures, not personal data: public like the rest of the network."""
        load = load_selectors.hub_load(code)
        if load is None:
            raise NotFound(_("No hub has this code."))
        return Response(HubLoadSerializer(load).data)


class StrictBooleanField(forms.NullBooleanField):
    """`true` or `false`, empty for no filter; anything else is a 400, not ignored
    (django-filter's default reads `?is_active=null` as no filter: the schema says boolean)."""

    widget = forms.TextInput

    def to_python(self, value):
        text = str(value).strip().lower() if value is not None else ""
        if text == "":
            return None
        if text == "true":
            return True
        if text == "false":
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class LaneFilter(django_filters.FilterSet):
    origin = django_filters.CharFilter(field_name="origin__code", lookup_expr="iexact")
    destination = django_filters.CharFilter(field_name="destination__code", lookup_expr="iexact")
    is_active = StrictBooleanFilter()

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
    carriers = selectors.carriers_of_lanes([leg.lane_id for leg in route.legs if leg.lane_id])
    return {
        "legs": [{**_leg_fields(leg), "carrier": carriers.get(leg.lane_id)} for leg in route.legs],
        "cost": route.cost,
        "currency": route.currency,
        "chargeable_weight_kg": route.chargeable_weight_kg,
        "estimated_delivery": route.estimated_delivery,
        "promised_delivery": selectors.delivery_promise(route),
        "transit_hours": route.transit_hours,
    }


def _leg_fields(leg) -> dict:
    names = ("kind", "from_hub", "to_hub", "mode", "departs_at", "arrives_at", "cost")
    return {name: getattr(leg, name) for name in names}


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
