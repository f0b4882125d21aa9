"""Catalog display helpers: prices in the buyer's currency, money formatting, origin flags."""

from __future__ import annotations

import hashlib
import html
from functools import lru_cache

from django import template
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info

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


@lru_cache(maxsize=4096)
def _formatted(value: Money, locale: str) -> str:
    return value.format(locale)  # Babel's pattern parsing costs ~0.1 ms a call


@register.filter
def money(value: Money | None) -> str:
    """Locale-aware amount with currency, e.g. 'KES1,290.00' (en) or '1 290 RWF' (fr)."""
    if value is None:
        return ""
    return _formatted(value, babel_locale())


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


def _cover_thumbnail(listing) -> str:
    """The cover's thumbnail (storage name): annotated by `listings_for_cards`, else prefetched."""
    if hasattr(listing, "cover_thumbnail"):
        return listing.cover_thumbnail or ""
    cover = listing.cover
    return cover.thumbnail.name if cover is not None and cover.thumbnail else ""


def _card_key(listing, thumbnail: str, currency: str, rates, language: str) -> str:
    """Everything a card shows, so a cached card can never be stale: its key changes with it.

    Stock counts only as "in stock or not" (the card's badge): stock moving between 3 and 2
    reuses the card, stock reaching 0 makes a new one."""
    parts = (
        listing.pk,
        listing.title,
        str(listing.price_amount),
        listing.currency,
        listing.stock > 0,
        str(listing.origin_country),
        listing.shop_name,
        getattr(listing, "women_owned", False),
        getattr(listing, "youth_led", False),
        thumbnail,
        currency,
        str(rates.factor(listing.currency, currency)) if rates is not None else None,
        language,
    )
    return "catalog:card:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _render_card(card, context, listing, thumbnail: str) -> str:
    url = default_storage.url(thumbnail) if thumbnail else ""
    with context.push(listing=listing, thumbnail_url=url):
        return card.render(context)


@register.simple_tag(takes_context=True)
def listing_cards(context, listings) -> str:
    """The grid's cards, each rendered once and then served from the cache.

    Keyed by content (`_card_key`), so a change to one listing — or its stock running out —
    renders that card alone again; the others come back from one `get_many`.
    """
    listings = list(listings)
    card = context.template.engine.get_template("marketplace/_listing_card.html")
    currency = context.get("display_currency") or ""
    rates = context.get("rates")
    language = get_language()
    thumbnails = [_cover_thumbnail(listing) for listing in listings]
    keys = [
        _card_key(listing, thumbnail, currency, rates, language)
        for listing, thumbnail in zip(listings, thumbnails, strict=True)
    ]
    cached = cache_get_many(keys)
    fresh: dict[str, str] = {}
    html = []
    for key, listing, thumbnail in zip(keys, listings, thumbnails, strict=True):
        if key not in cached:
            fresh[key] = _render_card(card, context, listing, thumbnail)
        html.append(cached.get(key) or fresh[key])
    cache_set_many(fresh)
    return mark_safe("".join(html))  # noqa: S308 - rendered by our own autoescaping template  # nosec B308, B703


# --- Lists rendered in one Python loop -----------------------------------------------------------
# The catalog page carries several selects and facet lists (a hundred-odd items, the "Deliver
# to" picker up to ~250); a template `{% for %}` costs ~10–20 µs an item, this ~2 µs, escaped the
# same way (format_html_join escapes every value).


@register.simple_tag
def select_options(choices, selected=None) -> SafeString:
    """`<option>`s for (value, label) pairs, the one equal to `selected` marked selected. Every
    value and label is escaped exactly as Django's `escape` does (`html.escape`, quotes too)."""
    selected = "" if selected is None else str(selected)
    parts = []
    for value, label in choices:
        value = str(value)
        mark = " selected" if value == selected else ""
        parts.append(f'<option value="{html.escape(value)}"{mark}>{html.escape(str(label))}</option>')
    return SafeString("".join(parts))  # escaped just above  # nosec B703


def _escaped(value) -> str:
    """What Django's `conditional_escape` gives: safe strings as they are, the rest escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


_language_options: dict[str, SafeString] = {}


@register.simple_tag
def language_options() -> SafeString:
    """The language picker's `<option>`s, each language named in itself, the active one selected:
    a function of the active language alone (`settings.LANGUAGES` is fixed), so built once per
    language and process."""
    language = get_language() or settings.LANGUAGE_CODE
    options = _language_options.get(language)
    if options is None:
        # Each language named in itself (English, 简体中文, Français, Kiswahili): a reader looks
        # for their own language's name, not its name in a language they may not read.
        named = [
            (code, capfirst(get_language_info(code)["name_local"])) for code, _name in settings.LANGUAGES
        ]
        options = select_options(named, language)
        _language_options[language] = options
    return options


@register.simple_tag
def facet_items(links, with_flags=False):
    """A facet list's `<li>`s: each value a link (the selected one marked current) with its count.
    Escaped as `format_html` would, in one loop (~30 links a page)."""
    if not links:
        return format_html('<li class="muted">{}</li>', "—")
    parts = []
    for link in links:
        current = _CURRENT if link["selected"] else ""
        shown = f"{flag(link['value'])} " if with_flags else ""
        parts.append(
            f'<li><a href="{_escaped(link["url"])}"{current}>{_escaped(shown)}{_escaped(link["label"])}</a>'
            f' <span class="muted">({_escaped(link["count"])})</span></li>'
        )
    return SafeString("".join(parts))  # every value escaped just above  # nosec B703


_CURRENT = mark_safe(' aria-current="true" class="selected"')  # noqa: S308 - a constant  # nosec B308, B703
