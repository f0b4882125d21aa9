"""Simulated time: `speed` simulated seconds pass per real second (1 = real time)."""

from __future__ import annotations

from datetime import datetime


def advance(simulated_at: datetime, real_then: datetime, real_now: datetime, speed: float) -> datetime:
    """The simulated time now, given a reading (`simulated_at` when it was `real_then`). Never goes back."""
    if real_now <= real_then:
        return simulated_at
    return simulated_at + (real_now - real_then) * speed
