"""What a buyer's search words mean in the catalogue's language, and which category they name.

Sellers list in English; buyers search in theirs. `data/search_words.csv` maps common words of
the trade in French, Kiswahili and Chinese to the English term listings use ("kahawa", "咖啡" and
"café" → "coffee"), each row with its source. A word the buyer misspelt is corrected against the
words the catalogue is known to use (those terms and the categories' names: "cofee" → "coffee").
Categories are named in every language (`Category.names`): a search that names one ranks its
listings first. Pure Python over the categories it is given; the CSV is read once.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from marketplace.folding import fold

WORDS_CSV = Path(__file__).parent / "data" / "search_words.csv"
NAMES_CSV = Path(__file__).parent / "data" / "category_names.csv"
MAX_WORDS = 10
TYPO_CUTOFF = 0.8  # difflib's ratio: "cofee"/"coffee" 0.91, "tea"/"sea" 0.67
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_STOP = frozenset({"and", "et", "na", "the", "de", "la", "les", "du", "des", "ya", "za", "wa", "vya"})


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


@cache
def synonyms() -> dict[str, str]:
    """Folded word in another language → the English term listings use."""
    with WORDS_CSV.open(encoding="utf-8") as rows:
        return {fold(row["word"]): fold(row["means"]) for row in csv.DictReader(rows)}


@cache
def category_names() -> dict[str, dict[str, str]]:
    """Category slug → {language: name}, the names the demo seeds and operators may change."""
    names: dict[str, dict[str, str]] = {}
    with NAMES_CSV.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            names.setdefault(row["slug"], {})[row["language"]] = row["name"]
    return names


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[^\w]+", fold(text)) if word and word not in _STOP]


@dataclass(frozen=True)
class CategoryWords:
    id: int
    words: frozenset[str]  # folded, stemmed words of its names in every language
    cjk_names: tuple[str, ...]  # names in a script without spaces, matched as substrings


def category_words(categories: Iterable) -> list[CategoryWords]:
    """What each category is called, for matching a search (`categories` are `Category` rows)."""
    found = []
    for category in categories:
        names = [category.name, *(category.names or {}).values()]
        words = frozenset(_stem(word) for name in names for word in _words(name) if len(word) >= 3)
        found.append(CategoryWords(category.pk, words, tuple(fold(n) for n in names if is_cjk(n))))
    return found


@dataclass(frozen=True)
class SearchPlan:
    """A search as the selectors run it: per query word, the words that may stand for it (itself,
    its English meaning, its correct spelling); the text with those put in; the categories named."""

    text: str
    alternatives: tuple[tuple[str, ...], ...] = ()
    categories: frozenset[int] = field(default_factory=frozenset)

    @property
    def expanded_text(self) -> str:
        """The query with each word replaced by its first alternative (empty: nothing replaced)."""
        if all(len(words) == 1 for words in self.alternatives):
            return ""
        return " ".join(words[-1] for words in self.alternatives)


def has_operators(text: str) -> bool:
    """Web search syntax ("exact words", -excluded, this or that): the buyer said what they
    meant, so no word is replaced or looked for by likeness."""
    words = text.split()
    return '"' in text or any(word.startswith("-") or word.lower() == "or" for word in words)


def search_plan(text: str, categories: list[CategoryWords]) -> SearchPlan:
    folded = fold(text)
    if has_operators(text):
        return SearchPlan(text=text, alternatives=tuple((word,) for word in folded.split()[:MAX_WORDS]))
    meanings = synonyms()
    vocabulary = sorted({*meanings.values(), *(w for c in categories for w in c.words)})
    alternatives = []
    for word in folded.split()[:MAX_WORDS]:
        options = [word]
        meant = meanings.get(word) or next((m for w, m in meanings.items() if is_cjk(w) and w in word), None)
        if meant:
            options.append(meant)
        elif not is_cjk(word) and len(word) >= 4 and _stem(word) not in vocabulary:
            options += difflib.get_close_matches(word, vocabulary, n=1, cutoff=TYPO_CUTOFF)
        alternatives.append(tuple(dict.fromkeys(options)))
    named = set()
    for category in categories:
        for options in alternatives:
            if any(_stem(option) in category.words for option in options) or any(
                options[0] in name for name in category.cjk_names if is_cjk(options[0])
            ):
                named.add(category.id)
    return SearchPlan(text=text, alternatives=tuple(alternatives), categories=frozenset(named))
