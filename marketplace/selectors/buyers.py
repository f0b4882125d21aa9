"""Who the buyer is for pricing: their country and display currency (profile, session, browser)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language, to_locale
from django_countries import countries

from ewtp.money import is_currency
from marketplace.pricing.fx import FALLBACK_CURRENCY, currency_for_country

SESSION_KEY = "display_currency"
DELIVER_TO_SESSION_KEY = "deliver_to"  # an anonymous visitor's "Deliver to" country


def _country_from_accept_language(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for part in header.split(",")[:5]:
        tag = part.split(";")[0].strip().replace("_", "-")
        pieces = tag.split("-")
        if len(pieces) >= 2 and len(pieces[-1]) == 2 and pieces[-1].isalpha():
            return pieces[-1].upper()
    return None


def buyer_country(request: HttpRequest) -> str | None:
    """Where the buyer wants goods delivered: their profile, else the "Deliver to" country chosen
    in this session, else a first guess from the region of their browser language."""
    return buyer_country_chosen(request) or _country_from_accept_language(request)


def buyer_country_chosen(request: HttpRequest) -> str | None:
    """The deliver-to country the buyer gave (profile or this session's "Deliver to"); None while
    it is only a guess from the browser."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.country:
        return str(user.country)
    chosen = request.session.get(DELIVER_TO_SESSION_KEY) if hasattr(request, "session") else None
    if chosen and chosen in countries:
        return chosen
    return None


def display_currency_chosen(request: HttpRequest) -> str | None:
    """The currency the buyer chose (profile, else this session); None: none chosen."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and is_currency(user.display_currency):
        return user.display_currency
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if chosen and is_currency(chosen):
        return chosen
    return None


def display_currency_for(request: HttpRequest) -> str:
    """The currency the buyer chose, else the currency of their country."""
    return (
        display_currency_chosen(request) or currency_for_country(buyer_country(request)) or FALLBACK_CURRENCY
    )


def babel_locale() -> str:
    """The active Django language as a Babel locale ("zh-hans" → "zh_Hans")."""
    return to_locale(get_language() or "en")
