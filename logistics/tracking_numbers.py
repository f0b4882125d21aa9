"""Tracking numbers: `EW` + 10 random characters + one check character (Luhn mod 32).

The alphabet leaves out 0/O and 1/I, which people misread on labels. The 10 characters come from
`secrets` (50 bits), so a number says nothing about orders or ids and cannot be guessed from its
neighbours. The check character (Luhn mod N over the same alphabet) catches every single mistyped
character and every swap of two adjacent ones (but 2↔Z) before a lookup reaches the database.
"""

from __future__ import annotations

import re
import secrets

PREFIX = "EW"
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
BODY_LENGTH = 10
LENGTH = len(PREFIX) + BODY_LENGTH + 1
PATTERN = re.compile(rf"^{PREFIX}[{ALPHABET}]{{{BODY_LENGTH + 1}}}$")
_N = len(ALPHABET)
_VALUE = {char: index for index, char in enumerate(ALPHABET)}


def check_character(body: str) -> str:
    """The Luhn mod N check character for `body` (characters of `ALPHABET`)."""
    total = 0
    factor = 2
    for char in reversed(body):
        addend = factor * _VALUE[char]
        total += addend // _N + addend % _N
        factor = 1 if factor == 2 else 2
    return ALPHABET[(_N - total % _N) % _N]


def new_tracking_number() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return f"{PREFIX}{body}{check_character(body)}"


def normalise(value: str) -> str:
    return value.strip().upper().replace(" ", "").replace("-", "")


def is_valid(value: str) -> bool:
    """Well formed and its check character matches (no database involved)."""
    if not PATTERN.match(value):
        return False
    body, check = value[len(PREFIX) : -1], value[-1]
    return check_character(body) == check
