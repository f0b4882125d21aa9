"""Which order e-mails went out: each is sent once, however often its job runs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderEmail(models.Model):
    """One e-mail about an order to one recipient (`buyer`, or `shop:<id>` for a shop's owner),
    recorded in the transaction that hands it to the mail server: a retried or redelivered job
    skips it, and a failed hand-over rolls the record back for the retry."""

    order = models.ForeignKey(
        "marketplace.Order", on_delete=models.CASCADE, related_name="emails", verbose_name=_("order")
    )
    kind = models.CharField(_("kind"), max_length=40)
    recipient = models.CharField(_("recipient"), max_length=40)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order e-mail")
        verbose_name_plural = _("order e-mails")
        constraints = [
            models.UniqueConstraint(fields=["order", "kind", "recipient"], name="order_email_once")
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} → {self.recipient}"
