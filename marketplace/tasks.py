"""Celery tasks of the marketplace: thin callers of services, taking ids only.

E-mails go out after commit (`delay_on_commit`); unpaid orders are expired by a beat task every
minute (no long countdown tasks on the broker).
"""

from __future__ import annotations

from celery import shared_task

from marketplace.services.idempotency import idempotency_keys_purge
from marketplace.services.notifications import order_email_send
from marketplace.services.orders import orders_expire_due


@shared_task(
    name="marketplace.send_order_email", autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5
)
def send_order_email(kind: str, order_id: int) -> int:
    return order_email_send(kind=kind, order_id=order_id)


@shared_task(name="marketplace.expire_unpaid_orders")
def expire_unpaid_orders() -> int:
    return orders_expire_due()


@shared_task(name="marketplace.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    return idempotency_keys_purge()
