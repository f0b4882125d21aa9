"""Catalog display helpers: prices in the buyer's currency, money formatting, origin flags."""

from __future__ import annotations

from django import template

from ewtp.money import Money
from marketplace.pricing import babel_locale, display_price

register = template.Library()

REGIONAL_INDICATOR_A = 0x1F1E6


@register.filter
def flag(code) -> str:
    """The flag emoji of an ISO 3166-1 alpha-2 code (two regional indicator symbols)."""
    code = str(code or "").upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return ""
    return "".join(chr(REGIONAL_INDICATOR_A + ord(letter) - ord("A")) for letter in code)


@register.filter
def money(value: Money | None) -> str:
    """Locale-aware amount with currency, e.g. 'KES1,290.00' (en) or '1 290 RWF' (fr)."""
    if value is None:
        return ""
    return value.format(babel_locale())


@register.inclusion_tag("marketplace/_price.html", takes_context=True)
def listing_price(context, listing) -> dict:
    """A listing's price in the buyer's display currency with the original beside it.

    Expects `display_currency` and `rates` in the context (set by the catalog views).
    """
    currency = context.get("display_currency") or listing.currency
    rates = context.get("rates")
    price = listing.price
    if rates is None:
        return {"price": None, "original": price}
    return {"price": display_price(price, currency, rates), "original": price}
