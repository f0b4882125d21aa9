"""Every write to the network goes through here (admin saves and actions, the seeder).

Each one moves the `network` version after commit (`ewtp.versions`): every process rebuilds its
cached planner on its next quote, and the marketplace's "ships to" answers follow."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ewtp import versions
from ewtp.exceptions import DomainError, InvalidTransition
from logistics import jobs
from logistics.models import HUB_TRANSITIONS, Carrier, CountryLeg, Hub, HubEvent, HubStatus, Lane
from logistics.selectors.shipments import parcels_to_go_on_lanes
from marketplace.models import User

logger = logging.getLogger(__name__)


def _save(instance: Model, update_fields: list[str] | None) -> None:
    instance.full_clean()
    instance.save(update_fields=update_fields)
    versions.bump_on_commit(versions.NETWORK)


def _delete(rows: QuerySet) -> int:
    count, _by_model = rows.delete()
    versions.bump_on_commit(versions.NETWORK)
    return count


@transaction.atomic
def hub_save(*, hub: Hub, update_fields: list[str] | None = None) -> Hub:
    """Create or edit a hub (validated with the model's rules). Its status changes go through
    `hub_set_status`, which records why."""
    _save(hub, update_fields)
    return hub


@transaction.atomic
def hub_delete(*, hubs: QuerySet[Hub]) -> int:
    """Delete hubs, and with them the lanes that leave or reach them."""
    return _delete(hubs)


@transaction.atomic
def carrier_save(*, carrier: Carrier, update_fields: list[str] | None = None) -> Carrier:
    """Create or edit a carrier. Suspending one (operating → not) takes its lanes out of routing
    and re-plans the parcels booked on them, as a hub suspension does; resuming one lets parcels
    waiting for a path move on (jobs after commit)."""
    was_active = None
    if carrier.pk is not None:
        was_active = Carrier.objects.filter(pk=carrier.pk).values_list("is_active", flat=True).first()
    _save(carrier, update_fields)
    if was_active and not carrier.is_active:
        jobs.route_around_carrier(carrier.pk)
    elif was_active is False and carrier.is_active:
        jobs.route_waiting_shipments()
    return carrier


@transaction.atomic
def carrier_set_operating(*, carrier: Carrier, operating: bool, reason: str = "") -> Carrier:
    """Suspend (with a reason) or resume a carrier: `carrier_save` does the rest."""
    carrier.is_active, carrier.status_reason = operating, "" if operating else str(reason)[:240]
    return carrier_save(carrier=carrier, update_fields=["is_active", "status_reason", "updated_at"])


@transaction.atomic
def lane_save(*, lane: Lane, update_fields: list[str] | None = None) -> Lane:
    """Create or edit a lane. Closing one (active → inactive) re-plans the shipments that would
    take it, and reopening one lets parcels waiting for a path move on (jobs after commit)."""
    was_active = None
    if lane.pk is not None:
        was_active = Lane.objects.filter(pk=lane.pk).values_list("is_active", flat=True).first()
    _save(lane, update_fields)
    if was_active and not lane.is_active:
        jobs.route_around_lane(lane.pk)
    elif was_active is False and lane.is_active:
        jobs.route_waiting_shipments()
    return lane


@transaction.atomic
def lane_delete(*, lanes: QuerySet[Lane]) -> int:
    """Delete lanes that no parcel has still to travel. Deleting one in use would strand its
    parcels on a lane that no longer exists (no re-routing, no booking): close it instead
    (`lane_save` with `is_active` off re-routes them), and delete it once none is left.
    Raises `DomainError` naming the lanes still in use."""
    lanes = lanes.select_for_update()
    in_use = parcels_to_go_on_lanes(lanes.values_list("pk", flat=True))
    if in_use:
        names = ", ".join(
            str(lane) for lane in Lane.objects.filter(pk__in=in_use).select_related("origin", "destination")
        )
        raise DomainError(lane_in_use_message(names, sum(len(parcels) for parcels in in_use.values())))
    return _delete(lanes)


def lane_in_use_message(lanes: str, parcels: int) -> str:
    return ngettext(
        "%(lanes)s: %(count)d parcel still has to travel on it. Close the lane instead (its parcels "
        "are re-routed), and delete it once none is left.",
        "%(lanes)s: %(count)d parcels still have to travel on it. Close the lane instead (its "
        "parcels are re-routed), and delete it once none is left.",
        parcels,
    ) % {"lanes": lanes, "count": parcels}


@transaction.atomic
def country_leg_save(*, leg: CountryLeg, update_fields: list[str] | None = None) -> CountryLeg:
    """Create or edit a first- or last-mile service."""
    _save(leg, update_fields)
    return leg


@transaction.atomic
def country_leg_delete(*, legs: QuerySet[CountryLeg]) -> int:
    return _delete(legs)


@transaction.atomic
def hub_set_status(
    *,
    hub: Hub,
    status: HubStatus,
    reason: str = "",
    until: datetime | None = None,
    actor: User | None = None,
) -> Hub:
    """Move a hub to `status`, recording a `HubEvent`. The planner stops (or resumes) using it as
    soon as this commits (the network version moves).

    Raises `InvalidTransition` for a move to the status it already has, and `DomainError` when a
    suspension or degradation has no reason.
    """
    hub = Hub.objects.select_for_update().get(pk=hub.pk)
    current = HubStatus(hub.status)
    if status not in HUB_TRANSITIONS[current]:
        raise InvalidTransition(
            _("Hub %(code)s is already %(status)s.") % {"code": hub.code, "status": current.label}
        )
    reason = reason.strip()
    if status != HubStatus.ACTIVE and not reason:
        raise DomainError(
            _("Say why the hub is %(status)s.") % {"status": status.label},
            field_errors={"reason": [_("A reason is required.")]},
        )
    if until is not None and until <= timezone.now():
        raise DomainError(
            _("“Until” must be in the future."), field_errors={"until": [_("Pick a later time.")]}
        )
    HubEvent.objects.create(
        hub=hub, from_status=current, to_status=status, reason=reason, until=until, actor=actor
    )
    hub.status = status
    hub.status_reason = reason if status != HubStatus.ACTIVE else ""
    hub.status_until = until if status != HubStatus.ACTIVE else None
    hub.save(update_fields=["status", "status_reason", "status_until", "updated_at"])
    versions.bump_on_commit(versions.NETWORK)
    if status == HubStatus.SUSPENDED:
        jobs.route_around_hub(hub.pk)
    elif current == HubStatus.SUSPENDED:  # reopened: parcels waiting for it move on
        jobs.route_waiting_shipments()
    return hub


def hub_suspend(*, hub: Hub, reason: str, until: datetime | None = None, actor: User | None = None) -> Hub:
    return hub_set_status(hub=hub, status=HubStatus.SUSPENDED, reason=reason, until=until, actor=actor)


def hub_degrade(*, hub: Hub, reason: str, until: datetime | None = None, actor: User | None = None) -> Hub:
    return hub_set_status(hub=hub, status=HubStatus.DEGRADED, reason=reason, until=until, actor=actor)


def hub_resume(*, hub: Hub, reason: str = "", actor: User | None = None) -> Hub:
    return hub_set_status(hub=hub, status=HubStatus.ACTIVE, reason=reason, actor=actor)
