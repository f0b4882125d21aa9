"""Logistics models: the e-hub network (hubs, lanes, first/last-mile services) and hub events."""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from logistics.routing.model import HubStatus as PlannerHubStatus
from logistics.routing.model import Mode as PlannerMode

USD = "USD"
TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def validate_timezone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("“%(value)s” is not an IANA time zone."), params={"value": value}) from None


def validate_weekdays(value: object) -> None:
    if not isinstance(value, list) or any(not isinstance(day, int) or not 0 <= day <= 6 for day in value):
        raise ValidationError(_("Weekdays are numbers from 0 (Monday) to 6 (Sunday)."))


def validate_departure_times(value: object) -> None:
    if not isinstance(value, list) or any(not isinstance(t, str) or not TIME_PATTERN.match(t) for t in value):
        raise ValidationError(_("Departure times are 24-hour “HH:MM” local times."))


class HubStatus(models.TextChoices):
    ACTIVE = PlannerHubStatus.ACTIVE.value, _("Active")  # handles parcels normally
    DEGRADED = PlannerHubStatus.DEGRADED.value, _("Degraded")  # handles parcels with a delay
    SUSPENDED = PlannerHubStatus.SUSPENDED.value, _("Suspended")  # takes no parcels; never routed through


# Any status may follow any other; resuming always returns to active.
HUB_TRANSITIONS: dict[HubStatus, frozenset[HubStatus]] = {
    HubStatus.ACTIVE: frozenset({HubStatus.DEGRADED, HubStatus.SUSPENDED}),
    HubStatus.DEGRADED: frozenset({HubStatus.ACTIVE, HubStatus.SUSPENDED}),
    HubStatus.SUSPENDED: frozenset({HubStatus.ACTIVE, HubStatus.DEGRADED}),
}


class Mode(models.TextChoices):
    AIR = PlannerMode.AIR.value, _("Air")
    ROAD = PlannerMode.ROAD.value, _("Road")
    SEA = PlannerMode.SEA.value, _("Sea")
    RAIL = PlannerMode.RAIL.value, _("Rail")


class Hub(models.Model):
    """An e-hub or gateway: where parcels are sorted, cleared and handed between lanes."""

    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Three capital letters, IATA style (e.g. HGH)."))],
    )
    name = models.CharField(_("name"), max_length=120)
    city = models.CharField(_("city"), max_length=120)
    country = CountryField(_("country"))
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_timezone],
        help_text=_("IANA name, e.g. Asia/Shanghai"),
    )
    is_ewtp_ehub = models.BooleanField(_("eWTP e-hub"), default=False)
    customs_clearance = models.BooleanField(_("customs clearance"), default=True)
    bonded_warehouse = models.BooleanField(_("bonded warehouse"), default=False)
    fulfilment = models.BooleanField(_("fulfilment"), default=False)
    handling_hours = models.PositiveSmallIntegerField(
        _("handling hours"), default=4, help_text=_("Sorting time for every parcel passing through.")
    )
    import_clearance_hours = models.PositiveSmallIntegerField(
        _("import clearance hours"), default=24, help_text=_("Customs time for parcels imported here.")
    )
    sort_capacity_per_day = models.PositiveIntegerField(_("sort capacity (parcels/day)"), default=0)
    promise_buffer_hours = models.PositiveSmallIntegerField(
        _("promise buffer (hours)"),
        null=True,
        blank=True,
        help_text=_(
            "Added to the route's ETA for parcels delivered from this hub before the buyer is promised a "
            "date (missed departures, holds, outages). Empty: the network's default."
        ),
    )
    serves_countries = CountryField(
        _("countries served"),
        multiple=True,
        blank=True,
        help_text=_("Sellers in these countries ship first mile here; buyers there get last mile from here."),
    )
    status = models.CharField(_("status"), max_length=16, choices=HubStatus.choices, default=HubStatus.ACTIVE)
    status_reason = models.CharField(_("status reason"), max_length=240, blank=True)
    status_until = models.DateTimeField(
        _("status until"), null=True, blank=True, help_text=_("When operators expect the hub back to normal.")
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class Carrier(models.Model):
    """A logistics firm that operates lanes (issue 21). Suspending one takes its lanes out of
    routing and re-plans the parcels booked on them, as suspending a hub does."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=120)
    service_levels = models.JSONField(_("service levels"), default=list, blank=True)
    tracking_prefix = models.CharField(_("tracking prefix"), max_length=4, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_active = models.BooleanField(_("operating"), default=True)
    status_reason = models.CharField(_("why suspended"), max_length=240, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Lane(models.Model):
    """One direction between two hubs on one mode, with a weekly schedule in the origin's local time."""

    origin = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="lanes_out", verbose_name=_("origin hub")
    )
    destination = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="lanes_in", verbose_name=_("destination hub")
    )
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.AIR)
    carrier = models.ForeignKey(
        Carrier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lanes",
        verbose_name=_("carrier"),
    )
    departure_weekdays = models.JSONField(
        _("departure weekdays"),
        default=list,
        validators=[validate_weekdays],
        help_text=_("0 = Monday … 6 = Sunday."),
    )
    departure_times = models.JSONField(
        _("departure times"),
        default=list,
        validators=[validate_departure_times],
        help_text=_("Local times at the origin hub, “HH:MM”."),
    )
    cutoff_hours = models.PositiveSmallIntegerField(
        _("cut-off (hours)"), default=6, help_text=_("Parcels must be ready this long before departure.")
    )
    transit_hours = models.PositiveSmallIntegerField(_("transit hours"))
    cost_per_kg_amount = models.DecimalField(
        _("cost per kg"), max_digits=10, decimal_places=4, validators=[MinValueValidator(Decimal(0))]
    )
    min_charge_amount = models.DecimalField(
        _("minimum charge"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=[(USD, "USD")],
        default=USD,
        help_text=_("Lane rates are in USD."),
    )
    capacity_kg_per_departure = models.PositiveIntegerField(_("capacity per departure (kg)"))
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=240, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("lane")
        verbose_name_plural = _("lanes")
        ordering = ["origin__code", "destination__code", "mode"]
        constraints = [
            models.UniqueConstraint(fields=["origin", "destination", "mode"], name="lane_unique_per_mode"),
            models.CheckConstraint(
                condition=~models.Q(origin=models.F("destination")), name="lane_joins_two_hubs"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin.code} → {self.destination.code} ({self.get_mode_display()})"

    def clean(self) -> None:
        if self.origin_id and self.origin_id == self.destination_id:
            raise ValidationError({"destination": _("A lane joins two different hubs.")})
        if self.is_active and not (self.departure_weekdays and self.departure_times):
            raise ValidationError(_("An active lane needs at least one weekday and one departure time."))

    @property
    def departures_per_week(self) -> int:
        return len(set(self.departure_weekdays)) * len(set(self.departure_times))

    def departure_time_values(self) -> tuple[time, ...]:
        return tuple(time.fromisoformat(value) for value in sorted(set(self.departure_times)))


class CountryLegKind(models.TextChoices):
    FIRST_MILE = "first_mile", _("First mile")  # seller's address → the hub serving the country
    LAST_MILE = "last_mile", _("Last mile")  # the hub serving the country → buyer's address


class CountryLeg(models.Model):
    """The courier service between addresses in a country and the hub serving it."""

    country = CountryField(_("country"))
    kind = models.CharField(_("kind"), max_length=16, choices=CountryLegKind.choices)
    hours = models.PositiveSmallIntegerField(_("hours"))
    base_amount = models.DecimalField(
        _("base charge"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    per_kg_amount = models.DecimalField(
        _("charge per kg"), max_digits=10, decimal_places=4, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=[(USD, "USD")], default=USD)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("first/last-mile service")
        verbose_name_plural = _("first/last-mile services")
        ordering = ["country", "kind"]
        constraints = [models.UniqueConstraint(fields=["country", "kind"], name="country_leg_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.country.code}"


class HubEvent(models.Model):
    """Append-only history of a hub's status changes."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="events", verbose_name=_("hub"))
    from_status = models.CharField(_("from"), max_length=16, choices=HubStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=HubStatus.choices)
    reason = models.CharField(_("reason"), max_length=240, blank=True)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hub event")
        verbose_name_plural = _("hub events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.hub.code}: {self.from_status} → {self.to_status}"
