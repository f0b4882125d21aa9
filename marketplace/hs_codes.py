"""The HS-code helper (issue 20): a seller types words ("silk scarf") and picks one of the 5,613
six-digit subheadings of the Harmonized System 2022 (`data/hs2022_nomenclature.csv`, public
domain, English descriptions: there is no official text in the other languages).

A subheading is ranked by the query's words found in its own description (twice) and in its
heading's and chapter's ("Shawls, scarves…" under "Articles of apparel… not knitted"), plurals
folded ("scarves" finds "scarf"). Pure Python over a table read once (~5,600 rows).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from marketplace.folding import fold

NOMENCLATURE = Path(__file__).parent / "data" / "hs2022_nomenclature.csv"
LIMIT = 20


@dataclass(frozen=True)
class Subheading:
    code: str  # six digits
    description: str
    heading: str  # the four-digit heading's description
    words: frozenset[str]  # its own description's words (folded, stemmed)
    context: frozenset[str]  # its heading's and chapter's words


ENDINGS = (("ves", "f"), ("ies", "y"), ("es", ""), ("s", ""))  # scarves → scarf, bodies → body


def _stem(word: str) -> str:
    for ending, instead in ENDINGS:
        if len(word) > len(ending) + 2 and word.endswith(ending):
            return word[: -len(ending)] + instead
    return word


def _words(text: str) -> frozenset[str]:
    return frozenset(_stem(word) for word in re.split(r"[^\w]+", fold(text)) if len(word) > 1)


@cache
def subheadings() -> tuple[Subheading, ...]:
    with NOMENCLATURE.open(encoding="utf-8") as rows:
        table = {row["hscode"]: row for row in csv.DictReader(rows)}
    found = []
    for code, row in table.items():
        if row["level"] != "6":
            continue
        heading = table.get(row["parent"], {})
        chapter = table.get(heading.get("parent", ""), {})
        context = _words(heading.get("description", "")) | _words(chapter.get("description", ""))
        found.append(
            Subheading(
                code, row["description"], heading.get("description", ""), _words(row["description"]), context
            )
        )
    return tuple(found)


def hs_search(text: str, *, limit: int = LIMIT) -> list[Subheading]:
    """Subheadings for the words, best first; a six-digit code is looked up as it is."""
    text = text.strip()
    if re.fullmatch(r"\d{4,6}", text):
        return [row for row in subheadings() if row.code.startswith(text)][:limit]
    wanted = _words(text)
    if not wanted:
        return []
    scored = []
    for row in subheadings():
        own, around = len(wanted & row.words), len(wanted & row.context)
        if own or around:  # a word in its own description counts twice one in its heading's
            scored.append((-(2 * own + around), len(row.description), row.code, row))
    scored.sort()
    return [row for *_key, row in scored[:limit]]
