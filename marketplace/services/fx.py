"""Writes to exchange rates. A rate is a dated row: the rate in force on a day is the latest one
with `valid_from` on or before it. Each write moves the `catalog` version after commit; a rate
whose `valid_from` is still to come changes prices on that day with no write at all, which is why
cached answers are keyed by the rates in force on the day too (`marketplace.selectors.fx`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet

from ewtp import versions
from marketplace.models import ExchangeRate


@transaction.atomic
def exchange_rate_save(*, rate: ExchangeRate) -> ExchangeRate:
    """Add or correct a dated rate (validated with the model's rules)."""
    rate.full_clean()
    rate.save()
    versions.bump_on_commit(versions.CATALOG)
    return rate


@transaction.atomic
def exchange_rate_set(*, currency: str, valid_from: date, units_per_usd: Decimal, source: str = "") -> bool:
    """The rate for (`currency`, `valid_from`), inserted or updated; returns whether it changed."""
    rate = ExchangeRate.objects.select_for_update().filter(currency=currency, valid_from=valid_from).first()
    if rate is None:
        rate = ExchangeRate(currency=currency, valid_from=valid_from)
    elif rate.units_per_usd == units_per_usd and rate.source == source:
        return False
    rate.units_per_usd, rate.source = units_per_usd, source
    exchange_rate_save(rate=rate)
    return True


@transaction.atomic
def exchange_rate_delete(*, rates: QuerySet[ExchangeRate]) -> int:
    count, _by_model = rates.delete()
    versions.bump_on_commit(versions.CATALOG)
    return count
