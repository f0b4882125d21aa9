"""The landed cost's explanation: buyer-readable sentences as message templates with parameters.

The engine stays pure (no Django): it returns `Note`s, and the caller translates them with its own
gettext and formats their amounts and rates for the buyer's locale with Babel. The templates are
marked with `gettext_noop` so `makemessages` collects them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_percent

from ewtp.money import Money


def gettext_noop(message: str) -> str:
    """Marks a template for `makemessages` without translating it here (the caller translates)."""
    return message


class Label(str):
    """A translatable word used as a note parameter (e.g. "sales tax"): translated before use."""

    __slots__ = ()


# Message templates of the explanation: English source strings, translated by the caller.
DOMESTIC = gettext_noop("Domestic delivery — no import duty or tax")
DUTY_BELOW = gettext_noop("Below %(threshold)s — no duty")
DUTY_AT = gettext_noop("%(threshold)s or less — no duty")
DUTY_FLAT = gettext_noop(
    "Under %(threshold)s: flat duty of %(amount)s per tariff subheading (%(count)s in this parcel)"
)
DUTY_RATE = gettext_noop("%(rate)s import duty on the customs value of %(value)s")
DUTY_RATES = gettext_noop("Import duty by tariff heading on the customs value of %(value)s")
DUTY_RATE_SURCHARGE = gettext_noop(
    "%(rate)s import duty on the customs value of %(value)s, plus a surcharge of %(surcharge_rate)s "
    "of the duty"
)
DUTY_RATES_SURCHARGE = gettext_noop(
    "Import duty by tariff heading on the customs value of %(value)s, plus a surcharge of %(surcharge_rate)s "
    "of the duty"
)
TAX_NONE = gettext_noop("No import VAT or sales tax")
TAX_BELOW = gettext_noop("Below %(threshold)s — no %(tax)s")
TAX_AT = gettext_noop("%(threshold)s or less — no %(tax)s")
TAX_LOW_VALUE = gettext_noop("%(rate)s %(tax)s collected (low-value goods)")
TAX_ON_VALUE_AND_DUTY = gettext_noop("%(rate)s %(tax)s on the customs value plus duty")
TAX_ON_VALUE_DUTY_SHIPPING = gettext_noop("%(rate)s %(tax)s on the customs value plus duty and shipping")


# Babel's formatting is the costly part of a note, and thresholds and rates repeat on every
# consignment to a country: the same (amount, currency, locale) always formats the same way.
# Keyed by the amount's text, which keeps its exponent and sign (equal Decimals may print apart).
@lru_cache(maxsize=4096)
def _format_money(amount: str, currency: str, locale: str) -> str:
    return Money(Decimal(amount), currency).format(locale)


@lru_cache(maxsize=1024)
def _format_rate(rate: str, locale: str) -> str:
    return format_percent(Decimal(rate), locale=locale, decimal_quantization=False)


@dataclass(frozen=True, slots=True)
class Note:
    """One sentence of the explanation: a template (msgid) and its parameters.

    Parameters are Money (formatted for the locale), Decimal rates (as percentages), Label
    (translated) or plain values."""

    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, gettext: Callable[[str], str] = str, locale: str = "en") -> str:
        locale = locale.replace("-", "_")
        values: dict[str, object] = {}
        for name, value in self.params.items():
            if isinstance(value, Money):
                values[name] = _format_money(str(value.amount), value.currency, locale)
            elif isinstance(value, Label):
                values[name] = gettext(value)
            elif isinstance(value, Decimal) and (name == "rate" or name.endswith("_rate")):
                values[name] = _format_rate(str(value), locale)
            else:
                values[name] = value
        return gettext(self.template) % values
