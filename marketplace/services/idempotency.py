"""Idempotency keys: an order is placed once per (user, scope, key), however often it is asked for.

One mechanism for the API (`Idempotency-Key` header, scope `order_place`) and the web checkout (the
form's one-time token, scope `order_place_web`). The key's row is inserted as the first statement of
the transaction that places the order, and pointed at the order by its last. So:

- a concurrent request with the same key waits on the unique index until that transaction ends:
  committed, it finds the key answered and replays the order as it is now; rolled back (the first
  request failed or its process died), it places the order itself. Nothing is ever left claimed
  and unanswered, and no request sleeps in a loop;
- the same key with a different body is refused (422).

Keys are kept at least `IDEMPOTENCY_KEY_HOURS` (48 h; purged by beat).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ewtp.exceptions import DomainError
from marketplace.models import IdempotencyKey, Order, User

IDEMPOTENCY_KEY_HOURS = 48
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{8,255}$")  # printable ASCII, no spaces


class IdempotencyKeyInvalid(DomainError):
    code = "idempotency_key_invalid"


class IdempotencyKeyInUse(DomainError):
    status_code = 409
    code = "idempotency_key_in_use"


class IdempotencyKeyReused(DomainError):
    status_code = 422
    code = "idempotency_key_reused"


class _Taken(Exception):
    """The key's row exists and is committed: replay it."""


def request_fingerprint(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def validate_key(key: str) -> str:
    if not KEY_PATTERN.match(key or ""):
        message = _("The Idempotency-Key header must be 8 to 255 printable ASCII characters without spaces.")
        raise IdempotencyKeyInvalid(message, field_errors={"Idempotency-Key": [message]})
    return key


def order_place_once(
    *, user: User, key: str, scope: str, payload: Any, place: Callable[[], Order]
) -> tuple[Order, bool]:
    """Place the order once per (user, scope, key); returns (the order, whether it was replayed).

    `place()` runs inside the transaction that claims the key, after the claim: a twin request
    waiting on the key never prices or places anything. Raises `IdempotencyKeyReused` (422) for
    the key with a different `payload`, whatever `place()` raises (nothing is kept then, the key
    included), and `IdempotencyKeyInUse` (409) in the one case left: the key was answered but its
    order is gone."""
    key = validate_key(key)
    fingerprint = request_fingerprint(payload)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                try:  # the first statement: a conflict here is the key's, and ends the transaction
                    claim = IdempotencyKey.objects.create(
                        user=user, key=key, scope=scope, request_hash=fingerprint
                    )
                except IntegrityError:
                    raise _Taken() from None
                order = place()
                IdempotencyKey.objects.filter(pk=claim.pk).update(order=order)
                return order, False
        except _Taken:
            pass
        record = (
            IdempotencyKey.objects.filter(user=user, scope=scope, key=key).select_related("order").first()
        )
        if record is None:  # purged between the two statements: claim it afresh, once
            continue
        if record.request_hash != fingerprint:
            message = _("This Idempotency-Key was already used with a different request.")
            raise IdempotencyKeyReused(message)
        if record.order is None:
            break
        return record.order, True
    message = _("This Idempotency-Key cannot be used again; send the request with a new one.")
    raise IdempotencyKeyInUse(message)


def idempotency_keys_purge() -> int:
    cutoff = timezone.now() - timedelta(hours=IDEMPOTENCY_KEY_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
