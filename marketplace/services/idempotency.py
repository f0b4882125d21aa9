"""Idempotency keys: a retried request gets the first request's answer instead of doing the work twice.

`run_once` writes the key row in its own transaction *before* the work starts, so a concurrent
retry finds it (`in_progress` → 409); the work and its stored answer commit together; the same
key with a different body is a 422; a finished key returns the stored status and body. A request
that failed leaves no key behind, so it can be retried. Keys are per user and scope, kept at
least `IDEMPOTENCY_KEY_HOURS` (48 h; purged by beat).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from contextlib import nullcontext
from datetime import timedelta
from functools import cache
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ewtp.db import insert_columns
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


class IdempotencyClaimLost(IdempotencyKeyInUse):
    """This request's claim was taken over by a retry (it looked abandoned): its work is refused
    and rolled back, so only one of them places the order."""

    def __init__(self) -> None:
        super().__init__(_("A retry of this request has taken it over; its answer is the one that counts."))


# A claim still in progress after this long is taken to be abandoned (its worker died: web
# requests are cut off long before, see gunicorn's timeout), and a retry may take it over.
CLAIM_TIMEOUT = timedelta(minutes=2)


def request_fingerprint(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def validate_key(key: str) -> str:
    if not KEY_PATTERN.match(key or ""):
        message = _("The Idempotency-Key header must be 8 to 255 printable ASCII characters without spaces.")
        raise IdempotencyKeyInvalid(message, field_errors={"Idempotency-Key": [message]})
    return key


def _claim(*, user: User, key: str, scope: str, fingerprint: str) -> int:
    """Insert the key row, committed before the work starts; returns its id. Outside a
    transaction the INSERT commits on its own (one round trip, no BEGIN/COMMIT); inside one, a
    savepoint keeps a duplicate key's IntegrityError from breaking the caller's transaction.

    A hand-written INSERT (columns from the model, `insert_columns`): the ORM's `create()` cost
    ~0.25 ms of CPU on every order placed, for one row."""
    record = IdempotencyKey(user=user, key=key, scope=scope, request_hash=fingerprint)
    params = [getter(record) for getter in insert_columns(IdempotencyKey)[1]]
    in_transaction = not connection.get_autocommit()
    with transaction.atomic() if in_transaction else nullcontext(), connection.cursor() as cursor:
        cursor.execute(_statements()[0], params)
        return cursor.fetchone()[0]


@cache
def _statements() -> tuple[str, str]:
    """The claim's INSERT and the answer's UPDATE."""
    table = connection.ops.quote_name(IdempotencyKey._meta.db_table)
    columns = insert_columns(IdempotencyKey)[0]
    values = ", ".join(["%s"] * len(columns))
    return (
        f'INSERT INTO {table} ({", ".join(columns)}) VALUES ({values}) RETURNING "id"',  # noqa: S608  # nosec B608
        f'UPDATE {table} SET "in_progress" = %s, "response_status" = %s, "response_body" = %s '  # noqa: S608  # nosec B608
        'WHERE "id" = %s AND "in_progress"',
    )


def _record_answer(record_id: int, status: int, body: Any) -> None:
    """Store the answer a retry gets (a hand-written UPDATE, like `_claim`); raises
    `IdempotencyClaimLost` (the work's transaction rolls back) when the claim is no longer ours."""
    response_body = IdempotencyKey._meta.get_field("response_body")
    with connection.cursor() as cursor:
        cursor.execute(
            _statements()[1], [False, status, response_body.get_db_prep_save(body, connection), record_id]
        )
        if cursor.rowcount != 1:
            raise IdempotencyClaimLost()


def _take_over_if_abandoned(record: IdempotencyKey) -> bool:
    """Delete a claim in progress for longer than `CLAIM_TIMEOUT`, so the caller can claim the
    key afresh. The old claim's work, should it still be running, is refused when it answers
    (`_record_answer`, or the placing statement's check): one of them wins, never both."""
    cutoff = timezone.now() - CLAIM_TIMEOUT
    if record.created_at >= cutoff:
        return False
    IdempotencyKey.objects.filter(pk=record.pk, in_progress=True, created_at__lt=cutoff).delete()
    return True


def run_once(
    *,
    user: User,
    key: str,
    scope: str,
    payload: Any,
    run: Callable[..., tuple[int, Any]],
    replay: Callable[[IdempotencyKey], Any] | None = None,
    _retried: bool = False,
) -> tuple[int, Any, bool]:
    """Run the work once per (user, scope, key); returns (status, body, replayed).

    Two ways to store the answer. Without `replay`, `run()` runs in a transaction with the
    answer (status and body) stored at its end. With `replay`, the work answers the key itself
    in its own write — `run(key_id)` passes the claimed key's id on, e.g. to `order_place`, which
    links the order to the key in the statement that places it — and a retry's body is
    `replay(record)`, built afresh from what the key points to.

    A claim in progress for longer than `CLAIM_TIMEOUT` is taken over by the retry that finds it
    (its worker died before answering; see `_take_over_if_abandoned`).
    """
    key = validate_key(key)
    fingerprint = request_fingerprint(payload)
    try:
        record_id = _claim(user=user, key=key, scope=scope, fingerprint=fingerprint)
    except IntegrityError:
        record = IdempotencyKey.objects.filter(user=user, key=key, scope=scope).first()
        if record is None:
            # The claim we collided with was a request that failed and let its key go: claim
            # it afresh, once; a second collision means another request has it now (409).
            if not _retried:
                return run_once(
                    user=user, key=key, scope=scope, payload=payload, run=run, replay=replay, _retried=True
                )
            raise IdempotencyKeyInUse(
                _("A request with this Idempotency-Key is still being processed; retry shortly.")
            ) from None
        if record.request_hash != fingerprint:
            raise IdempotencyKeyReused(
                _("This Idempotency-Key was already used with a different request.")
            ) from None
        if record.in_progress and not _retried and _take_over_if_abandoned(record):
            return run_once(
                user=user, key=key, scope=scope, payload=payload, run=run, replay=replay, _retried=True
            )
        if record.in_progress:
            raise IdempotencyKeyInUse(
                _("A request with this Idempotency-Key is still being processed; retry shortly.")
            ) from None
        if replay is not None and record.order_id is not None:
            return record.response_status, replay(record), True
        return record.response_status, record.response_body, True
    try:
        if replay is not None:
            status, body = run(record_id)
        else:
            # The answer is stored in the work's own transaction: what the work wrote and the
            # answer a retry gets commit together (a crash in between would leave the key in
            # progress for ever, its retries refused with 409 though the work was done).
            with transaction.atomic():
                status, body = run()
                _record_answer(record_id, status, body)
    except BaseException:
        # A key the work already answered stays: its work is done, a retry must replay it.
        IdempotencyKey.objects.filter(pk=record_id, in_progress=True).delete()
        raise
    return status, body, False


def idempotency_keys_purge() -> int:
    cutoff = timezone.now() - timedelta(hours=IDEMPOTENCY_KEY_HOURS)
    # Claims still in progress after that long were abandoned (`CLAIM_TIMEOUT`): they go too.
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
