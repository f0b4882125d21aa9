"""Catalog display helpers: prices in the buyer's currency, money formatting, origin flags."""

from __future__ import annotations

import hashlib

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ewtp.money import Money
from marketplace.cache import cache_get_many, cache_set_many
from marketplace.pricing.fx import display_price
from marketplace.selectors.buyers import babel_locale

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


def _card_key(listing, currency: str, rates, language: str) -> str:
    """Everything a card shows, so a cached card can never be stale: its key changes with it."""
    cover = listing.cover
    parts = (
        listing.pk,
        listing.title,
        str(listing.price_amount),
        listing.currency,
        listing.stock > 0,
        str(listing.origin_country),
        listing.shop.name,
        cover.thumbnail.name if cover is not None and cover.thumbnail else "",
        currency,
        str(rates.factor(listing.currency, currency)) if rates is not None else None,
        language,
    )
    return "catalog:card:" + hashlib.sha256(repr(parts).encode()).hexdigest()


@register.simple_tag(takes_context=True)
def listing_cards(context, listings) -> str:
    """The grid's cards, each rendered once and then served from the cache.

    A catalog change moves the catalog version and the page renders again, but the cards whose
    content did not change come back from one `get_many` instead of the template engine.
    """
    listings = list(listings)
    card = context.template.engine.get_template("marketplace/_listing_card.html")
    currency = context.get("display_currency") or ""
    rates = context.get("rates")
    keys = [_card_key(listing, currency, rates, get_language()) for listing in listings]
    cached = cache_get_many(keys)
    fresh: dict[str, str] = {}
    html = []
    for key, listing in zip(keys, listings, strict=True):
        if key not in cached:
            with context.push(listing=listing):
                fresh[key] = card.render(context)
        html.append(cached.get(key) or fresh[key])
    cache_set_many(fresh)
    return mark_safe("".join(html))  # noqa: S308 - rendered by our own autoescaping template  # nosec B308, B703
