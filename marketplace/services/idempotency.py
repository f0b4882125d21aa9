"""Idempotency keys: a retried request gets the first request's answer instead of doing the work twice.

`run_once` writes the key row in its own transaction *before* the work starts, so a concurrent
retry finds it (`in_progress` → 409); the same key with a different body is a 422; a finished
key returns the stored status and body. A request that failed leaves no key behind, so it can be
retried. Keys are per user and scope, kept at least `IDEMPOTENCY_KEY_HOURS` (48 h; purged by beat).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ewtp.exceptions import DomainError
from marketplace.models import IdempotencyKey, User

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


def request_fingerprint(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def validate_key(key: str) -> str:
    if not KEY_PATTERN.match(key or ""):
        message = _("The Idempotency-Key header must be 8 to 255 printable ASCII characters without spaces.")
        raise IdempotencyKeyInvalid(message, field_errors={"Idempotency-Key": [message]})
    return key


def _claim(*, user: User, key: str, scope: str, fingerprint: str) -> IdempotencyKey:
    """Insert the key row, committed before the work starts. Outside a transaction the INSERT
    commits on its own (one round trip, no BEGIN/COMMIT); inside one, a savepoint keeps a
    duplicate key's IntegrityError from breaking the caller's transaction."""
    if connection.get_autocommit():
        return IdempotencyKey.objects.create(user=user, key=key, scope=scope, request_hash=fingerprint)
    with transaction.atomic():
        return IdempotencyKey.objects.create(user=user, key=key, scope=scope, request_hash=fingerprint)


def run_once(
    *, user: User, key: str, scope: str, payload: Any, run: Callable[[], tuple[int, Any]]
) -> tuple[int, Any, bool]:
    """Run `run()` once per (user, scope, key); returns (status, body, replayed)."""
    key = validate_key(key)
    fingerprint = request_fingerprint(payload)
    try:
        record = _claim(user=user, key=key, scope=scope, fingerprint=fingerprint)
    except IntegrityError:
        record = IdempotencyKey.objects.get(user=user, key=key, scope=scope)
        if record.request_hash != fingerprint:
            raise IdempotencyKeyReused(
                _("This Idempotency-Key was already used with a different request.")
            ) from None
        if record.in_progress:
            raise IdempotencyKeyInUse(
                _("A request with this Idempotency-Key is still being processed; retry shortly.")
            ) from None
        return record.response_status, record.response_body, True
    try:
        status, body = run()
    except BaseException:
        IdempotencyKey.objects.filter(pk=record.pk).delete()
        raise
    IdempotencyKey.objects.filter(pk=record.pk).update(
        in_progress=False, response_status=status, response_body=body
    )
    return status, body, False


def idempotency_keys_purge() -> int:
    cutoff = timezone.now() - timedelta(hours=IDEMPOTENCY_KEY_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff, in_progress=False).delete()
    return deleted
