from __future__ import annotations

import contextlib
import time
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django_countries import countries

from ewtp.countries import country_choices, country_name
from marketplace import ports
from marketplace.selectors.buyers import buyer_country, buyer_country_chosen, display_currency_for
from marketplace.selectors.carts import cart_count

SERVED_COUNTRIES_KEY = "deliver-to:served-countries"
SERVED_COUNTRIES_SECONDS = 60  # checkout asks the network itself; the header may lag a minute


_served_memo: tuple[float, object, frozenset[str]] | None = None


def served_countries_forget() -> None:
    """Drop this process's copy (tests do, with the shared cache)."""
    global _served_memo
    _served_memo = None


def served_countries() -> frozenset[str] | None:
    """Countries the e-hub network delivers to: from this process for up to a minute, else the
    shared cache, else the network (None: no network to ask)."""
    global _served_memo
    provider = ports.shipping()
    if provider is None or not hasattr(provider, "served_countries"):
        return None
    now = time.monotonic()
    memo = _served_memo
    if memo is not None and memo[1] is provider and now - memo[0] < SERVED_COUNTRIES_SECONDS:
        return memo[2]
    try:
        served = cache.get(SERVED_COUNTRIES_KEY)
    except Exception:  # a cache outage must not take every page down
        served = None
    if served is None:
        served = frozenset(provider.served_countries())
        with contextlib.suppress(Exception):  # a cache outage only costs the next page a look-up
            cache.set(SERVED_COUNTRIES_KEY, served, SERVED_COUNTRIES_SECONDS)
    _served_memo = (now, provider, served)
    return served


class Header:
    """What the header shows on every page, worked out only when a template asks for it."""

    def __init__(self, request: HttpRequest):
        self.request = request

    @cached_property
    def deliver_to(self) -> str | None:
        return buyer_country(self.request)

    @cached_property
    def deliver_to_is_a_guess(self) -> bool:
        """Only guessed from the browser's language: never greet that with an error."""
        return self.deliver_to is not None and buyer_country_chosen(self.request) is None

    @cached_property
    def currency(self) -> str:
        """The currency prices are shown in (`display_currency_for`)."""
        return display_currency_for(self.request)

    @cached_property
    def deliver_to_name(self) -> str:
        return country_name(self.deliver_to)

    @cached_property
    def served(self) -> frozenset[str] | None:
        return served_countries()

    @cached_property
    def is_served(self) -> bool:
        """False only when the network is known and does not reach the deliver-to country."""
        return self.served is None or not self.deliver_to or self.deliver_to in self.served

    @cached_property
    def choices(self) -> list[tuple[str, str]]:
        """The countries the picker offers: the served ones (every country without a network)."""
        if self.served is None:
            return list(countries)
        return country_choices(self.served)

    @cached_property
    def cart_count(self) -> int:
        return cart_count(self.request)


def site(request: HttpRequest) -> dict:
    return {"SITE_NAME": "eWTP", "LANGUAGES": settings.LANGUAGES, "header": Header(request)}
