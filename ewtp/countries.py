"""Country names in the active language, looked up once per language and process.

`django_countries.countries.name()` rebuilds its translated table on every call (~20 µs); the
catalog's facets and the header's "Deliver to" picker ask for dozens of names per page. The
names are static data (they change only with a deploy), so a per-language table never goes stale.
"""

from __future__ import annotations

import csv
import threading
from pathlib import Path

from django.utils.translation import get_language
from django_countries import countries

_tables: dict[str, dict[str, str]] = {}
OWN_NAMES = {"sw": Path(__file__).resolve().parent / "data" / "country_names_sw.csv"}


def _own_names(language: str) -> dict[str, str]:
    path = OWN_NAMES.get(language.split("-")[0])
    if path is None:
        return {}
    with path.open(encoding="utf-8") as rows:
        return {row["code"]: row["name"] for row in csv.DictReader(rows)}


_lock = threading.Lock()


def _table() -> dict[str, str]:
    language = get_language() or ""
    table = _tables.get(language)
    if table is None:
        with _lock:
            table = _tables.get(language)
            if table is None:
                table = {code: str(name) for code, name in countries} | _own_names(language)
                _tables[language] = table
    return table


def country_name(code: str | None) -> str:
    """The country's name in the active language; "" for no or an unknown code."""
    if not code:
        return ""
    return _table().get(str(code).upper(), "")


def country_choices(codes) -> list[tuple[str, str]]:
    """(code, name) pairs for `codes`, sorted by name in the active language."""
    table = _table()
    return sorted(((code, table.get(code, code)) for code in codes), key=lambda pair: pair[1])


def country_code(name: str) -> str:
    """The code of the country named `name` in the active language or in English ("Kenya",
    "Allemagne", "Ujerumani"); "" when no country has that name."""
    wanted = name.strip().casefold()
    for code, local in _table().items():
        if local.casefold() == wanted:
            return code
    return countries.by_name(name.strip()) or ""
