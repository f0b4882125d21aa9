"""Routing jobs go on the `routing` queue; the sweeper and the simulation tick run from beat."""

import json

import pytest
from django.conf import settings

from ewtp.celery import app
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
def test_suspending_a_hub_publishes_a_reroute_job_on_the_routing_queue_after_commit(
    seeded_network, empty_routing_queue
):
    hub = Hub.objects.get(code="ADD")
    hub_suspend(hub=hub, reason="Outage")
    messages = [json.loads(raw) for raw in empty_routing_queue.lrange("routing", 0, -1)]
    assert [(m["headers"]["task"], m["headers"]["argsrepr"]) for m in messages] == [
        ("logistics.route_around_hub", f"({hub.pk},)")
    ]
    hub_resume(hub=hub)
    newest = json.loads(empty_routing_queue.lindex("routing", 0))
    assert (newest["headers"]["task"], newest["headers"]["argsrepr"]) == (
        "logistics.route_waiting_shipments",
        "()",
    )
    assert empty_routing_queue.llen("routing") == 2  # resuming lets waiting parcels move on
