"""The simulation clock: one row, advanced by the beat tick at `EWTP_SIM_SPEED` simulated seconds per
real second (the logic is pure: `logistics.simulation.clock`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SimulationClock(models.Model):
    simulated_at = models.DateTimeField(_("simulated time"))
    real_at = models.DateTimeField(_("real time of that reading"))

    class Meta:
        verbose_name = _("simulation clock")
        verbose_name_plural = _("simulation clock")

    def __str__(self) -> str:
        return f"{self.simulated_at:%Y-%m-%d %H:%M:%S}Z"
