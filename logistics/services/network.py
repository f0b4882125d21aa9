"""Every write to the network goes through here (admin actions and the seeder included)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ewtp.exceptions import DomainError, InvalidTransition
from logistics.models import HUB_TRANSITIONS, Hub, HubEvent, HubStatus, NetworkVersion
from marketplace.models import User

logger = logging.getLogger(__name__)


def network_version_bump() -> None:
    """Mark the network changed: every process rebuilds its cached planner on its next quote.

    Called on every save/delete of a hub, lane or first/last-mile service (see `logistics.signals`),
    so admin edits count too. Writes that bypass model signals (`QuerySet.update`, bulk_create) must
    call it themselves.
    """
    now = timezone.now()
    if not NetworkVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now):
        NetworkVersion.objects.get_or_create(pk=1, defaults={"version": 1})


@transaction.atomic
def hub_set_status(
    *,
    hub: Hub,
    status: HubStatus,
    reason: str = "",
    until: datetime | None = None,
    actor: User | None = None,
) -> Hub:
    """Move a hub to `status`, recording a `HubEvent`. The planner stops (or resumes) using it at
    once, because saving the hub bumps the network version.

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
    if status == HubStatus.SUSPENDED:
        transaction.on_commit(lambda: _publish_reroute(hub.pk))
    return hub


def _publish_reroute(hub_id: int) -> None:
    """Shipments planned through a suspended hub are re-planned by a job on the routing queue."""
    from logistics import tasks

    try:
        tasks.route_around_hub.delay(hub_id)
    except Exception:  # the suspension is committed and stands
        logger.warning("re-routing around hub %s not published", hub_id, exc_info=True)


def hub_suspend(*, hub: Hub, reason: str, until: datetime | None = None, actor: User | None = None) -> Hub:
    return hub_set_status(hub=hub, status=HubStatus.SUSPENDED, reason=reason, until=until, actor=actor)


def hub_degrade(*, hub: Hub, reason: str, until: datetime | None = None, actor: User | None = None) -> Hub:
    return hub_set_status(hub=hub, status=HubStatus.DEGRADED, reason=reason, until=until, actor=actor)


def hub_resume(*, hub: Hub, reason: str = "", actor: User | None = None) -> Hub:
    return hub_set_status(hub=hub, status=HubStatus.ACTIVE, reason=reason, actor=actor)
