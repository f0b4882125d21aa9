"""The Celery app: tasks autodiscovered from the Django apps, two named queues.

`routing` carries shipment-routing jobs, `default` everything else. Tasks are enqueued
with `delay_on_commit` so a worker never sees a row that was rolled back.
"""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ewtp.settings")

app = Celery("ewtp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("routing"))
app.autodiscover_tasks()


@app.task(name="ewtp.ping")
def ping(token: str = "pong") -> str:  # noqa: S107
    """Round trip used by the health check smoke test: proves a worker consumes the broker."""
    return token
