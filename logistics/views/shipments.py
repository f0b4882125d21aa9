"""The public tracking page: no login, nothing personal (countries, hub cities and events only)."""

from __future__ import annotations

from django.shortcuts import render

from ewtp.throttles import FailedLookupLimit
from logistics.selectors import shipments as selectors
from logistics.selectors.tracking import tracking_summary

# Unknown numbers per client address, at the API's tracking rate (EWTP_THROTTLE_RATES["tracking"]).
unknown_lookups = FailedLookupLimit("tracking")


def track(request, tracking_number: str):
    wait = unknown_lookups.retry_after(request)
    if wait is not None:
        response = render(request, "logistics/track_throttled.html", {"seconds": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    shipment = selectors.shipment_get_public(tracking_number)
    if shipment is None:
        unknown_lookups.record_miss(request)
        context = {"tracking_number": tracking_number[:40]}
        return render(request, "logistics/track_not_found.html", context, status=404)
    context = {
        "summary": tracking_summary(shipment),
        "notice": selectors.shipment_notice(shipment),  # re-routed, or waiting at a hub
    }
    return render(request, "logistics/track.html", context)
