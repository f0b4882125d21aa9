"""Celery tasks of the project's own wiring: thin callers."""

from __future__ import annotations

from celery import shared_task

from ewtp.outbox import outbox_relay


@shared_task(name="ewtp.relay_outbox")
def relay_outbox() -> int:
    """Beat, every 30 s: the backstop of the relay process (`manage.py relay_outbox`), so jobs
    still go out, later, where none runs."""
    return outbox_relay()
