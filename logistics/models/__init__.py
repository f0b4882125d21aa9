"""Logistics models: the e-hub network, shipments and their legs, tracking events."""

from logistics.models.network import (  # noqa: F401  (re-exported: migrations name logistics.models.*)
    HUB_TRANSITIONS,
    Carrier,
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
from logistics.models.shipments import (  # noqa: F401,E402
    AWAITING_ROUTE,
    SHIPMENT_TRANSITIONS,
    DepartureBooking,
    ExceptionReason,
    LegKind,
    Shipment,
    ShipmentLeg,
    ShipmentStatus,
)
from logistics.models.simulation import HubSortDay, SimulationClock  # noqa: F401,E402
from logistics.models.tracking import EventSource, ParcelEmail, TrackingEvent, TrackingStatus  # noqa: F401,E402
