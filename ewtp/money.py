"""Money: a Decimal amount with an ISO-4217 currency, rounded to that currency's minor unit.

Minor units come from Babel's CLDR data (2 for KES, 0 for RWF), never a hand-written table.
Rounding is half up, i.e. half away from zero (0.005 USD → 0.01, -0.005 USD → -0.01).

Pure: Babel only, no Django, so the pure engines (`logistics.routing`) may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel.numbers import format_currency, get_currency_precision, list_currencies


@cache
def known_currencies() -> frozenset[str]:
    """ISO-4217 codes Babel knows; used to validate currency input."""
    return frozenset(code for code in list_currencies() if len(code) == 3 and code.isalpha())


def is_currency(code: str) -> bool:
    return isinstance(code, str) and code.upper() == code and code in known_currencies()


@cache
def minor_unit(currency: str) -> int:
    """Number of decimals of the currency (ISO-4217 minor unit per CLDR).

    Raises ValueError for a code Babel does not know (Babel alone would answer 2 for any string).
    """
    if not is_currency(currency):
        raise ValueError(f"Unknown currency {currency!r}")
    return get_currency_precision(currency)


@cache
def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_unit(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def decimal_places(amount: Decimal) -> int:
    exponent = amount.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


class CurrencyMismatch(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not is_currency(self.currency):
            raise ValueError(f"Unknown currency {self.currency!r}")
        if isinstance(self.amount, float):
            raise TypeError("Money never takes a float")
        try:
            amount = Decimal(self.amount)
        except (InvalidOperation, TypeError) as exc:
            raise ValueError(f"Invalid amount {self.amount!r}") from exc
        if not amount.is_finite():
            raise ValueError(f"Invalid amount {self.amount!r}")
        object.__setattr__(self, "amount", amount)

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError("Money only combines with Money")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"Cannot combine {self.currency} with {other.currency}")

    # Ordering raises CurrencyMismatch across currencies; `==` just answers False (as for any two
    # unequal values), so Money can still sit in sets and be looked up in lists.
    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount >= other.amount

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, float):
            raise TypeError("Money never takes a float")
        return Money(self.amount * Decimal(factor), self.currency)

    def quantized(self) -> Money:
        return Money(quantize(self.amount, self.currency), self.currency)

    def format(self, locale: str = "en") -> str:
        """Locale-aware display, e.g. 'KES 1,290.00' / '1 290,00 KES'."""
        return format_currency(
            quantize(self.amount, self.currency), self.currency, locale=locale.replace("-", "_")
        )

    def __str__(self) -> str:
        return f"{self.currency} {quantize(self.amount, self.currency)}"
