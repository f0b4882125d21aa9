"""Real Celery worker and outbox relay processes for job tests: same broker and database as the test run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

from celery import Celery
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def process_env(**extra_env: str) -> dict[str, str]:
    """The environment of a subprocess working on this test run's database and broker."""
    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ewtp.test_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "REDIS_URL": settings.CELERY_BROKER_URL,
        **extra_env,
    }


def stop(proc: subprocess.Popen) -> None:
    """TERM, then KILL its whole process group if it has not ended in 15 s."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the parent and its pool
        proc.wait(timeout=15)


@contextmanager
def running_relay(**extra_env: str) -> Iterator[subprocess.Popen]:
    """`manage.py relay_outbox` against the test database and broker: publishes the outbox's jobs."""
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "relay_outbox"],
        cwd=ROOT,
        env=process_env(**extra_env),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield proc
    finally:
        stop(proc)


@contextmanager
def running_worker(
    queues: str = "default,routing",
    *,
    pool: str = "solo",
    concurrency: int = 1,
    relay: bool = True,
    **extra_env: str,
) -> Iterator[subprocess.Popen]:
    """Start `celery worker` against the test database and broker, with (`relay`) the outbox's
    relay beside it as every deployment runs them; stop both afterwards.

    The worker leads its own process group, so a test can kill it with its pool in one
    `os.killpg(proc.pid, signal.SIGKILL)`."""
    from ewtp.celery import app

    with ExitStack() as stack:
        if relay:
            stack.enter_context(running_relay(**extra_env))
        proc = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ewtp",
                "worker",
                "-Q",
                queues,
                "--pool",
                pool,
                "--concurrency",
                str(concurrency),
                "--loglevel",
                "WARNING",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=process_env(**extra_env),
            start_new_session=True,
        )
        stack.callback(stop, proc)
        # The worker answers on its own broker (a test may give it another Redis).
        probe = (
            Celery("probe", broker=extra_env["REDIS_URL"], set_as_current=False)
            if "REDIS_URL" in extra_env
            else app
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            replies = probe.control.ping(timeout=0.5) or []
            if replies:
                break
            assert proc.poll() is None, "celery worker exited during start-up"
        else:
            raise AssertionError("celery worker did not answer a ping within 30 s")
        yield proc
