"""E-mails to the buyer about their parcel: hand-over, customs hold, re-route and delivery.

Every writer of tracking events calls `parcel_emails_on_commit` with the events it wrote (one at a
time through `logistics.services.tracking`, or in bulk from the simulation tick); this module picks
the ones that warrant an e-mail and sends them through Celery after the writer's commit.
"""

from __future__ import annotations

from collections.abc import Iterable


def parcel_emails_on_commit(event_ids: Iterable[int]) -> None:
    """Schedule the buyer's e-mails for these tracking events after the current commit.

    Contract for writers: pass the ids of the events you inserted (not ones dropped as duplicates),
    inside the transaction that wrote them. Not wired yet: filled in with the parcel e-mails."""
    return None
