"""The delivery promise: the one date a buyer is told, from the quote to the doorstep.

A route's ETA assumes the parcel leaves the seller the moment it is quoted and that nothing waits.
The promise adds what the network needs on top — the seller's time to hand the parcel over, a
missed departure, a day of congestion (`buffer`) — and rounds up to the end of that day where the
parcel is delivered: buyers are promised a date, not a minute. It is computed when the buyer is
quoted, frozen when they pay, and a parcel is late only when its expected arrival passes it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def promised_delivery(estimated_delivery: datetime, *, zone: str, buffer: timedelta) -> datetime:
    """The last second of the destination's local day on which `estimated_delivery + buffer` falls."""
    local = (estimated_delivery + buffer).astimezone(ZoneInfo(zone))
    return datetime.combine(local.date(), time(23, 59, 59), tzinfo=ZoneInfo(zone))
