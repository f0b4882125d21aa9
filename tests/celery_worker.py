"""A real Celery worker process for job tests: same broker and database as the test run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def running_worker(
    queues: str = "default,routing", *, pool: str = "solo", concurrency: int = 1, **extra_env: str
) -> Iterator[subprocess.Popen]:
    """Start `celery worker` against the test database and broker; stop it afterwards.

    The worker leads its own process group, so a test can kill it with its pool in one
    `os.killpg(proc.pid, signal.SIGKILL)`."""
    from ewtp.celery import app

    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ewtp.test_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "REDIS_URL": settings.CELERY_BROKER_URL,
        **extra_env,
    }
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
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=0.5) or []
            if replies:
                break
            assert proc.poll() is None, "celery worker exited during start-up"
        else:
            raise AssertionError("celery worker did not answer a ping within 30 s")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the parent and its pool
            proc.wait(timeout=15)
