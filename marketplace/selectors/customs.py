"""Import rules in force on a date, as plain data for the landed-cost engine.

`import_rules_in_force(country=..., on=...)` is what checkout and the product page's estimate call:
the destination's tax regime and its duty rates by HS heading, in two queries, ready for
`marketplace.pricing.landed_cost.landed_cost(regime=rules.regime, duty_rates=rules.duty_rates, ...)`.
Validity bounds are inclusive; an empty bound is open-ended.

Checkout asks on every quote and order, so it reads through `destination_rules(...)`: the same rules
plus the destination's restricted headings, cached per country and date under the `customs`
version (`ewtp.versions`), which every customs service moves on commit: one cache read instead of
three queries, and an operator's correction shows at once. Entries live at most
`IMPORT_RULES_CACHE_SECONDS`; since a key names its answer exactly, each process also keeps it
(as long) in `marketplace.cache.memo` and skips the round trip and the unpickling next time.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Q, QuerySet

from ewtp import versions
from marketplace.cache import memo
from marketplace.models import DutyRate, RestrictedGoods, TaxRegime
from marketplace.pricing.landed_cost import RegimeTerms

IMPORT_RULES_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class ImportRules:
    country: str
    on: date
    regime: RegimeTerms | None  # None: no regime on file for the country on that date
    duty_rates: Mapping[str, Decimal] = field(default_factory=dict)  # "6109" / "610910" → 0.12


def _in_force(queryset: QuerySet, on: date) -> QuerySet:
    return queryset.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def tax_regime_in_force(*, country: str, on: date) -> TaxRegime | None:
    """The regime row of `country` whose period holds `on` (periods never overlap)."""
    return _in_force(TaxRegime.objects.filter(country=country.upper()), on).first()


def import_rules_in_force(*, country: str, on: date) -> ImportRules:
    country = country.upper()
    regime = tax_regime_in_force(country=country, on=on)
    rates = _in_force(DutyRate.objects.filter(country=country), on).values_list("hs_code", "rate")
    return ImportRules(
        country=country,
        on=on,
        regime=regime.terms() if regime is not None else None,
        duty_rates=dict(rates),
    )


def restricted_goods_for(*, country: str, hs_codes: Iterable[str]) -> dict[str, str]:
    """Which of `hs_codes` (6-digit) `country` refuses, with the reason: listed by their
    subheading or by their 4-digit heading. One query."""
    codes = {code for code in hs_codes if code}
    if not codes:
        return {}
    candidates = codes | {code[:4] for code in codes}
    reasons = dict(
        RestrictedGoods.objects.filter(country=country.upper(), hs_code__in=candidates).values_list(
            "hs_code", "reason"
        )
    )
    found = {}
    for code in codes:
        reason = reasons.get(code) or reasons.get(code[:4])
        if reason:
            found[code] = reason
    return found


@dataclass(frozen=True)
class DestinationRules:
    """What checkout needs to know about a destination on a date: import rules and refused goods."""

    rules: ImportRules
    restricted: Mapping[str, str]  # HS heading (4 digits) or subheading (6) → reason

    def restricted_reason(self, hs_code: str) -> str | None:
        """Why the destination refuses `hs_code` (by its subheading or its heading), or None."""
        if not hs_code:
            return None
        return self.restricted.get(hs_code) or self.restricted.get(hs_code[:4])


def destination_rules(*, country: str, on: date) -> DestinationRules:
    """`import_rules_in_force` and the country's restricted goods, cached (see the module doc)."""
    country = country.upper()
    token = versions.current(versions.CUSTOMS)
    key = f"import-rules:{token}:{country}:{on.isoformat()}" if token else None
    if key is None:
        return _destination_rules_from_db(country=country, on=on)
    kept = memo.get(key)  # the key names its answer exactly: this process keeps it too
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    cached = cache.get(key)
    if cached is None:
        cached = _destination_rules_from_db(country=country, on=on)
        cache.set(key, cached, IMPORT_RULES_CACHE_SECONDS)
    memo.set(key, (time.monotonic() + IMPORT_RULES_CACHE_SECONDS, cached))  # no longer than Redis
    return cached


def _destination_rules_from_db(*, country: str, on: date) -> DestinationRules:
    return DestinationRules(
        rules=import_rules_in_force(country=country, on=on),
        restricted=dict(RestrictedGoods.objects.filter(country=country).values_list("hs_code", "reason")),
    )
