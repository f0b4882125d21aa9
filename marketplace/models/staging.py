"""Photos a seller already chose for a listing whose form came back with an error: kept (private,
for a day) so the seller does not have to pick them again (issue 20)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ewtp.storage import PrivateStorage


class StagedImage(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("seller")
    )
    image = models.FileField(_("image"), upload_to="staged-images/", storage=PrivateStorage())
    name = models.CharField(_("file name"), max_length=120)  # shown to the seller only, escaped
    created_at = models.DateTimeField(_("kept since"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("kept photo")
        verbose_name_plural = _("kept photos")

    def __str__(self) -> str:
        return self.name
