"""Every job logistics needs run, written to the outbox in the caller's transaction (`ewtp.outbox`):
the one place logistics asks for a job. The relay publishes them after commit, so neither a request
nor a tick ever waits on the broker, and a job is never lost with a crash or a broker outage.

Jobs are named here, and `logistics.tasks` defines them under these names (the tasks import this
module, never the other way round).
"""

from __future__ import annotations

from collections.abc import Iterable

from ewtp.outbox import outbox_add, outbox_add_many

ROUTE_SHIPMENT = "logistics.route_shipment"
ROUTE_SHIPMENTS = "logistics.route_shipments"
ROUTE_AROUND_HUB = "logistics.route_around_hub"
ROUTE_AROUND_LANE = "logistics.route_around_lane"
ROUTE_AROUND_CARRIER = "logistics.route_around_carrier"
ROUTE_WAITING_SHIPMENTS = "logistics.route_waiting_shipments"
SEND_PARCEL_EMAILS = "logistics.send_parcel_emails"

ROUTING_BATCH = 100  # shipments per `route_shipments` job
EMAIL_BATCH = 200  # tracking events per `send_parcel_emails` job (a tick may write thousands)


def _chunks(ids: Iterable[int], size: int) -> list[list[int]]:
    ids = list(ids)
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def route_shipment(shipment_id: int) -> None:
    """Plan this shipment's route (on the `routing` queue)."""
    outbox_add(ROUTE_SHIPMENT, shipment_id)


def route_shipments(shipment_ids: Iterable[int]) -> None:
    """Plan these shipments' routes together, `ROUTING_BATCH` to a job."""
    outbox_add_many((ROUTE_SHIPMENTS, [chunk]) for chunk in _chunks(shipment_ids, ROUTING_BATCH))


def route_around_hub(hub_id: int) -> None:
    """A hub was suspended: re-plan the shipments whose remaining legs use it."""
    outbox_add(ROUTE_AROUND_HUB, hub_id)


def route_around_lane(lane_id: int) -> None:
    """A lane was closed: re-plan the shipments whose remaining legs take it."""
    outbox_add(ROUTE_AROUND_LANE, lane_id)


def route_around_carrier(carrier_id: int) -> None:
    """A carrier was suspended: re-plan the shipments whose remaining legs take its lanes."""
    outbox_add(ROUTE_AROUND_CARRIER, carrier_id)


def route_waiting_shipments() -> None:
    """A hub resumed or a lane reopened: parcels waiting at hubs move on."""
    outbox_add(ROUTE_WAITING_SHIPMENTS)


def send_parcel_emails(event_ids: Iterable[int]) -> None:
    """The buyer's e-mails for these tracking events, `EMAIL_BATCH` to a job."""
    outbox_add_many((SEND_PARCEL_EMAILS, [chunk]) for chunk in _chunks(event_ids, EMAIL_BATCH))
