"""Cache invalidation: any change to the network bumps its version (connected in `ready()`)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from logistics.models import CountryLeg, Hub, Lane
from logistics.services import network as services


def _network_changed(sender, **kwargs) -> None:
    services.network_version_bump()


def connect() -> None:
    for model in (Hub, Lane, CountryLeg):
        post_save.connect(
            _network_changed, sender=model, dispatch_uid=f"network-version-save-{model.__name__}"
        )
        post_delete.connect(
            _network_changed, sender=model, dispatch_uid=f"network-version-delete-{model.__name__}"
        )
