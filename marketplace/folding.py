"""Text folded for comparison: lower-cased (Unicode case folding), accents and other marks
removed, compatibility forms unified — "Liège" and "LIEGE" both become "liege".

The zero-configuration demo's search (SQLite) compares folded text, as PostgreSQL compares
`unaccent`ed, case-insensitive text: listings keep folded copies of their title and description
(`Listing.fold_search_fields`) and the selector folds the query the same way. Pure Python.
"""

from __future__ import annotations

import unicodedata

# Letters that carry their mark in the letter itself (no decomposition), as PostgreSQL's
# `unaccent` rules spell them.
_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae", "œ": "oe", "þ": "th"}
)


# Combining diacritical marks (accents, cedillas, umlauts…), as left by NFKD. Only these: the marks
# other scripts write with (Devanagari vowel signs, kana voicing) are part of the word.
_DIACRITICS = dict.fromkeys(
    code
    for start, end in (
        (0x0300, 0x036F),
        (0x1AB0, 0x1AFF),
        (0x1DC0, 0x1DFF),
        (0x20D0, 0x20FF),
        (0xFE20, 0xFE2F),
    )
    for code in range(start, end + 1)
)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", decomposed.translate(_DIACRITICS).translate(_LETTERS))
