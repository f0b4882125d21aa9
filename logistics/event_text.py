"""Tracking events in the reader's language.

Events are written once, by workers and by requests in any language, and read by buyers in four:
so each description is stored as the catalogue's English msgid with its values filled in
(`gettext_noop`), and translated when shown. A fixed text is looked up as it is; a text with
values is matched against the templates events are written with, its values put back into the
translation (a country's name in the reader's language, a nested reason translated in turn).
Anything else — an older event, an operator's own words — is shown as written.
"""

from __future__ import annotations

import re
from functools import cache

from django.utils.translation import (
    gettext,
    gettext_noop,  # events: English msgids, translated when shown
)

from ewtp.countries import country_code, country_name
from logistics.selectors.network import NO_ROUTE_MESSAGES

TEMPLATES = (
    gettext_noop("Picked up from the seller, on the way to %(hub)s."),
    gettext_noop("Route planned: %(route)s."),
    gettext_noop("Waiting at %(hub)s until the network reopens a route."),
    gettext_noop("%(text)s: now via %(route)s, expected %(date)s."),
    gettext_noop("%(text)s; finding another route."),
    gettext_noop("%(hub)s is out of service"),
    gettext_noop("The connection %(origin)s → %(destination)s is closed"),
    *NO_ROUTE_MESSAGES.values(),
)
COUNTRY_VALUES = frozenset({"origin", "destination"})


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    def pattern(template: str) -> re.Pattern[str]:
        escaped = re.escape(template)
        return re.compile(re.sub(r"%\\\(([a-z_]+)\\\)s", r"(?P<\1>.+?)", escaped))

    return tuple((template, pattern(template)) for template in TEMPLATES)


def _value(name: str, value: str) -> str:
    if name == "text":
        return event_text(value)
    if name in COUNTRY_VALUES and (code := country_code(value)):
        return country_name(code)  # "Kenya" → "肯尼亚"; a city stays as it is
    return value


def event_text(text: str) -> str:
    """`text` (as stored) in the active language."""
    if not text:
        return text
    translated = gettext(text)
    if translated != text:
        return translated
    for template, pattern in _patterns():
        match = pattern.fullmatch(text)
        if match:
            values = {name: _value(name, value) for name, value in match.groupdict().items()}
            return gettext(template) % values
    return text
