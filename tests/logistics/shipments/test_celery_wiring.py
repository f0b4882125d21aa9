"""Routing jobs go on the `routing` queue; the sweeper and the simulation tick run from beat."""

import json

import pytest
from django.conf import settings

from ewtp.celery import app
from ewtp.models import OutboxJob
from ewtp.outbox import outbox_relay
from logistics import tasks
from logistics.models import Hub
from logistics.services.network import hub_resume, hub_suspend


def test_route_tasks_go_on_the_routing_queue_and_periodic_jobs_on_default():
    assert app.amqp.router.route({}, tasks.route_shipment.name)["queue"].name == "routing"
    assert app.amqp.router.route({}, tasks.sweep_unrouted_shipments.name)["queue"].name == "default"
    assert app.amqp.router.route({}, tasks.simulation_tick.name)["queue"].name == "default"


def test_beat_runs_the_sweeper_every_minute_and_the_tick_often():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["logistics.sweep_unrouted_shipments"] == 60.0
    assert schedule["logistics.simulation_tick"] <= 15.0
    # Lost parcel e-mail jobs are published again well within the sweeper's 2-day window.
    assert schedule["logistics.sweep_parcel_emails"] <= 300.0
    assert app.amqp.router.route({}, tasks.sweep_parcel_emails.name)["queue"].name == "default"


def test_routing_jobs_survive_worker_loss_and_retry_transient_errors_only():
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.broker_transport_options["visibility_timeout"] == 3600
    retried = {error.__name__ for error in tasks.route_shipment.autoretry_for}
    assert {"OperationalError", "InterfaceError", "ConnectionError"} <= retried
    assert tasks.route_shipment.max_retries == 8 and tasks.route_shipment.retry_backoff


@pytest.mark.django_db(transaction=True)
def test_suspending_a_hub_writes_a_reroute_job_for_the_routing_queue_with_the_change(
    seeded_network, empty_routing_queue
):
    hub = Hub.objects.get(code="ADD")
    hub_suspend(hub=hub, reason="Outage")
    assert empty_routing_queue.llen("routing") == 0  # nothing waits on the broker: the outbox
    assert list(OutboxJob.objects.values_list("task", "args")) == [("logistics.route_around_hub", [hub.pk])]
    hub_resume(hub=hub)
    assert list(OutboxJob.objects.order_by("pk").values_list("task", "args"))[-1] == (
        "logistics.route_waiting_shipments",
        [],
    )
    assert outbox_relay() == 2
    messages = [json.loads(raw) for raw in reversed(empty_routing_queue.lrange("routing", 0, -1))]
    assert [(m["headers"]["task"], m["headers"]["argsrepr"]) for m in messages] == [
        ("logistics.route_around_hub", f"[{hub.pk}]"),
        ("logistics.route_waiting_shipments", "()"),  # resuming lets waiting parcels move on
    ]


def test_beat_relays_the_outbox_as_the_relay_processs_backstop():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["ewtp.relay_outbox"] <= 30.0
