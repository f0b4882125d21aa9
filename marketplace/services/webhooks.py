"""Webhooks for integrators: endpoints registered by shops and operators, events written in the
transaction that causes them, and deliveries signed per the Standard Webhooks specification.

An event becomes one `WebhookDelivery` per subscribed endpoint (its shop's, and the operators'),
with a job in the outbox, both in the caller's transaction: an event is never sent for a change
that rolled back, and never lost with one that committed. A delivery is attempted with its row
locked (two jobs never send it at once); a failure is retried with exponential back-off
(`EWTP_WEBHOOK_RETRY_BASE_SECONDS` × 3ⁿ, at most `EWTP_WEBHOOK_MAX_ATTEMPTS` attempts) through a
delayed outbox job, and the sweeper republishes whatever a lost job or a dead worker left due.
An endpoint failing `EWTP_WEBHOOK_DISABLE_AFTER` attempts in a row for at least
`EWTP_WEBHOOK_DISABLE_AFTER_HOURS` is disabled, and its owner is told by e-mail.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

from ewtp.exceptions import DomainError, PermissionDenied, field_error
from marketplace import jobs
from marketplace.models import Shop, User
from marketplace.models.webhooks import DeliveryStatus, Event, WebhookDelivery, WebhookEndpoint, WebhookEvent
from marketplace.selectors.shops import shop_for_user
from marketplace.services import webhook_transport

logger = logging.getLogger(__name__)

MAX_ENDPOINTS = 10  # per owner
LOG_KEPT = 20
BACKOFF_FACTOR = 3
BACKOFF_CAP = timedelta(hours=6)
SWEEP_GRACE = timedelta(minutes=2)  # a due delivery's job may still be on its way


# --- Endpoints ----------------------------------------------------------------------------------


def _clean_events(events: object) -> list[str]:
    if not isinstance(events, list) or not events:
        raise field_error("events", _("Choose at least one event."))
    known = set(WebhookEvent.values)
    unknown = [str(name) for name in events if name not in known]
    if unknown:
        raise field_error(
            "events",
            _("Unknown events: %(names)s. Choose from %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(WebhookEvent.values)},
        )
    return sorted(set(events))


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    problem = webhook_transport.url_problem(url)
    if problem:
        raise field_error("url", problem)
    return url


def new_secret() -> str:
    """`whsec_` + 32 random bytes in base64: the form Standard Webhooks libraries read."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def endpoint_scope(user: User) -> Shop | None:
    """The shop an endpoint of `user` speaks for (None: an operator, every shop), or 403."""
    if user.is_authenticated and user.is_staff:
        return None
    shop = shop_for_user(user) if user.is_authenticated and user.is_seller else None
    if shop is None:
        raise PermissionDenied(_("Only sellers with a shop and operators can register webhooks."))
    return shop


@transaction.atomic
def webhook_endpoint_register(
    *, owner: User, url: str, events: list[str], description: str = ""
) -> WebhookEndpoint:
    """A new endpoint; its `secret` is readable on the returned object (shown once, then never)."""
    shop = endpoint_scope(owner)
    url, events = _clean_url(url), _clean_events(events)
    User.objects.select_for_update().filter(pk=owner.pk).first()  # the limit holds under races
    if WebhookEndpoint.objects.filter(owner=owner).count() >= MAX_ENDPOINTS:
        raise DomainError(
            _("You can register at most %(count)s webhook endpoints.") % {"count": MAX_ENDPOINTS}
        )
    return WebhookEndpoint.objects.create(
        owner=owner, shop=shop, url=url, events=events, description=description.strip()[:200],
        secret=new_secret(),
    )  # fmt: skip


@transaction.atomic
def webhook_endpoint_update(*, endpoint: WebhookEndpoint, data: dict[str, Any]) -> WebhookEndpoint:
    """Change the URL, events, description; `active: true` turns a disabled endpoint back on."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if "url" in data:
        endpoint.url = _clean_url(data["url"])
    if "events" in data:
        endpoint.events = _clean_events(data["events"])
    if "description" in data:
        endpoint.description = str(data["description"]).strip()[:200]
    if "active" in data:
        endpoint.active = bool(data["active"])
        if endpoint.active:
            endpoint.disabled_at, endpoint.disabled_reason = None, ""
            endpoint.failure_streak, endpoint.failing_since = 0, None
    endpoint.save()
    return endpoint


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


# --- Events -------------------------------------------------------------------------------------


def webhooks_wanted(types: Iterable[str], shop_ids: Iterable[int] | None = None) -> bool:
    """Does any active endpoint (of these shops or the operators') want one of `types`? One query:
    writers ask before building events' bodies."""
    wanted = set(types)
    endpoints = WebhookEndpoint.objects.filter(active=True)
    if shop_ids is not None:
        endpoints = endpoints.filter(Q(shop__isnull=True) | Q(shop_id__in=set(shop_ids)))
    return any(wanted & set(events) for events in endpoints.values_list("events", flat=True))


def _body(event: Event, message_id: str) -> str:
    return json.dumps(
        {
            "type": event.type,
            "timestamp": event.occurred_at.isoformat(),
            "id": message_id,
            "data": event.data,
        },
        separators=(",", ":"),
        sort_keys=True,
        default=str,
    )


def webhook_events_emit(events: Iterable[Event]) -> int:
    """One delivery per event and subscribed endpoint, with its job, in the caller's transaction;
    returns how many. One query when no endpoint is active."""
    events = list(events)
    if not events:
        return 0
    shop_ids = {event.shop_id for event in events}
    endpoints = list(
        WebhookEndpoint.objects.filter(active=True).filter(Q(shop__isnull=True) | Q(shop_id__in=shop_ids))
    )
    if not endpoints:
        return 0
    now = timezone.now()
    deliveries = []
    for event in events:
        for endpoint in endpoints:
            if event.type in endpoint.events and endpoint.shop_id in (None, event.shop_id):
                message_id = f"msg_{secrets.token_hex(16)}"
                deliveries.append(
                    WebhookDelivery(
                        endpoint=endpoint, event_type=event.type, message_id=message_id,
                        body=_body(event, message_id), next_attempt_at=now,
                    )
                )  # fmt: skip
    WebhookDelivery.objects.bulk_create(deliveries)
    jobs.deliver_webhooks([delivery.pk for delivery in deliveries])
    return len(deliveries)


# --- Deliveries ---------------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """After the `attempts`-th failure: base × 3^(attempts-1), at most six hours."""
    delay = timedelta(seconds=settings.EWTP_WEBHOOK_RETRY_BASE_SECONDS * BACKOFF_FACTOR ** (attempts - 1))
    return min(delay, BACKOFF_CAP)


def signed_headers(endpoint: WebhookEndpoint, delivery: WebhookDelivery, at: datetime) -> dict[str, str]:
    signature = Webhook(endpoint.secret).sign(msg_id=delivery.message_id, timestamp=at, data=delivery.body)
    return {
        "Content-Type": "application/json",
        "User-Agent": "eWTP-Webhooks/1.0",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def webhook_deliver(*, delivery_id: int, now: datetime | None = None) -> str:
    """Attempt one delivery if it is due; returns what happened ("sent", "retry", "failed", "skipped").
    The row stays locked during the request: a second job for it skips, and a worker dying
    mid-request leaves it due for the sweeper."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now + SWEEP_GRACE)
            .first()
        )
        if delivery is None:
            return "skipped"
        endpoint = delivery.endpoint
        if not endpoint.active:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
            delivery.last_error = _("The endpoint is disabled.")
            delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
            return "skipped"
        answer = webhook_transport.post(
            endpoint.url, delivery.body.encode(), signed_headers(endpoint, delivery, timezone.now())
        )
        return _record(delivery, endpoint, answer, now)


def _record(
    delivery: WebhookDelivery, endpoint: WebhookEndpoint, answer: webhook_transport.Answer, now: datetime
) -> str:
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status = answer.status
    delivery.last_error = answer.error
    entry = {"at": now.isoformat(), "status": answer.status, "error": answer.error, "ms": answer.milliseconds}
    delivery.log = [*delivery.log, entry][-LOG_KEPT:]
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if answer.ok:
        delivery.status, delivery.next_attempt_at, delivery.succeeded_at = DeliveryStatus.SUCCEEDED, None, now
        outcome = "sent"
        endpoint.failure_streak, endpoint.failing_since = 0, None
    else:
        endpoint.failure_streak += 1
        endpoint.failing_since = endpoint.failing_since or now
        _disable_if_failing(endpoint, now)
        if delivery.attempts >= settings.EWTP_WEBHOOK_MAX_ATTEMPTS or not endpoint.active:
            delivery.status, delivery.next_attempt_at, outcome = DeliveryStatus.FAILED, None, "failed"
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
            jobs.deliver_webhook_later(delivery.pk, delivery.next_attempt_at)
            outcome = "retry"
    endpoint.save(
        update_fields=["failure_streak", "failing_since", "active", "disabled_at", "disabled_reason"]
    )
    delivery.save()
    return outcome


def _disable_if_failing(endpoint: WebhookEndpoint, now: datetime) -> None:
    long_enough = now - endpoint.failing_since >= timedelta(hours=settings.EWTP_WEBHOOK_DISABLE_AFTER_HOURS)
    if (
        not endpoint.active
        or endpoint.failure_streak < settings.EWTP_WEBHOOK_DISABLE_AFTER
        or not long_enough
    ):
        return
    endpoint.active, endpoint.disabled_at = False, now
    endpoint.disabled_reason = _(
        "Disabled after %(count)s failed attempts in a row since %(since)s. Fix the receiver, then "
        "turn the endpoint back on."
    ) % {"count": endpoint.failure_streak, "since": endpoint.failing_since.strftime("%Y-%m-%d %H:%M UTC")}
    subject = _("Your webhook endpoint was disabled")
    body = f"{endpoint.url}\n\n{endpoint.disabled_reason}"
    owner_email = endpoint.owner.email
    if owner_email:
        transaction.on_commit(lambda: _notify(owner_email, subject, body))
    WebhookDelivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=_("The endpoint is disabled.")
    )


def _notify(address: str, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, None, [address])
    except OSError:  # the notice is also on the endpoint (API, admin): not worth failing the job
        logger.warning("webhooks: could not e-mail %s", address, exc_info=True)


@transaction.atomic
def webhook_delivery_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again, now, with the same id and body (receivers deduplicate on the id)."""
    delivery = WebhookDelivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
    if not delivery.endpoint.active:
        raise DomainError(_("Turn the endpoint back on before replaying its deliveries."))
    delivery.status, delivery.next_attempt_at = DeliveryStatus.PENDING, timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at"])
    jobs.deliver_webhooks([delivery.pk])
    return delivery


def webhook_deliveries_sweep(*, now: datetime | None = None, batch: int = 500) -> int:
    """Beat: republish deliveries left due by a lost job or a worker that died mid-request."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now - SWEEP_GRACE)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:batch]
        )
        jobs.deliver_webhooks(ids)
    return len(ids)
