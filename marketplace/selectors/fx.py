"""Exchange rates in force on a date (cached under the catalog version and the date)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from marketplace.cache import cache_get, cache_set, versioned_key
from marketplace.models import ExchangeRate
from marketplace.pricing.fx import Rates


def rates_in_force(on: date | None = None) -> Rates:
    """The latest rate per currency with `valid_from <= on` (default today), in one query."""
    on = on or timezone.localdate()
    key = versioned_key("rates", (on,))
    cached = cache_get(key)
    if cached is not None:
        return cached
    per_usd: dict[str, Decimal] = {}
    rows = (
        ExchangeRate.objects.filter(valid_from__lte=on)
        .order_by("currency", "valid_from")
        .values_list("currency", "units_per_usd")
    )
    for currency, units in rows:
        per_usd[currency] = units  # later valid_from overwrites earlier
    rates = Rates(per_usd=per_usd, as_of=on)
    cache_set(key, rates)
    return rates
