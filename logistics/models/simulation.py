"""The simulated e-hub's state: the clock (one row, advanced by the beat tick at `EWTP_SIM_SPEED`
simulated seconds per real second; the logic is pure: `logistics.simulation.clock`) and the parcels
each hub sorts per day against its sort capacity (`logistics.simulation.sorting`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from logistics.models.network import Hub


class SimulationClock(models.Model):
    simulated_at = models.DateTimeField(_("simulated time"))
    real_at = models.DateTimeField(_("real time of that reading"))

    class Meta:
        verbose_name = _("simulation clock")
        verbose_name_plural = _("simulation clock")

    def __str__(self) -> str:
        return f"{self.simulated_at:%Y-%m-%d %H:%M:%S}Z"


class HubSortDay(models.Model):
    """Parcels booked for sorting at a hub on one of its local days, never more than the hub's
    `sort_capacity_per_day`: the tick books them per hub under a lock, one row per hub and day."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="sort_days", verbose_name=_("hub"))
    day = models.DateField(_("day (hub's local date)"))
    parcels = models.PositiveIntegerField(_("parcels sorted"), default=0)

    class Meta:
        verbose_name = _("hub sort day")
        verbose_name_plural = _("hub sort days")
        ordering = ["hub", "day"]
        constraints = [models.UniqueConstraint(fields=["hub", "day"], name="hub_sort_day_unique")]

    def __str__(self) -> str:
        return f"{self.hub_id} {self.day}: {self.parcels}"
