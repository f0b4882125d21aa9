"""The simulation clock (`logistics.clock`): one clock for routing, hand-over, the tick and pages,
never a lock others wait on, made once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from logistics.clock import simulation_now
from logistics.models import SimulationClock
from logistics.selectors.load import load_now

pytestmark = pytest.mark.django_db(transaction=True)

T0 = datetime(2026, 12, 1, 8, tzinfo=UTC)


def in_thread(work, results: list, name: str) -> threading.Thread:
    def run():
        try:
            results.append((name, work()))
        except Exception as exc:  # noqa: BLE001 — reported to the test
            results.append((name, exc))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_first_readings_in_parallel_make_one_clock(settings):
    """Two first readers both inserted the row (an IntegrityError for one of them)."""
    settings.EWTP_SIM_SPEED = 600
    barrier = threading.Barrier(8)
    results: list = []
    threads = [in_thread(lambda: (barrier.wait(), simulation_now())[1], results, str(i)) for i in range(8)]
    for thread in threads:
        thread.join(60)
    assert len(results) == 8 and all(isinstance(value, datetime) for _name, value in results), results
    assert SimulationClock.objects.count() == 1


def test_a_reader_in_a_long_transaction_never_makes_another_wait(settings):
    """`simulation_now` locked the clock row on every call: a hand-over or a tick holding it made
    every other reader wait until it committed."""
    settings.EWTP_SIM_SPEED = 600
    SimulationClock.objects.create(pk=1, simulated_at=T0, real_at=timezone.now() - timedelta(minutes=1))
    holding, release = threading.Event(), threading.Event()

    def long_transaction():
        with transaction.atomic():
            now = simulation_now()  # the anchor is stale: this reader moves it, and holds the row
            holding.set()
            release.wait(120)
        return now

    results: list = []
    holder = in_thread(long_transaction, results, "holder")
    assert holding.wait(60)
    other = in_thread(simulation_now, results, "other")
    other.join(60)  # a waiting reader would still be blocked here, whatever the machine's speed
    finished = [name for name, _value in results]
    release.set()
    holder.join(60)
    assert finished == ["other"], "the second reader waited for the first one's transaction"
    values = dict(results)
    assert abs(values["other"] - values["holder"]) < timedelta(hours=2)  # the same clock, 600×


def test_pages_read_the_same_clock_without_writing(settings):
    settings.EWTP_SIM_SPEED = 600
    assert load_now() - timezone.now() < timedelta(seconds=5)  # no clock yet: real time, nothing made
    assert not SimulationClock.objects.exists()
    SimulationClock.objects.create(pk=1, simulated_at=T0, real_at=timezone.now())
    before = SimulationClock.objects.values_list("simulated_at", "real_at").get()
    assert T0 <= load_now() <= simulation_now() + timedelta(seconds=1)
    assert load_now() - T0 < timedelta(hours=1)
    SimulationClock.objects.filter(pk=1).update(real_at=timezone.now() - timedelta(minutes=1))
    load_now()
    assert SimulationClock.objects.values_list("real_at", flat=True).get() != before[1]  # set above
    assert SimulationClock.objects.values_list("simulated_at", flat=True).get() == T0  # not advanced
