"""The public tracking page: no login, nothing personal (countries, hub cities and events only)."""

from __future__ import annotations

import re

from django.shortcuts import redirect, render

from ewtp.throttles import FailedLookupLimit
from logistics.selectors import shipments as selectors
from logistics.selectors.tracking import tracking_summary
from logistics.tracking_numbers import normalise

# Unknown numbers per client address, at the API's tracking rate (EWTP_THROTTLE_RATES["tracking"]).
unknown_lookups = FailedLookupLimit("tracking")
LOOKS_LIKE_A_NUMBER = re.compile(r"^[A-Z0-9]{1,40}$")


def track_lookup(request):
    """ "Track a parcel": `/track/?number=EW…` goes to that parcel's page (302), whose answer for
    an unknown number is a 404 with this form again; no number shows the form."""
    raw = request.GET.get("number", "")
    if not raw.strip():
        return render(request, "logistics/track_lookup.html", {"number": ""})
    number = normalise(raw)
    if LOOKS_LIKE_A_NUMBER.match(number):
        return redirect("track", tracking_number=number)
    return throttled(request) or not_found(request, raw)


def throttled(request):
    """The 429 page for an address over its rate of unknown numbers; None when it may look."""
    wait = unknown_lookups.retry_after(request)
    if wait is None:
        return None
    response = render(request, "logistics/track_throttled.html", {"seconds": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def not_found(request, number: str):
    unknown_lookups.record_miss(request)
    return render(request, "logistics/track_not_found.html", {"tracking_number": number[:40]}, status=404)


def track(request, tracking_number: str):
    if refused := throttled(request):
        return refused
    shipment = selectors.shipment_get_public(tracking_number)
    if shipment is None:
        return not_found(request, tracking_number)
    context = {
        "summary": tracking_summary(shipment),
        "notice": selectors.shipment_notice(shipment),  # re-routed, or waiting at a hub
    }
    return render(request, "logistics/track.html", context)
