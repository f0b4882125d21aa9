"""The transactional outbox (`ewtp.outbox`): a job commits or rolls back with the change that asks
for it, the relay publishes each committed job (at least once, never twice at once), and a broker
outage loses nothing and blocks nobody."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction

from ewtp.models import OutboxJob
from ewtp.outbox import outbox_add, outbox_add_many, outbox_relay, relay_forever

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue():
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("default", "routing")
    yield client
    client.delete("default", "routing")


def published(queue, name: str = "default") -> list[tuple[str, str]]:
    return [
        (message["headers"]["task"], message["headers"]["argsrepr"])
        for message in map(json.loads, reversed(queue.lrange(name, 0, -1)))
    ]


def test_a_job_commits_and_rolls_back_with_its_transaction(queue):
    with transaction.atomic():
        outbox_add("ewtp.ping", "kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_add("ewtp.ping", "rolled back")
        raise RuntimeError("the change failed")
    assert outbox_relay() == 1
    assert published(queue) == [("ewtp.ping", "['kept']")]
    assert not OutboxJob.objects.exists()


def test_the_relay_publishes_oldest_first_on_each_tasks_queue(queue):
    outbox_add_many([("ewtp.ping", ["a"]), ("logistics.route_shipment", [7]), ("ewtp.ping", ["b"])])
    assert outbox_relay(batch=2) == 2
    assert outbox_relay(batch=2) == 1
    assert published(queue) == [("ewtp.ping", "['a']"), ("ewtp.ping", "['b']")]
    assert published(queue, "routing") == [("logistics.route_shipment", "[7]")]


@pytest.mark.slow  # the broker client's own retries take ~6 s
def test_with_the_broker_down_jobs_wait_and_go_out_when_it_is_back(queue, broker_unreachable, caplog):
    outbox_add("ewtp.ping", "patient")
    assert outbox_relay() == 0
    job = OutboxJob.objects.get()
    assert job.attempts == 1 and job.available_at > job.created_at  # not again at once
    assert "publishing" in caplog.text
    broker_unreachable()  # back
    assert outbox_relay(now=job.available_at - timedelta(microseconds=1)) == 0  # it waits its turn
    assert outbox_relay(now=job.available_at) == 1
    assert published(queue) == [("ewtp.ping", "['patient']")]


def test_two_relays_at_once_never_publish_a_job_twice(queue):
    outbox_add_many(("ewtp.ping", [n]) for n in range(300))
    barrier = threading.Barrier(3)
    counts: list[int] = []

    def relay() -> None:
        try:
            barrier.wait()
            while (done := outbox_relay(batch=25)) or OutboxJob.objects.exists():
                counts.append(done)
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sum(counts) == 300
    assert sorted(int(args.strip("[]")) for _task, args in published(queue)) == list(range(300))


def test_relay_forever_publishes_until_stopped(queue):
    stop = threading.Event()
    thread = threading.Thread(target=lambda: (relay_forever(poll=0.05, stop=stop), connection.close()))
    thread.start()
    try:
        outbox_add("ewtp.ping", "soon")
        for _ in range(600):
            if published(queue):
                break
            stop.wait(0.1)
    finally:
        stop.set()
        thread.join(60)
    assert not thread.is_alive()
    assert published(queue) == [("ewtp.ping", "['soon']")]
