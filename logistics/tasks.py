"""Celery tasks of logistics: thin callers of services, taking ids only.

Jobs are asked for through `logistics.jobs` (the outbox) and named there. `route_*` tasks go on
the `routing` queue (CELERY_TASK_ROUTES), the rest on `default`. They are idempotent, acknowledged
late (a killed worker's job is redelivered) and retried with backoff on transient database and
broker errors only. The sweepers run from beat: no long countdowns on the broker.
"""

from __future__ import annotations

from collections import Counter

from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from logistics import jobs
from logistics.services.parcel_emails import parcel_emails_send, parcel_emails_sweep
from logistics.services.rerouting import (
    shipments_release_waiting,
    shipments_reroute_around_carrier,
    shipments_reroute_around_hub,
    shipments_reroute_around_lane,
    shipments_sweep_outages,
)
from logistics.services.routing import shipment_route, shipments_route
from logistics.services.shipments import shipments_sweep_unrouted
from logistics.services.simulation import shipments_advance

TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    BrokerOperationalError,
    RedisConnectionError,
    RedisTimeoutError,
)
# Every routing-queue job: retried with backoff on transient database and broker errors only.
JOB_RETRIES = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(
    name=jobs.ROUTE_SHIPMENT,
    **JOB_RETRIES,
)
def route_shipment(shipment_id: int) -> str:
    return shipment_route(shipment_id=shipment_id)


@shared_task(
    name=jobs.ROUTE_SHIPMENTS,
    **JOB_RETRIES,
)
def route_shipments(shipment_ids: list[int]) -> dict[str, int]:
    """A batch of routing jobs (the sweeper's); returns how many ended how."""
    return dict(Counter(shipments_route(shipment_ids=shipment_ids).values()))


@shared_task(
    name=jobs.ROUTE_AROUND_HUB,
    **JOB_RETRIES,
)
def route_around_hub(hub_id: int) -> int:
    """A hub was suspended: shipments whose remaining legs use it are re-planned or wait."""
    return shipments_reroute_around_hub(hub_id=hub_id)


@shared_task(
    name=jobs.ROUTE_AROUND_LANE,
    **JOB_RETRIES,
)
def route_around_lane(lane_id: int) -> int:
    """A lane was closed: shipments whose remaining legs take it are re-planned or wait."""
    return shipments_reroute_around_lane(lane_id=lane_id)


@shared_task(
    name=jobs.ROUTE_AROUND_CARRIER,
    **JOB_RETRIES,
)
def route_around_carrier(carrier_id: int) -> int:
    """A carrier was suspended: shipments still to take its lanes are re-planned or wait."""
    return shipments_reroute_around_carrier(carrier_id=carrier_id)


@shared_task(
    name=jobs.ROUTE_WAITING_SHIPMENTS,
    **JOB_RETRIES,
)
def route_waiting_shipments() -> int:
    """A hub resumed or a lane reopened: parcels waiting at hubs are re-planned from there."""
    return shipments_release_waiting()


@shared_task(name="logistics.sweep_unrouted_shipments")
def sweep_unrouted_shipments() -> int:
    return shipments_sweep_unrouted()


@shared_task(name="logistics.sweep_outages")
def sweep_outages() -> int:
    """Beat: re-run re-routing whose job gave up or was lost with a worker, and release parcels
    waiting at hubs that are open again."""
    return shipments_sweep_outages()


@shared_task(name="logistics.sweep_parcel_emails")
def sweep_parcel_emails() -> int:
    """Beat: publish again the parcel e-mails whose job a broker outage lost."""
    return parcel_emails_sweep()


@shared_task(name="logistics.simulation_tick")
def simulation_tick() -> int:
    """Beat, every few seconds: advance the shipments whose next simulated event is due."""
    return shipments_advance()


@shared_task(
    name=jobs.SEND_PARCEL_EMAILS,
    autoretry_for=(*TRANSIENT_ERRORS, OSError),  # OSError: SMTP and socket errors
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
)
def send_parcel_emails(event_ids: list[int]) -> int:
    """The buyer's e-mails for these tracking events; an event already e-mailed is skipped, so a
    redelivered job sends nothing twice."""
    return parcel_emails_send(event_ids=event_ids)
