"""Celery: named queues, tasks enqueued only after commit, a real worker consuming Redis."""

import pytest
import redis
from django.conf import settings
from django.db import transaction

from ewtp.celery import app, ping
from tests.celery_worker import running_worker


def queue_length(name: str) -> int:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL).llen(name)


@pytest.fixture
def empty_default_queue():
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete("default")
    yield
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete("default")


def test_named_queues_and_routing():
    assert {q.name for q in app.conf.task_queues} >= {"default", "routing"}
    assert app.conf.task_default_queue == "default"
    assert app.amqp.router.route({}, "ewtp.ping")["queue"].name == "default"


@pytest.mark.django_db(transaction=True)
def test_task_is_not_sent_when_the_transaction_rolls_back(empty_default_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        ping.delay_on_commit("never")
        raise RuntimeError("rolled back")
    assert queue_length("default") == 0


@pytest.mark.django_db(transaction=True)
def test_task_is_sent_only_after_commit(empty_default_queue):
    with transaction.atomic():
        ping.delay_on_commit("after-commit")
        assert queue_length("default") == 0  # still inside the transaction
    assert queue_length("default") == 1


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_from_redis(empty_default_queue):
    with running_worker():
        assert ping.delay("hello").get(timeout=30) == "hello"
