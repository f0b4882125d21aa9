"""Landed cost of one consignment, DDP: goods + shipping + import duty + import VAT/GST (pure).

Plain data in, plain data out: no Django, no ORM (an import-linter contract). The caller brings the
destination's tax regime in force on the order date (`RegimeTerms`), its duty rates by HS heading
(`duty_rates`: 6- or 4-digit code → rate, the regime's default as fallback) and exchange rates.

The rules, in order:

- A domestic consignment (origin = destination) pays no import duty or tax.
- Customs value on the regime's value basis: CIF and `transaction` count goods + shipping; FOB,
  item price and `consignment` (intrinsic value) count the goods alone. Insurance is not modelled.
  De minimis, flat-duty thresholds and scheme ceilings are tested on the value of the regime's
  threshold basis (the value basis unless it says otherwise: the UK tests £135 on the goods alone
  while its customs value is CIF) in the regime's threshold currency, converted straight from each
  amount's own currency (no detour through the buyer's).
- Duty: the regime's flat duty per distinct HS subheading when the customs value is *under* its
  threshold (EU from 2026-07-01: EUR 3 per subheading under EUR 150); otherwise nothing when the
  customs value is *at or under* the duty de minimis; otherwise Σ rate(HS) × the line's customs value
  (shipping is shared out over the lines pro rata to their goods value), plus the regime's
  surcharge on duty (India's Social Welfare Surcharge: 10% of the duty).
- Tax: nothing when the rate is zero or the customs value is at or under the tax de minimis; under a
  low-value-goods rule (Malaysia) with the item price at or under the scheme's ceiling, rate × the
  item price (shipping excluded, no duty on top); otherwise rate × (customs value + unrounded duty),
  plus shipping where the tax base adds it to an FOB customs value (Australia's value of the
  taxable importation; GST at sale on the price with delivery).
- Every amount is Decimal and each component (goods, shipping, duty, tax) is rounded once, at its
  end, to the buyer's currency's minor unit; the total is the sum of the rounded components.

Buyer-readable notes are message templates with parameters (`Note`, in `pricing.notes`); the caller
translates them (`LandedCost.explain(gettext=django.utils.translation.gettext, ...)`), so the
engine stays pure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from ewtp.money import Money, quantize
from marketplace.pricing.fx import Rates
from marketplace.pricing.notes import (  # noqa: F401  (the templates are part of the engine's API)
    DOMESTIC,
    DUTY_AT,
    DUTY_BELOW,
    DUTY_FLAT,
    DUTY_RATE,
    DUTY_RATE_SURCHARGE,
    DUTY_RATES,
    DUTY_RATES_SURCHARGE,
    TAX_AT,
    TAX_BELOW,
    TAX_LOW_VALUE,
    TAX_NONE,
    TAX_ON_VALUE_AND_DUTY,
    TAX_ON_VALUE_DUTY_SHIPPING,
    Label,
    Note,
    gettext_noop,
)

INCOTERM = "DDP"  # duties and taxes are paid at checkout: nothing to pay at the door
ZERO = Decimal(0)


class ValueBasis(StrEnum):
    """What the customs value counts (the values of `tax_regimes.csv`'s `value_basis`)."""

    CIF = "CIF"  # cost, insurance, freight: goods + shipping
    FOB = "FOB"  # free on board: goods only
    ITEM_PRICE = "item_price"  # the price of the goods sold (Malaysia's low-value goods)
    TRANSACTION = "transaction"  # China CBEC: the transaction price incl. freight and insurance
    CONSIGNMENT = "consignment"  # UK: the consignment's intrinsic value, transport excluded

    @property
    def includes_shipping(self) -> bool:
        return self in (ValueBasis.CIF, ValueBasis.TRANSACTION)


class TaxKind(StrEnum):
    VAT = "vat"
    GST = "gst"
    SALES_TAX = "sales_tax"
    CONSUMPTION_TAX = "consumption_tax"  # Japan


class Collection(StrEnum):
    """How the destination collects tax on cross-border e-commerce at checkout (if it has a scheme)."""

    NONE = ""
    IOSS = "IOSS"  # EU Import One-Stop Shop
    UK_POS = "UK_POS"  # UK VAT charged at the point of sale
    MY_LVG = "MY_LVG"  # Malaysia's low-value goods sales tax
    AU_LVG = "AU_LVG"  # Australia's GST on low value imported goods, collected at sale
    BR_PRC = "BR_PRC"  # Brazil's Remessa Conforme
    CBEC = "CBEC"  # China's cross-border e-commerce retail import


TAX_LABELS: dict[TaxKind, Label] = {
    TaxKind.VAT: Label(gettext_noop("VAT")),
    TaxKind.GST: Label(gettext_noop("GST")),
    TaxKind.SALES_TAX: Label(gettext_noop("sales tax")),
    TaxKind.CONSUMPTION_TAX: Label(gettext_noop("consumption tax")),
}

COLLECTED = {
    Collection.IOSS: gettext_noop("EU: VAT collected at checkout (IOSS)"),
    Collection.UK_POS: gettext_noop("UK: VAT charged at the point of sale"),
    Collection.AU_LVG: gettext_noop("Australia: GST collected at checkout (low value imported goods)"),
    Collection.BR_PRC: gettext_noop("Brazil: import taxes collected at checkout (Remessa Conforme)"),
    Collection.CBEC: gettext_noop("China: cross-border e-commerce taxes collected at checkout"),
}
DDP = gettext_noop("Duties and taxes paid at checkout (DDP): nothing to pay on delivery")


class LandedCostError(ValueError):
    """The consignment cannot be priced (missing rate, no regime for a cross-border destination)."""


class MissingRate(LandedCostError):
    pass


class NoRegime(LandedCostError):
    pass


@dataclass(frozen=True, slots=True)
class ConsignmentLine:
    hs_code: str  # HS subheading, 6 digits (a 4-digit heading is accepted and counts as one)
    unit_price: Money
    quantity: int

    def __post_init__(self) -> None:
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity < 1:
            raise ValueError(f"quantity must be a positive integer, not {self.quantity!r}")
        if self.unit_price.amount < 0:
            raise ValueError("unit price must not be negative")

    @property
    def amount(self) -> Money:
        return self.unit_price * self.quantity

    @property
    def subheading(self) -> str:
        return "".join(ch for ch in self.hs_code if ch.isdigit())[:6]


@dataclass(frozen=True, slots=True)
class Consignment:
    """One parcel from one shop: its lines, its shipping charge, where it leaves and where it goes."""

    lines: tuple[ConsignmentLine, ...]
    shipping: Money
    origin: str  # ISO 3166-1 alpha-2
    destination: str

    def __post_init__(self) -> None:
        if not self.lines:
            raise ValueError("a consignment has at least one line")
        if self.shipping.amount < 0:
            raise ValueError("shipping must not be negative")

    @property
    def domestic(self) -> bool:
        return self.origin.upper() == self.destination.upper()


@dataclass(frozen=True, slots=True)
class RegimeTerms:
    """A destination's import rules in force on the order date (amounts in `threshold_currency`)."""

    country: str
    value_basis: ValueBasis
    vat_rate: Decimal
    default_duty_rate: Decimal
    threshold_currency: str
    duty_de_minimis: Decimal | None = None  # at or under: no duty
    tax_de_minimis: Decimal | None = None  # at or under: no tax
    flat_duty_amount: Decimal | None = None  # per distinct HS subheading, in flat_duty_currency
    flat_duty_currency: str | None = None
    flat_duty_threshold: Decimal | None = None  # under (strictly): the flat duty replaces rates
    low_value_goods: bool = False  # within the collection ceiling: tax on the item price only
    collection: Collection = Collection.NONE
    collection_ceiling: Decimal | None = None  # the scheme covers consignments at or under this
    tax_kind: TaxKind = TaxKind.VAT
    threshold_basis: ValueBasis | None = None  # what de minimis is tested on, if not the value basis
    tax_adds_shipping: bool = False  # the tax base adds shipping to an FOB customs value
    duty_surcharge_rate: Decimal = ZERO  # a surcharge on the duty, as a share of it
    valid_from: date | None = None
    valid_to: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "value_basis", ValueBasis(self.value_basis))
        object.__setattr__(self, "collection", Collection(self.collection or ""))
        object.__setattr__(self, "tax_kind", TaxKind(self.tax_kind))
        if self.threshold_basis is not None:
            object.__setattr__(self, "threshold_basis", ValueBasis(self.threshold_basis))
        if self.vat_rate < 0 or self.default_duty_rate < 0 or self.duty_surcharge_rate < 0:
            raise ValueError("rates must not be negative")
        if self.flat_duty_amount is not None and not (self.flat_duty_currency and self.flat_duty_threshold):
            raise ValueError("a flat duty needs its currency and threshold")


@dataclass(frozen=True, slots=True)
class LandedCost:
    """What one consignment costs at the door, every Money in the buyer's currency."""

    goods: Money
    shipping: Money
    duty: Money
    tax: Money
    total: Money
    customs_value: Money  # in the buyer's currency
    customs_value_at_border: Money  # what de minimis is tested on (threshold basis), threshold currency
    domestic: bool
    under_duty_de_minimis: bool
    under_tax_de_minimis: bool
    flat_duty: bool
    low_value_goods: bool
    notes: tuple[Note, ...]
    incoterm: str = INCOTERM
    collected_under: str = ""  # the scheme (a `Collection`) the marketplace collects the tax under, if any

    def explain(self, gettext: Callable[[str], str] = str, locale: str = "en", sep: str = "; ") -> str:
        return sep.join(note.render(gettext, locale) for note in self.notes)


def duty_rate_for(hs_code: str, duty_rates: Mapping[str, Decimal], default: Decimal) -> Decimal:
    """The most specific rate: the 6-digit subheading, then the 4-digit heading, then the default."""
    digits = "".join(ch for ch in hs_code if ch.isdigit())
    for key in (digits[:6], digits[:4]):
        if len(key) in (4, 6) and key in duty_rates:
            return duty_rates[key]
    return default


def _factor(rates: Rates, source: str, target: str) -> Decimal:
    factor = rates.factor(source, target)
    if factor is None:
        raise MissingRate(f"no exchange rate between {source} and {target}")
    return factor


def _in(money: Money, currency: str, rates: Rates) -> Decimal:
    """`money` in `currency`, unrounded."""
    return money.amount * _factor(rates, money.currency, currency)


@dataclass(frozen=True, slots=True)
class _Figures:
    """Unrounded amounts of one consignment, each in the currency its name says."""

    lines: tuple[ConsignmentLine, ...]
    goods: Decimal  # in the buyer's currency
    shipping: Decimal
    customs_value: Decimal
    customs_value_at_border: Decimal  # in the regime's threshold currency
    goods_at_border: Decimal


def _duty(
    regime: RegimeTerms,
    figures: _Figures,
    *,
    threshold_value_in: Callable[[str], Decimal],
    duty_rates: Mapping[str, Decimal],
    rates: Rates,
    currency: str,
) -> tuple[Decimal, bool, bool, Note]:
    """(duty unrounded in `currency`, flat duty?, under the duty de minimis?, its note)."""
    border = regime.threshold_currency
    if regime.flat_duty_amount is not None and regime.flat_duty_threshold is not None:
        flat_currency = regime.flat_duty_currency or border
        if threshold_value_in(flat_currency) < regime.flat_duty_threshold:
            subheadings = {line.subheading for line in figures.lines}
            duty = regime.flat_duty_amount * len(subheadings) * _factor(rates, flat_currency, currency)
            note = Note(DUTY_FLAT, {
                "amount": Money(regime.flat_duty_amount, flat_currency),
                "count": len(subheadings),
                "threshold": Money(regime.flat_duty_threshold, flat_currency),
            })  # fmt: skip
            return duty, True, False, note
    if regime.duty_de_minimis is not None and figures.customs_value_at_border <= regime.duty_de_minimis:
        below = figures.customs_value_at_border < regime.duty_de_minimis
        note = Note(DUTY_BELOW if below else DUTY_AT, {"threshold": Money(regime.duty_de_minimis, border)})
        return ZERO, False, True, note
    # Rated duty, line by line; with shipping in the customs value, each line carries its share of it
    # pro rata to its goods value (equal shares when every line is free).
    duty, line_rates = ZERO, set()
    with_shipping = regime.value_basis.includes_shipping
    for line in figures.lines:
        line_goods = _in(line.amount, currency, rates)
        line_value = line_goods
        if with_shipping:
            share = line_goods / figures.goods if figures.goods else Decimal(1) / len(figures.lines)
            line_value += figures.shipping * share
        rate = duty_rate_for(line.hs_code, duty_rates, regime.default_duty_rate)
        line_rates.add(rate)
        duty += rate * line_value
    value = Money(quantize(figures.customs_value, currency), currency)
    params: dict[str, object] = {"value": value}
    if len(line_rates) == 1:
        params["rate"] = line_rates.pop()
    if not (regime.duty_surcharge_rate and duty):
        return duty, False, False, Note(DUTY_RATE if "rate" in params else DUTY_RATES, params)
    duty += duty * regime.duty_surcharge_rate
    params["surcharge_rate"] = regime.duty_surcharge_rate
    return duty, False, False, Note(DUTY_RATE_SURCHARGE if "rate" in params else DUTY_RATES_SURCHARGE, params)


def _tax(regime: RegimeTerms, figures: _Figures, duty: Decimal) -> tuple[Decimal, bool, bool, Note]:
    """(tax unrounded in the buyer's currency, under the tax de minimis?, low-value goods?, its note)."""
    label = TAX_LABELS[regime.tax_kind]
    if regime.vat_rate == 0:
        return ZERO, False, False, Note(TAX_NONE)
    if regime.tax_de_minimis is not None and figures.customs_value_at_border <= regime.tax_de_minimis:
        below = figures.customs_value_at_border < regime.tax_de_minimis
        threshold = Money(regime.tax_de_minimis, regime.threshold_currency)
        return ZERO, True, False, Note(TAX_BELOW if below else TAX_AT, {"threshold": threshold, "tax": label})
    # Low-value goods (Malaysia): the ceiling is on the item price, and so is the tax.
    if regime.low_value_goods and (
        regime.collection_ceiling is None or figures.goods_at_border <= regime.collection_ceiling
    ):
        note = Note(TAX_LOW_VALUE, {"rate": regime.vat_rate, "tax": label})
        return regime.vat_rate * figures.goods, False, True, note
    if regime.tax_adds_shipping and not regime.value_basis.includes_shipping:
        note = Note(TAX_ON_VALUE_DUTY_SHIPPING, {"rate": regime.vat_rate, "tax": label})
        return regime.vat_rate * (figures.customs_value + duty + figures.shipping), False, False, note
    note = Note(TAX_ON_VALUE_AND_DUTY, {"rate": regime.vat_rate, "tax": label})
    return regime.vat_rate * (figures.customs_value + duty), False, False, note


def landed_cost(
    consignment: Consignment,
    *,
    regime: RegimeTerms | None,
    duty_rates: Mapping[str, Decimal],
    rates: Rates,
    currency: str,
) -> LandedCost:
    """The DDP landed cost of `consignment` in `currency` under `regime` (None only when domestic).

    Raises `MissingRate` when an amount's currency cannot be converted, `NoRegime` when a
    cross-border consignment has no regime, `LandedCostError` when the regime is another country's."""
    lines = consignment.lines

    def goods_in(target: str) -> Decimal:
        return sum((_in(line.amount, target, rates) for line in lines), ZERO)

    goods_exact = goods_in(currency)
    shipping_exact = _in(consignment.shipping, currency, rates)
    goods = Money(quantize(goods_exact, currency), currency)
    shipping = Money(quantize(shipping_exact, currency), currency)
    zero = Money(quantize(ZERO, currency), currency)

    if consignment.domestic:
        return LandedCost(
            goods=goods, shipping=shipping, duty=zero, tax=zero, total=goods + shipping,
            customs_value=zero, customs_value_at_border=zero, domestic=True,
            under_duty_de_minimis=False, under_tax_de_minimis=False, flat_duty=False,
            low_value_goods=False, notes=(Note(DOMESTIC),),
        )  # fmt: skip
    if regime is None:
        raise NoRegime(f"no tax regime for {consignment.destination}")
    if regime.country.upper() != consignment.destination.upper():
        raise LandedCostError(f"the regime of {regime.country} does not apply to {consignment.destination}")

    border = regime.threshold_currency
    with_shipping = regime.value_basis.includes_shipping

    def customs_value_in(target: str) -> Decimal:
        # straight from each amount's own currency, so a MYR price tested against MYR 500 stays exact
        return goods_in(target) + (_in(consignment.shipping, target, rates) if with_shipping else ZERO)

    threshold_with_shipping = (regime.threshold_basis or regime.value_basis).includes_shipping

    def threshold_value_in(target: str) -> Decimal:
        shipping_part = _in(consignment.shipping, target, rates) if threshold_with_shipping else ZERO
        return goods_in(target) + shipping_part

    figures = _Figures(
        lines=lines,
        goods=goods_exact,
        shipping=shipping_exact,
        customs_value=customs_value_in(currency),
        customs_value_at_border=threshold_value_in(border),
        goods_at_border=goods_in(border),
    )
    duty_exact, flat, under_duty, duty_note = _duty(
        regime,
        figures,
        threshold_value_in=threshold_value_in,
        duty_rates=duty_rates,
        rates=rates,
        currency=currency,
    )
    tax_exact, under_tax, low_value, tax_note = _tax(regime, figures, duty_exact)

    notes = [duty_note, tax_note]
    within_scheme = (
        regime.collection_ceiling is None or figures.customs_value_at_border <= regime.collection_ceiling
    )
    collected_under = ""
    if within_scheme and regime.collection in COLLECTED and (tax_exact or duty_exact):
        notes.append(Note(COLLECTED[regime.collection]))
        collected_under = str(regime.collection.value)
    if tax_exact or duty_exact:
        notes.append(Note(DDP))

    duty = Money(quantize(duty_exact, currency), currency)
    tax = Money(quantize(tax_exact, currency), currency)
    return LandedCost(
        goods=goods,
        shipping=shipping,
        duty=duty,
        tax=tax,
        total=goods + shipping + duty + tax,
        customs_value=Money(quantize(figures.customs_value, currency), currency),
        customs_value_at_border=Money(quantize(figures.customs_value_at_border, border), border),
        domestic=False,
        under_duty_de_minimis=under_duty,
        under_tax_de_minimis=under_tax,
        flat_duty=flat,
        low_value_goods=low_value,
        notes=tuple(notes),
        collected_under=collected_under,
    )
