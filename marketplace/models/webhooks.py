"""Webhooks: integrators' endpoints told of order and shipment events, signed per the Standard
Webhooks specification (`services.webhooks`). A delivery is one message to one endpoint; it keeps
its id (`webhook-id`) and exact body across retries and replays, so a receiver can deduplicate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    ORDER_PAID = "order.paid", _("Order paid")
    SHIPMENT_HANDED_OVER = "shipment.handed_over", _("Parcel handed over")
    SHIPMENT_TRACKING_EVENT = "shipment.tracking_event", _("Tracking event")
    SHIPMENT_DELIVERED = "shipment.delivered", _("Parcel delivered")


@dataclass(frozen=True, slots=True)
class Event:
    """Something integrators may be told about; `shop_id` says whose it is."""

    type: str
    shop_id: int
    data: dict[str, Any]
    occurred_at: datetime = field(default_factory=timezone.now)


class WebhookEndpoint(models.Model):
    """Where one shop (or, with no shop, the operators: every shop's events) wants events sent."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("owner"),
    )
    shop = models.ForeignKey(
        "marketplace.Shop",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
        verbose_name=_("shop"),
        help_text=_("Empty: an operators' endpoint, told of every shop's events."),
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Kept to sign each message: shown to its owner once, at registration.
    secret = models.CharField(_("signing secret"), max_length=80, editable=False)
    active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    failure_streak = models.PositiveIntegerField(_("failed attempts in a row"), default=0)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["active", "shop"], name="webhook_endpoint_active")]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # not sent yet, or failed and waiting for its next attempt
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")  # every attempt failed, or the endpoint was disabled


class WebhookDelivery(models.Model):
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event_type = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    message_id = models.CharField(_("message id"), max_length=40, unique=True)
    body = models.TextField(_("body"))  # the exact bytes signed and sent (JSON)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_status = models.PositiveIntegerField(_("last response status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    log = models.JSONField(_("attempts log"), default=list)  # [{at, status, error, ms}], the latest 20
    succeeded_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.message_id})"
