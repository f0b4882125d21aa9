"""What time it is in the simulated e-hub network: the one clock routing, hand-over, the tick and
the pages read.

At `EWTP_SIM_SPEED` 1 it is real time (no query). Otherwise it runs `speed` times faster from an
anchor row (`SimulationClock`: a simulated time and the real time it was read at). Readers compute
from the anchor without locking it; the anchor is moved forward at most every `ANCHOR_REFRESH` of
real time, by whoever reads then and finds the row free (`SKIP LOCKED`): a reader inside a long
transaction never makes another wait, and the clock row is not a hot row. Moving the anchor is what
pauses the clock while nothing runs: a real gap longer than `EWTP_SIM_MAX_GAP_SECONDS` since the
anchor counts as that much (a demo stopped overnight resumes where it was).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from logistics.models import SimulationClock
from logistics.simulation import clock

ANCHOR_REFRESH = timedelta(seconds=5)


def _max_gap() -> timedelta:
    return timedelta(seconds=settings.EWTP_SIM_MAX_GAP_SECONDS)


def _anchor(real_now: datetime) -> tuple[datetime, datetime]:
    """The anchor (simulated time, real time of that reading); made once, at the first reading
    (`ON CONFLICT DO NOTHING`: two first readers never both insert)."""
    row = SimulationClock.objects.filter(pk=1).values_list("simulated_at", "real_at").first()
    if row is None:
        SimulationClock.objects.bulk_create(
            [SimulationClock(pk=1, simulated_at=real_now, real_at=real_now)], ignore_conflicts=True
        )
        row = SimulationClock.objects.filter(pk=1).values_list("simulated_at", "real_at").get()
    return row


def simulation_now(*, read_only: bool = False) -> datetime:
    """Simulated time now. `read_only` (page views) never writes: it reads the anchor, or real time
    when there is none yet."""
    real_now = timezone.now()
    speed = settings.EWTP_SIM_SPEED
    if speed == 1:
        return real_now
    if read_only:
        row = SimulationClock.objects.filter(pk=1).values_list("simulated_at", "real_at").first()
        return real_now if row is None else clock.advance(row[0], row[1], real_now, speed, _max_gap())
    simulated_at, real_at = _anchor(real_now)
    now = clock.advance(simulated_at, real_at, real_now, speed, _max_gap())
    if real_now - real_at >= ANCHOR_REFRESH:
        with transaction.atomic():
            free = (
                SimulationClock.objects.select_for_update(skip_locked=True)
                .filter(pk=1, real_at=real_at)
                .values_list("pk", flat=True)
                .first()
            )
            if free is not None:  # else another reader is moving it to the same line
                SimulationClock.objects.filter(pk=1).update(simulated_at=now, real_at=real_now)
    return now


@transaction.atomic
def simulation_clock_set(*, simulated_at: datetime) -> datetime:
    """Move the simulated clock forward to `simulated_at` (never back: events already written stay
    in the past); it runs on at `EWTP_SIM_SPEED` from there. The demo seed uses it after playing
    parcels forward. Returns the clock's time; at speed 1 (real time) there is no clock to move."""
    now = simulation_now()
    if settings.EWTP_SIM_SPEED == 1 or simulated_at <= now:
        return now
    SimulationClock.objects.select_for_update().filter(pk=1).update(
        simulated_at=simulated_at, real_at=timezone.now()
    )
    return simulated_at
