"""Payment attempts: every call to the gateway is recorded, successful or not; and the sandbox
gateway's own record of the charges it made (what a real provider keeps on its side)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.models.orders import AMOUNT


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # the gateway is being asked; at most one per order at a time
    SUCCEEDED = "succeeded", _("Succeeded")
    DECLINED = "declined", _("Declined")
    FAILED = "failed", _("Failed")  # the gateway could not be reached or answered an error
    REFUNDED = "refunded", _("Refunded")


class PaymentAttempt(models.Model):
    order = models.ForeignKey(
        "marketplace.Order", on_delete=models.CASCADE, related_name="payments", verbose_name=_("order")
    )
    gateway = models.CharField(_("gateway"), max_length=40)
    status = models.CharField(_("status"), max_length=12, choices=PaymentStatus.choices)
    amount = models.DecimalField(_("amount"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3)
    card_last4 = models.CharField(_("card (last 4)"), max_length=4, blank=True)
    reference = models.CharField(_("gateway reference"), max_length=80, blank=True)  # the gateway's id
    message = models.CharField(_("message"), max_length=240, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("payment attempt")
        verbose_name_plural = _("payment attempts")
        ordering = ["created_at", "id"]
        constraints = [
            # Two pay requests racing for one order: the second finds the first in flight (or done).
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(status__in=["pending", "succeeded"]),
                name="payment_one_live_attempt_per_order",
            )
        ]
        indexes = [  # the reconciler's question: which attempts are pending since when
            models.Index(
                fields=["created_at"], condition=models.Q(status="pending"), name="payment_pending_since"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.status} {self.currency} {self.amount}"

    @property
    def charge_reference(self) -> str:
        """What the charge is made under at the gateway, this attempt's own (`pa_<id>`): a lookup
        by it tells whether this attempt, and no other of the order, took the money."""
        return f"pa_{self.pk}"


class SandboxCharge(models.Model):
    """A charge the sandbox gateway made (or declined), kept so it can answer `lookup(reference)`
    as a real provider does; one per reference, so a repeated charge returns the first answer."""

    reference = models.CharField(_("reference"), max_length=80, unique=True)
    charge_id = models.CharField(_("charge id"), max_length=40)
    succeeded = models.BooleanField(_("succeeded"))
    amount = models.DecimalField(_("amount"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3)
    message = models.CharField(_("message"), max_length=240, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sandbox charge")
        verbose_name_plural = _("sandbox charges")

    def __str__(self) -> str:
        return f"{self.reference}: {'ok' if self.succeeded else 'declined'} {self.currency} {self.amount}"
