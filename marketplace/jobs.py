"""Every job the marketplace needs run, written to the outbox in the caller's transaction
(`ewtp.outbox`): the one place the marketplace asks for a job. Named here; `marketplace.tasks`
defines them under these names."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ewtp.outbox import outbox_add, outbox_add_later, outbox_add_many

SEND_ORDER_EMAILS = "marketplace.send_order_email"


def send_order_emails(kind: str, order_id: int) -> None:
    """The e-mails of `kind` ("order_paid", "order_cancelled") to the buyer and each shop; each
    one is sent once (`marketplace.services.notifications`)."""
    outbox_add(SEND_ORDER_EMAILS, kind, order_id)


SEND_PAYOUT = "marketplace.send_payout"


def send_payout(payout_id: int) -> None:
    """Make the payout's transfer at the payout gateway and record the answer (at most once)."""
    outbox_add(SEND_PAYOUT, payout_id)


DELIVER_WEBHOOK = "marketplace.deliver_webhook"


def deliver_webhooks(delivery_ids: Iterable[int]) -> None:
    """Attempt each webhook delivery now (one job each: one slow receiver holds up no other)."""
    outbox_add_many((DELIVER_WEBHOOK, [pk]) for pk in delivery_ids)


def deliver_webhook_later(delivery_id: int, at: datetime) -> None:
    """Attempt a failed webhook delivery again at `at` (its back-off)."""
    outbox_add_later(at, DELIVER_WEBHOOK, delivery_id)
