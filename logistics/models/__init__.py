"""Logistics models: the e-hub network now; shipments and tracking join with their issue."""

from logistics.models.network import (  # noqa: F401  (re-exported: migrations name logistics.models.*)
    HUB_TRANSITIONS,
    CountryLeg,
    CountryLegKind,
    Hub,
    HubEvent,
    HubStatus,
    Lane,
    Mode,
    validate_departure_times,
    validate_timezone,
    validate_weekdays,
)
