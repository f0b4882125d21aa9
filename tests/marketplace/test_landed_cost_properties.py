"""Property-based tests of the landed-cost engine (Hypothesis; no database).

Random consignments, regimes, currencies (0, 2 and 3 decimal places) and duty schedules: every
component is non-negative and rounded to the buyer's minor unit, the total is their sum, and each
component is within half a minor unit of the exact figure worked independently in Decimal."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ewtp.money import Money, minor_unit, quantum
from marketplace.pricing.fx import Rates
from marketplace.pricing.landed_cost import (
    Collection,
    Consignment,
    ConsignmentLine,
    RegimeTerms,
    TaxKind,
    ValueBasis,
    landed_cost,
)

D = Decimal
RATES = Rates(
    per_usd={
        "USD": D(1),
        "EUR": D("0.85"),
        "MYR": D("4.22"),
        "KES": D("129.2"),
        "RWF": D(1440),
        "IDR": D(16250),
        "KWD": D("0.3065"),  # three decimal places
        "JPY": D("144.7"),  # none
    },
)
CURRENCIES = sorted(RATES.per_usd)
HS_CODES = ("610910", "610990", "090121", "330499", "851762", "630790")
COUNTRY = "BE"
rates_st = st.decimals(min_value=0, max_value=D("0.6"), places=3)
thresholds = st.none() | st.decimals(min_value=0, max_value=5000, places=0)


@st.composite
def money_in(draw, currency: str, max_value: int = 5000) -> Money:
    amount = draw(st.decimals(min_value=0, max_value=max_value, places=minor_unit(currency)))
    return Money(amount, currency)


@st.composite
def consignments(draw, domestic: bool | None = None) -> Consignment:
    goods_currency = draw(st.sampled_from(CURRENCIES))
    lines = tuple(
        ConsignmentLine(
            hs_code=draw(st.sampled_from(HS_CODES)),
            unit_price=draw(money_in(goods_currency)),
            quantity=draw(st.integers(1, 20)),
        )
        for _ in range(draw(st.integers(1, 5)))
    )
    shipping = draw(money_in(draw(st.sampled_from(CURRENCIES)), max_value=300))
    if domestic is None:
        domestic = draw(st.booleans())
    return Consignment(
        lines=lines, shipping=shipping, origin=COUNTRY if domestic else "CN", destination=COUNTRY
    )


@st.composite
def regimes(draw, thresholds_allowed: bool = True) -> RegimeTerms:
    threshold_currency = draw(st.sampled_from(CURRENCIES))
    flat = thresholds_allowed and draw(st.booleans())
    return RegimeTerms(
        country=COUNTRY,
        value_basis=draw(st.sampled_from(list(ValueBasis))),
        vat_rate=draw(rates_st),
        default_duty_rate=draw(rates_st),
        threshold_currency=threshold_currency,
        duty_de_minimis=draw(thresholds) if thresholds_allowed else None,
        tax_de_minimis=draw(thresholds) if thresholds_allowed else None,
        flat_duty_amount=draw(st.decimals(0, 10, places=2)) if flat else None,
        flat_duty_currency=draw(st.sampled_from(CURRENCIES)) if flat else None,
        flat_duty_threshold=draw(st.decimals(1, 5000, places=0)) if flat else None,
        low_value_goods=thresholds_allowed and draw(st.booleans()),
        collection=draw(st.sampled_from(list(Collection))),
        collection_ceiling=draw(thresholds) if thresholds_allowed else None,
        tax_kind=draw(st.sampled_from(list(TaxKind))),
    )


duty_schedules = st.dictionaries(
    st.sampled_from(HS_CODES + tuple(code[:4] for code in HS_CODES)), rates_st, max_size=4
)


def exact(money: Money, currency: str) -> Decimal:
    """The brute-force conversion: through USD, no rounding."""
    return money.amount / RATES.per_usd[money.currency] * RATES.per_usd[currency]


def close(rounded: Money, exact_amount: Decimal) -> bool:
    # a hair of slack for Decimal's 28-digit division, far below any minor unit
    return abs(rounded.amount - exact_amount) <= quantum(rounded.currency) / 2 + D("1e-15")


@settings(max_examples=400, deadline=None)
@given(consignments(), regimes(), duty_schedules, st.sampled_from(CURRENCIES))
def test_components_are_non_negative_rounded_and_add_up_to_the_total(parcel, regime, duty_rates, currency):
    cost = landed_cost(parcel, regime=regime, duty_rates=duty_rates, rates=RATES, currency=currency)
    components = (cost.goods, cost.shipping, cost.duty, cost.tax)
    for component in (*components, cost.total):
        assert component.currency == currency
        assert component.amount >= 0
        assert component.amount.as_tuple().exponent == -minor_unit(currency)
    assert cost.total == cost.goods + cost.shipping + cost.duty + cost.tax
    if parcel.domestic:
        assert cost.duty.amount == cost.tax.amount == 0
    if cost.under_duty_de_minimis:
        assert cost.duty.amount == 0
    if cost.under_tax_de_minimis:
        assert cost.tax.amount == 0
    assert cost.explain()  # every consignment can be explained


@settings(max_examples=400, deadline=None)
@given(consignments(), regimes(), duty_schedules, st.sampled_from(CURRENCIES))
def test_converting_then_rounding_loses_at_most_half_a_minor_unit(parcel, regime, duty_rates, currency):
    cost = landed_cost(parcel, regime=regime, duty_rates=duty_rates, rates=RATES, currency=currency)
    goods = sum((exact(line.unit_price, currency) * line.quantity for line in parcel.lines), D(0))
    assert close(cost.goods, goods)
    assert close(cost.shipping, exact(parcel.shipping, currency))


def rate_for(code: str, duty_rates: dict[str, Decimal], default: Decimal) -> Decimal:
    return duty_rates.get(code, duty_rates.get(code[:4], default))


@settings(max_examples=400, deadline=None)
@given(
    consignments(domestic=False),
    regimes(thresholds_allowed=False),
    duty_schedules,
    st.sampled_from(CURRENCIES),
)
def test_duty_and_tax_match_the_textbook_formula_within_half_a_minor_unit(
    parcel, regime, duty_rates, currency
):
    """No thresholds: duty = Σ rate(HS) × (line goods + its pro-rata share of shipping when the basis
    counts shipping); tax = VAT × (customs value + duty) — worked here line by line in USD."""
    goods_usd = [exact(line.unit_price, "USD") * line.quantity for line in parcel.lines]
    total_goods_usd = sum(goods_usd, D(0))
    assume(total_goods_usd > 0)
    shipping_usd = exact(parcel.shipping, "USD") if regime.value_basis in ("CIF", "transaction") else D(0)
    duty_usd = sum(
        (
            rate_for(line.hs_code, duty_rates, regime.default_duty_rate)
            * (g + shipping_usd * g / total_goods_usd)
            for line, g in zip(parcel.lines, goods_usd, strict=True)
        ),
        D(0),
    )
    tax_usd = regime.vat_rate * (total_goods_usd + shipping_usd + duty_usd)
    cost = landed_cost(parcel, regime=regime, duty_rates=duty_rates, rates=RATES, currency=currency)
    assert close(cost.duty, duty_usd * RATES.per_usd[currency])
    assert close(cost.tax, tax_usd * RATES.per_usd[currency])
