"""Simulated time: `speed` simulated seconds pass per real second (1 = real time)."""

from __future__ import annotations

from datetime import datetime, timedelta


def advance(
    simulated_at: datetime,
    real_then: datetime,
    real_now: datetime,
    speed: float,
    max_gap: timedelta | None = None,
) -> datetime:
    """The simulated time now, given a reading (`simulated_at` when it was `real_then`). Never goes
    back. A real gap longer than `max_gap` counts as `max_gap`: nothing ran the simulation then
    (a demo stopped overnight resumes where it was, instead of jumping weeks at its fast speed)."""
    if real_now <= real_then:
        return simulated_at
    gap = real_now - real_then
    if max_gap is not None:
        gap = min(gap, max_gap)
    return simulated_at + gap * speed
