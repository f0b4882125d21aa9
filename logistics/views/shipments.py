"""The public tracking page: no login, nothing personal (countries, hubs and events only)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.selectors import shipments as selectors


def track(request, tracking_number: str):
    shipment = selectors.shipment_get_public(tracking_number)
    if shipment is None:
        raise Http404(_("No shipment has this tracking number."))
    legs = list(shipment.legs.all())
    events = list(shipment.events.all())
    days_left = None
    if shipment.eta and shipment.status != "delivered":
        days_left = max((shipment.eta.date() - timezone.now().date()).days, 0)
    context = {
        "shipment": shipment,
        "legs": legs,
        "events": list(reversed(events)),  # newest first, as carriers show them
        "latest": events[-1] if events else None,
        "days_left": days_left,
        "route_cities": [leg.to_hub.city for leg in legs if leg.to_hub],
        "notice": selectors.shipment_notice(shipment),  # re-routed, or waiting at a hub
    }
    return render(request, "logistics/track.html", context)
