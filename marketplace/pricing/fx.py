"""Prices in another currency: dated rates and conversion (pure).

Conversion pivots through USD (rates are units per USD): A→B = amount / rate(A) × rate(B),
in `Decimal`, rounded half-up to B's ISO-4217 minor unit from Babel (`ewtp.money.quantize`).
A missing rate is an answer, not an error: `convert` returns None and pages show the original."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from babel.numbers import get_territory_currencies

from ewtp.money import Money, quantize

FALLBACK_CURRENCY = "USD"


@dataclass(frozen=True)
class Rates(Mapping[str, Decimal]):
    """Units per USD for each currency, as in force on `as_of`."""

    per_usd: dict[str, Decimal] = field(default_factory=dict)
    as_of: date | None = None

    def __getitem__(self, currency: str) -> Decimal:
        return self.per_usd[currency]

    def __iter__(self) -> Iterator[str]:
        return iter(self.per_usd)

    def __len__(self) -> int:
        return len(self.per_usd)

    def convert(self, money: Money, to: str) -> Money | None:
        """`money` in currency `to`, rounded to its minor unit; None when a rate is missing."""
        if money.currency == to:
            return money.quantized()
        source, target = self.per_usd.get(money.currency), self.per_usd.get(to)
        if source is None or target is None:
            return None
        return Money(quantize(money.amount / source * target, to), to)

    def factor(self, source: str, target: str) -> Decimal | None:
        """Units of `target` per unit of `source` (unrounded), or None when a rate is missing."""
        if source == target:
            return Decimal(1)
        if source not in self.per_usd or target not in self.per_usd:
            return None
        return self.per_usd[target] / self.per_usd[source]


@dataclass(frozen=True)
class DisplayPrice:
    """A listing price as a buyer sees it: the original, and the converted amount when possible."""

    original: Money
    converted: Money | None
    currency: str  # the display currency asked for

    @property
    def is_converted(self) -> bool:
        return self.converted is not None and self.converted.currency != self.original.currency

    @property
    def unavailable(self) -> bool:
        return self.converted is None


def display_price(price: Money, currency: str, rates: Rates) -> DisplayPrice:
    return DisplayPrice(original=price, converted=rates.convert(price, currency), currency=currency)


def display_price_payload(price: Money, currency: str, rates: Rates) -> dict[str, str] | None:
    """The API's `display_price`: `{amount, currency}` as decimal strings, or None without a rate."""
    converted = rates.convert(price, currency)
    if converted is None:
        return None
    return {"amount": str(converted.amount), "currency": converted.currency}


def currency_for_country(country: str | None) -> str | None:
    """The legal tender of a territory today, per Babel's CLDR data (KE → KES)."""
    if not country:
        return None
    try:
        currencies = get_territory_currencies(str(country).upper(), tender=True)
    except Exception:  # Babel raises plain errors for unknown territories
        return None
    return currencies[0] if currencies else None
