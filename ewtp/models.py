"""The project's own tables: the outbox of jobs waiting to be published (`ewtp.outbox`)."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class OutboxJob(models.Model):
    """A Celery job written in the transaction that makes it necessary, published by the relay
    once that transaction has committed. A row rolled back with its transaction is a job never
    sent; a committed row is a job sent at least once (it is deleted when published)."""

    task = models.CharField(_("task"), max_length=120)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("written at"), db_default=Now())
    # A publish that failed waits until then (the broker is down: no busy loop).
    available_at = models.DateTimeField(_("publish from"), db_default=Now())
    attempts = models.PositiveIntegerField(_("failed publishes"), default=0)

    class Meta:
        verbose_name = _("outbox job")
        verbose_name_plural = _("outbox jobs")
        indexes = [models.Index(fields=["available_at", "id"], name="outbox_job_due")]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
