"""Women-owned and youth-led shops (issue 20): a seller claims a badge with evidence, an operator
verifies it, and verified shops carry it (`Shop.women_owned`, `Shop.youth_led`) on their shop page,
products and catalog cards. Evidence is private (the seller and operators only, never under the
media URL) and deleted a set time after the decision (`services.badges.badge_evidence_purge`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ewtp.storage import PrivateStorage


class Badge(models.TextChoices):
    WOMEN_OWNED = "women_owned", _("Women-owned")
    YOUTH_LED = "youth_led", _("Youth-led")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a check")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Not verified")


class BadgeClaim(models.Model):
    shop = models.ForeignKey(
        "marketplace.Shop", on_delete=models.CASCADE, related_name="badge_claims", verbose_name=_("shop")
    )
    badge = models.CharField(_("badge"), max_length=16, choices=Badge.choices)
    statement = models.TextField(_("what the seller says"), max_length=1000, blank=True)
    founder_birth_year = models.PositiveSmallIntegerField(_("founder's year of birth"), null=True, blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to="badge-evidence/%Y/%m/", storage=PrivateStorage(), blank=True
    )
    evidence_type = models.CharField(_("evidence type"), max_length=40, blank=True)
    evidence_deleted_at = models.DateTimeField(_("evidence deleted"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING, db_index=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.CharField(_("reason"), max_length=240, blank=True)
    created_at = models.DateTimeField(_("claimed"), auto_now_add=True)

    class Meta:
        verbose_name = _("badge claim")
        verbose_name_plural = _("badge claims")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One live claim per badge: waiting or verified (a rejected one may be made again).
            models.UniqueConstraint(
                fields=["shop", "badge"],
                condition=models.Q(status__in=["pending", "verified"]),
                name="badge_claim_one_live",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop} · {self.get_badge_display()} ({self.status})"
