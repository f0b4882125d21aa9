"""Tracking: the append-only event log of a shipment, in the canonical statuses of
`shared/reference/tracking_statuses.md` (Karrio/AfterShip/UPU compatible).

Every event carries its UTC time and the time zone of the hub where it happened, so a page can show
both. `dedupe_key` is unique: an event reported twice (a retried job, a replayed scan) is stored once,
and events may arrive out of order — pages sort by `occurred_at`.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from logistics.models.network import Hub
from logistics.models.shipments import Shipment, ShipmentLeg


class TrackingStatus(models.TextChoices):
    INFO_RECEIVED = "info_received", _("Information received")  # paid, label created, route planned
    PICKED_UP = "picked_up", _("Picked up")  # first-mile scan
    IN_TRANSIT = "in_transit", _("In transit")  # hub arrival, sorted, departure, arrival
    CUSTOMS = "customs", _("Customs")  # export declared, import presented, held, released
    ARRIVED_DESTINATION = "arrived_destination", _("Arrived at destination")  # destination e-hub
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")  # last-mile handover
    READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")  # locker / counter
    DELIVERY_FAILED = "delivery_failed", _("Delivery failed")  # consignee not home
    DELIVERED = "delivered", _("Delivered")
    EXCEPTION = "exception", _("Exception")  # customs_*, carrier_*, no route, weather
    REROUTED = "rerouted", _("Rerouted")  # hub outage, lane closed, capacity
    RETURNED = "returned", _("Returned")  # return to sender


class EventSource(models.TextChoices):
    PLATFORM = "platform", _("Platform")  # payment, routing jobs
    SELLER = "seller", _("Seller")  # hand-over
    SIMULATION = "simulation", _("Simulated e-hub")
    OPERATOR = "operator", _("Operator")


class TrackingEvent(models.Model):
    """Append-only: never updated or deleted by the application."""

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="events", verbose_name=_("shipment")
    )
    leg = models.ForeignKey(
        ShipmentLeg, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("leg")
    )
    occurred_at = models.DateTimeField(_("occurred (UTC)"))
    hub = models.ForeignKey(
        Hub, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("hub")
    )
    location_code = models.CharField(_("location"), max_length=8, blank=True)  # the hub code, kept
    local_timezone = models.CharField(_("local time zone"), max_length=64, default="UTC")
    status = models.CharField(_("status"), max_length=24, choices=TrackingStatus.choices)
    substatus = models.CharField(_("substatus"), max_length=40, blank=True)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    description = models.CharField(_("description"), max_length=400, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=EventSource.choices)
    # The shipment's status before and after, when the event moved it (the state machine's log).
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    dedupe_key = models.CharField(_("dedupe key"), max_length=120, unique=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["shipment", "occurred_at"], name="tracking_event_timeline"),
            # The e-mail sweeper's window (`parcel_emails_sweep`, every 5 minutes): no table scan.
            models.Index(fields=["recorded_at"], name="tracking_event_recorded"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M}Z {self.status}/{self.substatus}"

    @property
    def local_time(self) -> datetime:
        return self.occurred_at.astimezone(ZoneInfo(self.local_timezone))


class ParcelEmail(models.Model):
    """The buyer was e-mailed about this event. One row per event (the primary key), written in the
    transaction that sends the mail: a redelivered or repeated job finds it and sends nothing."""

    event = models.OneToOneField(
        TrackingEvent,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="parcel_email",
        verbose_name=_("tracking event"),
    )
    kind = models.CharField(_("kind"), max_length=16)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("parcel e-mail")
        verbose_name_plural = _("parcel e-mails")

    def __str__(self) -> str:
        return f"{self.kind} #{self.event_id}"
