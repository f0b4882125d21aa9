"""Celery tasks of the marketplace: thin callers of services, taking ids only.

Jobs are asked for through `marketplace.jobs` (the outbox) and named there; unpaid orders are
expired by a beat task every minute (no long countdown tasks on the broker).
"""

from __future__ import annotations

from celery import shared_task

from marketplace import jobs
from marketplace.services.badges import badge_evidence_purge
from marketplace.services.idempotency import idempotency_keys_purge
from marketplace.services.notifications import order_email_send
from marketplace.services.orders import orders_expire_due
from marketplace.services.payments import payments_reconcile
from marketplace.services.payouts import PayoutGatewayUnavailable, payout_send, payouts_sweep, payouts_weekly
from marketplace.services.staged_images import staged_images_purge
from marketplace.services.webhooks import webhook_deliver, webhook_deliveries_sweep


@shared_task(
    name=jobs.SEND_ORDER_EMAILS,
    autoretry_for=(OSError,),  # SMTP and socket errors (ConnectionError is one)
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def send_order_email(kind: str, order_id: int) -> int:
    """Each e-mail of the order not sent yet; a retry or a redelivery sends none twice."""
    return order_email_send(kind=kind, order_id=order_id)


@shared_task(name="marketplace.expire_unpaid_orders")
def expire_unpaid_orders() -> int:
    return orders_expire_due()


@shared_task(name="marketplace.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    return idempotency_keys_purge()


@shared_task(name="marketplace.reconcile_payments")
def reconcile_payments() -> dict[str, int]:
    """Beat: finish payments a crash left pending (looked up at the gateway)."""
    return payments_reconcile()


@shared_task(
    name=jobs.SEND_PAYOUT,
    autoretry_for=(PayoutGatewayUnavailable, OSError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def send_payout(payout_id: int) -> str | None:
    """Transfer a payout under its own reference (a repeat never sends twice) and record the answer."""
    return payout_send(payout_id=payout_id)


@shared_task(name="marketplace.sweep_payouts")
def sweep_payouts() -> dict[str, int]:
    """Beat: finish payouts left pending by a crash or a lost job (asked at the gateway first)."""
    return payouts_sweep()


@shared_task(name="marketplace.weekly_payouts")
def weekly_payouts() -> dict[str, int]:
    """Beat, Mondays: pay each shop its available balance (once a week)."""
    return payouts_weekly()


@shared_task(name="marketplace.purge_badge_evidence")
def purge_badge_evidence() -> int:
    """Beat, daily: delete badge evidence kept past EWTP_BADGE_EVIDENCE_DAYS after the decision."""
    return badge_evidence_purge()


@shared_task(name="marketplace.purge_staged_images")
def purge_staged_images() -> int:
    """Beat, hourly: photos kept from a failed listing submit and never used, after a day."""
    return staged_images_purge()


@shared_task(name=jobs.DELIVER_WEBHOOK)
def deliver_webhook(delivery_id: int) -> str:
    """Attempt one webhook delivery; a failure schedules its own retry (back-off in the outbox)."""
    return webhook_deliver(delivery_id=delivery_id)


@shared_task(name="marketplace.sweep_webhooks")
def sweep_webhooks() -> int:
    """Beat: republish webhook deliveries a lost job or a dead worker left due."""
    return webhook_deliveries_sweep()
