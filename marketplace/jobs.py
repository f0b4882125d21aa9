"""Every job the marketplace needs run, written to the outbox in the caller's transaction
(`ewtp.outbox`): the one place the marketplace asks for a job. Named here; `marketplace.tasks`
defines them under these names."""

from __future__ import annotations

from ewtp.outbox import outbox_add

SEND_ORDER_EMAILS = "marketplace.send_order_email"


def send_order_emails(kind: str, order_id: int) -> None:
    """The e-mails of `kind` ("order_paid", "order_cancelled") to the buyer and each shop; each
    one is sent once (`marketplace.services.notifications`)."""
    outbox_add(SEND_ORDER_EMAILS, kind, order_id)


SEND_PAYOUT = "marketplace.send_payout"


def send_payout(payout_id: int) -> None:
    """Make the payout's transfer at the payout gateway and record the answer (at most once)."""
    outbox_add(SEND_PAYOUT, payout_id)
