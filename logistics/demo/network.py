"""Seeds the demo network (12 hubs, their lanes, first/last-mile services) from `logistics/demo/data/`.

Idempotent: rows are matched by natural key (hub code; lane origin, destination and mode; country
and kind) and only written — through the services — when a value differs, so a second run writes
nothing and leaves the network version alone. Hub status and lane `is_active` are operators'
decisions: set on creation, never reset by a later run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django_countries.fields import MultipleCountriesDescriptor

from logistics.demo.reference_data import carrier_rows, country_leg_rows, hub_rows, lane_carriers, lane_rows
from logistics.models import Carrier, CountryLeg, Hub, Lane
from logistics.services.network import carrier_save, country_leg_save, hub_save, lane_save


def _save(instance: models.Model, update_fields: list[str] | None = None) -> None:
    if isinstance(instance, Hub):
        hub_save(hub=instance, update_fields=update_fields)
    elif isinstance(instance, Carrier):
        carrier_save(carrier=instance, update_fields=update_fields)
    elif isinstance(instance, Lane):
        lane_save(lane=instance, update_fields=update_fields)
    else:
        country_leg_save(leg=instance, update_fields=update_fields)


def _comparable(value: Any) -> Any:
    if isinstance(value, MultipleCountriesDescriptor):
        return sorted(country.code for country in value)
    if isinstance(value, list | tuple):
        return [_comparable(item) for item in value]
    if hasattr(value, "code"):  # django-countries' Country
        return value.code
    return value


def _upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[Any, str]:
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        _save(instance)
        return instance, "created"
    changed = [
        name for name, value in values.items() if _comparable(getattr(instance, name)) != _comparable(value)
    ]
    if not changed:
        return instance, "unchanged"
    for name in changed:
        setattr(instance, name, values[name])
    _save(instance, update_fields=[*changed, "updated_at"])
    return instance, "updated"


@transaction.atomic
def seed_network(log: Callable[[str], None]) -> None:
    tally: dict[str, int] = {}

    def count(kind: str, outcome: str) -> None:
        tally[f"{kind} {outcome}"] = tally.get(f"{kind} {outcome}", 0) + 1

    hubs: dict[str, Hub] = {}
    for row in hub_rows():
        hub, outcome = _upsert(
            Hub,
            {"code": row.code},
            {
                "name": row.name,
                "city": row.city,
                "country": row.country,
                "latitude": row.latitude,
                "longitude": row.longitude,
                "timezone": row.timezone,
                "is_ewtp_ehub": row.is_ewtp_ehub,
                "customs_clearance": row.customs_clearance,
                "bonded_warehouse": row.bonded_warehouse,
                "fulfilment": row.fulfilment,
                "handling_hours": row.handling_hours,
                "import_clearance_hours": row.import_clearance_hours,
                "sort_capacity_per_day": row.sort_capacity_per_day,
                "serves_countries": sorted(row.serves_countries),
                "note": row.note,
            },
        )
        hubs[row.code] = hub
        count("hubs", outcome)
    carriers = {}
    for row in carrier_rows():
        carrier, outcome = _upsert(
            Carrier,
            {"code": row.code},
            {
                "name": row.name,
                "service_levels": list(row.service_levels),
                "tracking_prefix": row.tracking_prefix,
                "source": row.source,
            },
        )
        carriers[row.code] = carrier
        count("carriers", outcome)
    operated_by = lane_carriers()
    for row in lane_rows():
        _, outcome = _upsert(
            Lane,
            {"origin": hubs[row.origin], "destination": hubs[row.destination], "mode": row.mode.value},
            {
                "departure_weekdays": list(row.schedule.weekdays),
                "departure_times": [t.strftime("%H:%M") for t in row.schedule.times],
                "cutoff_hours": row.cutoff_hours,
                "transit_hours": row.transit_hours,
                "cost_per_kg_amount": row.cost_per_kg,
                "min_charge_amount": row.min_charge,
                "capacity_kg_per_departure": row.capacity_kg,
                "note": row.note,
                "carrier": carriers.get(operated_by.get((row.origin, row.destination, row.mode.value), "")),
            },
        )
        count("lanes", outcome)
    for row in country_leg_rows():
        _, outcome = _upsert(
            CountryLeg,
            {"country": row.country, "kind": row.kind},
            {"hours": row.rate.hours, "base_amount": row.rate.base, "per_kg_amount": row.rate.per_kg},
        )
        count("first/last-mile services", outcome)
    log("logistics: " + ", ".join(f"{n} {what}" for what, n in sorted(tally.items())))
