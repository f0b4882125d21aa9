"""The transactional outbox: how jobs reach Celery without a request ever waiting on the broker.

A service that makes a job necessary writes it (`outbox_add`, through its app's `jobs` module) in
its own transaction: the job commits or rolls back with the change. The relay (`relay_forever`, run
by `manage.py relay_outbox` beside the workers) publishes committed rows in id order and deletes
them. The relay is the one place that publishes jobs; Celery beat publishes only its own schedule.

Delivery is at least once: a relay that dies after publishing and before its delete commits
publishes those rows again, so every job is idempotent (routing skips a routed shipment, e-mails
record what was sent). With the broker down, a publish fails fast (no result-backend round trip,
no retry), the row waits `RETRY_AFTER` and the relay carries on; nothing is lost and nothing
blocks. Beat's `relay-outbox` job is the backstop when no relay process runs.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import close_old_connections, transaction
from django.db.models import F
from django.utils import timezone

from ewtp.models import OutboxJob

logger = logging.getLogger(__name__)

BATCH = 200
RETRY_AFTER = timedelta(seconds=2)  # after a failed publish: the broker is down, ask again soon
POLL_SECONDS = 0.25


def outbox_add(task: str, *args: int | str | list) -> None:
    """Write one job (a Celery task name and JSON arguments) in the caller's transaction."""
    OutboxJob.objects.create(task=task, args=list(args))


def outbox_add_later(available_at: datetime, task: str, *args: int | str | list) -> None:
    """A job published no earlier than `available_at` (a retry's back-off, kept in the database
    rather than as a countdown on the broker, so a restart loses nothing)."""
    OutboxJob.objects.create(task=task, args=list(args), available_at=available_at)


def outbox_add_many(jobs: Iterable[tuple[str, list]]) -> None:
    """Write many jobs in one statement, in the caller's transaction."""
    OutboxJob.objects.bulk_create([OutboxJob(task=task, args=list(args)) for task, args in jobs])


def _publish(job: OutboxJob) -> None:
    from ewtp.celery import app

    # No result is ever read from these jobs: `ignore_result` skips the Redis result backend's
    # subscription, which retried for 19 s when Redis was down. `retry=False`: fail fast.
    app.send_task(job.task, args=job.args, ignore_result=True, retry=False)


def outbox_relay(*, batch: int = BATCH, now: datetime | None = None) -> int:
    """Publish up to `batch` due jobs, oldest first; returns how many were published. Rows are
    claimed with `SKIP LOCKED`, so several relays never publish the same row at once. On the first
    publish that fails (after the broker client's own retries: ~6 s when nothing listens), the
    rest of the batch waits `RETRY_AFTER`."""
    now = now or timezone.now()
    with transaction.atomic():
        jobs = list(
            OutboxJob.objects.select_for_update(skip_locked=True)
            .filter(available_at__lte=now)
            .order_by("id")[:batch]
        )
        published: list[int] = []
        failed = False
        for job in jobs:
            try:
                _publish(job)
            except Exception:  # whatever the broker raised: the row stays for the next round
                logger.warning("outbox: publishing %s failed; will retry", job, exc_info=True)
                failed = True
                break
            published.append(job.pk)
        OutboxJob.objects.filter(pk__in=published).delete()
        if failed:
            OutboxJob.objects.filter(pk__in=[job.pk for job in jobs[len(published) :]]).update(
                available_at=timezone.now() + RETRY_AFTER, attempts=F("attempts") + 1
            )
    return len(published)


def relay_forever(*, poll: float = POLL_SECONDS, stop: threading.Event | None = None) -> None:
    """Relay until `stop` is set or the process gets SIGTERM/SIGINT (it finishes the round it is
    in). A database error is logged and the connection dropped; the next round reconnects."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_args: stop.set())
    while not stop.is_set():
        close_old_connections()
        try:
            published = outbox_relay()
        except Exception:
            logger.exception("outbox: relay round failed; retrying")
            from django.db import connection

            connection.close()
            published = 0
        if published < BATCH:
            stop.wait(poll)
