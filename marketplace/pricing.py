"""Prices in the buyer's currency: exchange rates in force, conversion and the display currency.

Conversion pivots through USD (rates are units per USD): A→B = amount / rate(A) × rate(B),
in `Decimal`, rounded half-up to B's ISO-4217 minor unit from Babel (`ewtp.money.quantize`).
A missing rate is an answer, not an error: `convert` returns None and pages show the original.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from babel.numbers import get_territory_currencies
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language, to_locale

from ewtp.money import Money, is_currency, quantize
from marketplace.catalog_cache import cache_get, cache_set, versioned_key
from marketplace.models import ExchangeRate, User

SESSION_KEY = "display_currency"
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

    def __hash__(self) -> int:
        return id(self)

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


def rates_in_force(on: date | None = None) -> Rates:
    """The latest rate per currency with `valid_from <= on` (default today), in one query."""
    on = on or timezone.localdate()
    key = versioned_key("rates", (on,))
    cached = cache_get(key)
    if cached is not None:
        return cached
    per_usd: dict[str, Decimal] = {}
    rows = ExchangeRate.objects.filter(valid_from__lte=on).order_by("currency", "valid_from")
    for currency, units in rows.values_list("currency", "units_per_usd"):
        per_usd[currency] = units  # later valid_from overwrites earlier
    rates = Rates(per_usd=per_usd, as_of=on)
    cache_set(key, rates)
    return rates


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


def _country_from_accept_language(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for part in header.split(",")[:5]:
        tag = part.split(";")[0].strip().replace("_", "-")
        pieces = tag.split("-")
        if len(pieces) >= 2 and len(pieces[-1]) == 2 and pieces[-1].isalpha():
            return pieces[-1].upper()
    return None


def buyer_country(request: HttpRequest) -> str | None:
    """The buyer's country: their profile, else the region of their browser language."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.country:
        return str(user.country)
    return _country_from_accept_language(request)


def display_currency_for(request: HttpRequest) -> str:
    """Profile choice for users, session choice otherwise, else the currency of their country."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and is_currency(user.display_currency):
        return user.display_currency
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if chosen and is_currency(chosen):
        return chosen
    return currency_for_country(buyer_country(request)) or FALLBACK_CURRENCY


@transaction.atomic
def display_currency_set(*, user: User, currency: str) -> User:
    """Store a logged-in buyer's display currency on their profile."""
    if not is_currency(currency):
        raise ValueError(f"Unknown currency {currency!r}")
    user.display_currency = currency
    user.save(update_fields=["display_currency"])
    return user


def babel_locale() -> str:
    """The active Django language as a Babel locale ("zh-hans" → "zh_Hans")."""
    return to_locale(get_language() or "en")
