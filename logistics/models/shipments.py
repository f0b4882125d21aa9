"""Shipments: a paid consignment on its way through the e-hub network, its planned legs, and the
capacity it booked on line-haul departures.

The status is a transition table beside its enum; every change goes through
`logistics.services.shipments` and appends a `TrackingEvent` (logistics.models.tracking).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from logistics.models.network import Hub, Lane, Mode
from logistics.routing.model import LegKind as PlannerLegKind
from logistics.routing.model import NoRouteReason
from logistics.tracking_numbers import LENGTH as TRACKING_NUMBER_LENGTH

AMOUNT = {"max_digits": 18, "decimal_places": 3}
WEIGHT = {"max_digits": 10, "decimal_places": 3}
DIMENSION = {"max_digits": 7, "decimal_places": 1, "null": True, "blank": True}


class ShipmentStatus(models.TextChoices):
    CREATED = "created", _("Created")  # the consignment was paid; waiting for its routing job
    ROUTING = "routing", _("Routing")  # a routing job has taken it and is planning the route
    ROUTED = "routed", _("Routed")  # legs planned, departures booked, delivery promised
    IN_TRANSIT = "in_transit", _("In transit")  # handed over: moving through the network
    DELIVERED = "delivered", _("Delivered")  # at the buyer's door
    EXCEPTION = "exception", _("Exception")  # cannot go on (no route, …): see the reason
    CANCELLED = "cancelled", _("Cancelled")  # its order was cancelled before hand-over


SHIPMENT_TRANSITIONS: dict[ShipmentStatus, frozenset[ShipmentStatus]] = {
    ShipmentStatus.CREATED: frozenset(
        {ShipmentStatus.ROUTING, ShipmentStatus.EXCEPTION, ShipmentStatus.CANCELLED}
    ),
    ShipmentStatus.ROUTING: frozenset(
        {ShipmentStatus.ROUTED, ShipmentStatus.EXCEPTION, ShipmentStatus.CANCELLED}
    ),
    # Back to routing when a hub on the route is suspended before hand-over.
    ShipmentStatus.ROUTED: frozenset(
        {
            ShipmentStatus.IN_TRANSIT,
            ShipmentStatus.ROUTING,
            ShipmentStatus.EXCEPTION,
            ShipmentStatus.CANCELLED,
        }
    ),
    ShipmentStatus.IN_TRANSIT: frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.EXCEPTION}),
    ShipmentStatus.DELIVERED: frozenset(),
    # An operator (or a resumed hub) sends it back to routing; the buyer may still cancel.
    ShipmentStatus.EXCEPTION: frozenset({ShipmentStatus.ROUTING, ShipmentStatus.CANCELLED}),
    ShipmentStatus.CANCELLED: frozenset(),
}

# Waiting for a routing job: the sweeper re-enqueues these when they wait too long.
AWAITING_ROUTE = (ShipmentStatus.CREATED, ShipmentStatus.ROUTING)


class ExceptionReason(models.TextChoices):
    NO_ORIGIN_HUB = NoRouteReason.NO_ORIGIN_HUB.value, _("No e-hub serves the origin country")
    NO_DESTINATION_HUB = NoRouteReason.NO_DESTINATION_HUB.value, _("No e-hub serves the destination")
    ORIGIN_HUBS_SUSPENDED = NoRouteReason.ORIGIN_HUBS_SUSPENDED.value, _("Origin hubs suspended")
    DESTINATION_HUBS_SUSPENDED = (
        NoRouteReason.DESTINATION_HUBS_SUSPENDED.value,
        _("Destination hubs suspended"),
    )
    NO_PATH = NoRouteReason.NO_PATH.value, _("No path through the network")
    NO_CAPACITY = "no_capacity", _("Every departure is full")


class LegKind(models.TextChoices):
    FIRST_MILE = PlannerLegKind.FIRST_MILE.value, _("First mile")  # seller → origin hub
    LINE_HAUL = PlannerLegKind.LINE_HAUL.value, _("Line haul")  # hub → hub on a lane
    LAST_MILE = PlannerLegKind.LAST_MILE.value, _("Last mile")  # destination hub → buyer


class Shipment(models.Model):
    """One per consignment: the parcel, its customs declaration, its route and its promise."""

    consignment = models.OneToOneField(
        "marketplace.Consignment",
        on_delete=models.PROTECT,
        related_name="shipment",
        verbose_name=_("consignment"),
    )
    tracking_number = models.CharField(_("tracking number"), max_length=TRACKING_NUMBER_LENGTH, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ShipmentStatus.choices, default=ShipmentStatus.CREATED
    )
    preference = models.CharField(_("delivery preference"), max_length=10)
    origin_country = CountryField(_("ships from"))
    destination_country = CountryField(_("ships to"))
    # The parcel.
    weight_kg = models.DecimalField(_("weight (kg)"), **WEIGHT)
    length_cm = models.DecimalField(_("length (cm)"), **DIMENSION)
    width_cm = models.DecimalField(_("width (cm)"), **DIMENSION)
    height_cm = models.DecimalField(_("height (cm)"), **DIMENSION)
    chargeable_weight_kg = models.DecimalField(_("chargeable weight (kg)"), **WEIGHT)
    # The customs declaration (incoterm DDP: duty and tax were paid with the order).
    hs_codes = models.JSONField(_("HS codes"), default=list)
    declared_value_amount = models.DecimalField(_("declared value"), **AMOUNT)
    declared_value_currency = models.CharField(_("declared value currency"), max_length=3)
    incoterm = models.CharField(_("incoterm"), max_length=3, default="DDP")
    duties_paid = models.BooleanField(_("duties and taxes paid"), default=False)
    # The promise: fixed when the route is first planned; `eta` is the current prediction.
    promised_delivery = models.DateTimeField(_("promised delivery"), null=True, blank=True)
    eta = models.DateTimeField(_("expected delivery"), null=True, blank=True)
    # Routing jobs.
    routing_requested_at = models.DateTimeField(_("routing requested"), db_index=True)
    routing_attempts = models.PositiveSmallIntegerField(_("routing attempts"), default=0)
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    exception_reason = models.CharField(
        _("exception reason"), max_length=32, choices=ExceptionReason.choices, blank=True
    )
    exception_detail = models.CharField(_("exception detail"), max_length=400, blank=True)
    # The simulated e-hub: how many of the parcel's timeline events are written, when the next is due.
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    simulation_step = models.PositiveSmallIntegerField(_("simulation step"), default=0)
    next_event_at = models.DateTimeField(_("next event due"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    # Held at (or on its way to) this hub because the hub is suspended or no path avoids an outage;
    # the simulation leaves it there until the network reopens (`logistics.services.rerouting`).
    waiting_at_hub = models.ForeignKey(
        Hub,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("waiting at hub"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweeper's question: who has waited too long for a route?
            models.Index(
                fields=["routing_requested_at"],
                condition=models.Q(status__in=["created", "routing"]),
                name="shipment_awaiting_route",
            ),
            # The simulation tick's question: whose next event is due?
            models.Index(
                fields=["next_event_at"],
                condition=models.Q(status="in_transit"),
                name="shipment_next_event_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight_kg__gt=0), name="shipment_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def dimensions_cm(self):
        if self.length_cm and self.width_cm and self.height_cm:
            return (self.length_cm, self.width_cm, self.height_cm)
        return None

    @property
    def is_late(self) -> bool:
        return bool(self.promised_delivery and self.eta and self.eta > self.promised_delivery)


class DepartureBooking(models.Model):
    """Kilograms booked on one departure of a lane. Incremented with a conditional UPDATE that never
    takes it past the lane's capacity; one row per departure (the unique constraint)."""

    lane = models.ForeignKey(Lane, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("lane"))
    departs_at = models.DateTimeField(_("departs"))
    booked_kg = models.DecimalField(_("booked (kg)"), default=0, **WEIGHT)
    parcels = models.PositiveIntegerField(_("parcels"), default=0)

    class Meta:
        verbose_name = _("departure booking")
        verbose_name_plural = _("departure bookings")
        ordering = ["departs_at", "lane"]
        constraints = [
            models.UniqueConstraint(fields=["lane", "departs_at"], name="departure_booking_unique"),
            models.CheckConstraint(
                condition=models.Q(booked_kg__gte=0), name="departure_booking_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lane_id} @ {self.departs_at:%Y-%m-%d %H:%M}: {self.booked_kg} kg"


class ShipmentLeg(models.Model):
    """One planned step of a shipment's route. (shipment, sequence) is unique, so a routing job that
    runs twice (redelivered after a crash, or raced by the sweeper) can never write legs twice."""

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="legs", verbose_name=_("shipment")
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    kind = models.CharField(_("kind"), max_length=16, choices=LegKind.choices)
    from_hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("from hub")
    )
    to_hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("to hub")
    )
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices)
    lane = models.ForeignKey(
        Lane, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("lane")
    )
    booking = models.ForeignKey(
        DepartureBooking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="legs",
        verbose_name=_("departure booking"),
    )
    planned_departure = models.DateTimeField(_("planned departure"))
    planned_arrival = models.DateTimeField(_("planned arrival"))
    actual_departure = models.DateTimeField(_("actual departure"), null=True, blank=True)
    actual_arrival = models.DateTimeField(_("actual arrival"), null=True, blank=True)
    # Sorting at `to_hub`, booked by the simulation when the parcel arrives: the hub's local day it
    # is sorted on, and how long the hub's backlog made it wait for that day (0 when it had room).
    sort_day = models.DateField(_("sorted on (hub's local date)"), null=True, blank=True)
    sort_delay = models.DurationField(_("sort backlog delay"), default=timedelta(0))
    chargeable_weight_kg = models.DecimalField(_("chargeable weight (kg)"), **WEIGHT)
    cost_amount = models.DecimalField(_("cost"), **AMOUNT)
    cost_currency = models.CharField(_("cost currency"), max_length=3)

    class Meta:
        verbose_name = _("leg")
        verbose_name_plural = _("legs")
        ordering = ["shipment", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "sequence"], name="shipment_leg_sequence_unique"),
            models.CheckConstraint(
                condition=models.Q(planned_arrival__gte=models.F("planned_departure")),
                name="shipment_leg_arrives_after_departing",
            ),
        ]

    def __str__(self) -> str:
        ends = (self.from_hub_id and self.from_hub.code or "·", self.to_hub_id and self.to_hub.code or "·")
        return f"{self.sequence}. {ends[0]} → {ends[1]} ({self.kind})"
