"""The landed-cost engine on known cases, each worked by hand to the cent (no database).

Regimes mirror rows of `marketplace/demo/data/tax_regimes.csv` (the reference data) as loaded by
`services.customs`; `test_landed_cost_data.py` checks the selector hands the engine exactly these.
Rates are those of `fx_rates_usd.csv` (units per USD)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ewtp.money import Money
from marketplace.pricing.fx import Rates
from marketplace.pricing.landed_cost import (
    Collection,
    Consignment,
    ConsignmentLine,
    MissingRate,
    NoRegime,
    RegimeTerms,
    TaxKind,
    ValueBasis,
    duty_rate_for,
    landed_cost,
)

D = Decimal
RATES = Rates(
    per_usd={"USD": D(1), "MYR": D("4.22"), "KES": D("129.2"), "RWF": D(1440), "EUR": D("0.85")},
    as_of=date(2025, 7, 1),
)

# MY,MYR,0.10,500,,MYR,item_price,MY_LVG,0.10,,,2024-01-01,, (low-value goods)
MY_2024 = RegimeTerms(
    country="MY",
    value_basis=ValueBasis.ITEM_PRICE,
    vat_rate=D("0.10"),
    default_duty_rate=D("0.10"),
    threshold_currency="MYR",
    duty_de_minimis=D(500),
    tax_de_minimis=None,
    low_value_goods=True,
    collection=Collection.MY_LVG,
    collection_ceiling=D(500),
    tax_kind=TaxKind.SALES_TAX,
    valid_from=date(2024, 1, 1),
)
# MY,MYR,0.10,500,500,MYR,CIF,,0.10,,,2018-09-01,2023-12-31
MY_2018 = RegimeTerms(
    country="MY",
    value_basis=ValueBasis.CIF,
    vat_rate=D("0.10"),
    default_duty_rate=D("0.10"),
    threshold_currency="MYR",
    duty_de_minimis=D(500),
    tax_de_minimis=D(500),
    tax_kind=TaxKind.SALES_TAX,
    valid_from=date(2018, 9, 1),
    valid_to=date(2023, 12, 31),
)
# BE,EUR,0.21,150,,EUR,CIF,IOSS,0.05,,,2021-07-01,2026-06-30
BE_2021 = RegimeTerms(
    country="BE",
    value_basis=ValueBasis.CIF,
    vat_rate=D("0.21"),
    default_duty_rate=D("0.05"),
    threshold_currency="EUR",
    duty_de_minimis=D(150),
    collection=Collection.IOSS,
    collection_ceiling=D(150),
    valid_from=date(2021, 7, 1),
    valid_to=date(2026, 6, 30),
)
# BE,EUR,0.21,,,EUR,CIF,IOSS,0.05,3,150,2026-07-01,
BE_2026 = RegimeTerms(
    country="BE",
    value_basis=ValueBasis.CIF,
    vat_rate=D("0.21"),
    default_duty_rate=D("0.05"),
    threshold_currency="EUR",
    flat_duty_amount=D(3),
    flat_duty_currency="EUR",
    flat_duty_threshold=D(150),
    collection=Collection.IOSS,
    collection_ceiling=D(150),
    valid_from=date(2026, 7, 1),
)
# KE,KES,0.16,,,KES,CIF,,0.25,,,,
KE = RegimeTerms(
    country="KE",
    value_basis=ValueBasis.CIF,
    vat_rate=D("0.16"),
    default_duty_rate=D("0.25"),
    threshold_currency="KES",
)
# RW,RWF,0.18,100000,100000,RWF,FOB,,0.25,,,,
RW = RegimeTerms(
    country="RW",
    value_basis=ValueBasis.FOB,
    vat_rate=D("0.18"),
    default_duty_rate=D("0.25"),
    threshold_currency="RWF",
    duty_de_minimis=D(100000),
    tax_de_minimis=D(100000),
)
# BE duty rate by heading (hs_duty_examples.csv, 6109: "EU 12%")
BE_DUTY = {"6109": D("0.12")}


def money(amount: str, currency: str) -> Money:
    return Money(D(amount), currency)


def one_line(
    amount: str, currency: str, hs: str = "610910", quantity: int = 1
) -> tuple[ConsignmentLine, ...]:
    return (ConsignmentLine(hs_code=hs, unit_price=money(amount, currency), quantity=quantity),)


def test_landed_cost_myr_300_to_malaysia_is_low_value_goods():
    parcel = Consignment(
        lines=one_line("150.00", "MYR", quantity=2),
        shipping=money("25.00", "MYR"),
        origin="CN",
        destination="MY",
    )
    cost = landed_cost(parcel, regime=MY_2024, duty_rates={}, rates=RATES, currency="MYR")
    # value basis item_price: customs value = goods = 2 × 150.00 = 300.00 (shipping excluded)
    # 300.00 <= MYR 500 duty de minimis → duty 0.00
    # low-value goods: sales tax 10% × item price 300.00 = 30.00 (not on shipping, not on duty)
    # total = 300.00 + 25.00 + 0.00 + 30.00 = 355.00
    assert (cost.goods, cost.shipping, cost.duty, cost.tax, cost.total) == (
        money("300.00", "MYR"),
        money("25.00", "MYR"),
        money("0.00", "MYR"),
        money("30.00", "MYR"),
        money("355.00", "MYR"),
    )
    assert cost.customs_value == money("300.00", "MYR")
    assert cost.under_duty_de_minimis and not cost.under_tax_de_minimis and cost.low_value_goods
    assert cost.incoterm == "DDP"
    assert cost.explain().startswith("Below MYR500.00 — no duty; 10% sales tax collected (low-value goods)")


def test_landed_cost_myr_800_to_malaysia_pays_duty_and_sales_tax():
    parcel = Consignment(
        lines=one_line("400.00", "MYR", quantity=2),
        shipping=money("25.00", "MYR"),
        origin="CN",
        destination="MY",
    )
    cost = landed_cost(parcel, regime=MY_2024, duty_rates={}, rates=RATES, currency="MYR")
    # customs value (item_price, as the CSV row says) = 800.00 > 500 → no de minimis, no low-value rule
    # duty = 10% default × 800.00 = 80.00
    # sales tax = 10% × (800.00 + 80.00) = 88.00
    # total = 800.00 + 25.00 + 80.00 + 88.00 = 993.00
    assert (cost.duty, cost.tax, cost.total) == (
        money("80.00", "MYR"),
        money("88.00", "MYR"),
        money("993.00", "MYR"),
    )
    assert not cost.under_duty_de_minimis and not cost.low_value_goods
    assert "low-value" not in cost.explain()


def test_landed_cost_malaysia_before_2024_exempted_cif_up_to_myr_500():
    parcel = Consignment(
        lines=one_line("150.00", "MYR", quantity=2),
        shipping=money("25.00", "MYR"),
        origin="CN",
        destination="MY",
    )
    cost = landed_cost(parcel, regime=MY_2018, duty_rates={}, rates=RATES, currency="MYR")
    # CIF = 300.00 + 25.00 = 325.00 <= 500 for both duty and tax → nothing to pay
    assert (cost.duty, cost.tax, cost.total) == (
        money("0.00", "MYR"),
        money("0.00", "MYR"),
        money("325.00", "MYR"),
    )
    assert cost.under_duty_de_minimis and cost.under_tax_de_minimis


def test_landed_cost_eur_100_to_belgium_on_2026_06_30_no_duty_vat_by_ioss():
    parcel = Consignment(
        lines=one_line("100.00", "EUR"), shipping=money("10.00", "EUR"), origin="CN", destination="BE"
    )
    cost = landed_cost(parcel, regime=BE_2021, duty_rates=BE_DUTY, rates=RATES, currency="EUR")
    # CIF = 100.00 + 10.00 = 110.00 <= EUR 150 duty relief → duty 0.00 (the 12% rate on 6109 never applies)
    # VAT (no VAT de minimis since 2021) = 21% × (110.00 + 0) = 23.10
    # total = 100.00 + 10.00 + 0.00 + 23.10 = 133.10
    assert (cost.duty, cost.tax, cost.total) == (
        money("0.00", "EUR"),
        money("23.10", "EUR"),
        money("133.10", "EUR"),
    )
    assert cost.under_duty_de_minimis and not cost.flat_duty
    assert "EU: VAT collected at checkout (IOSS)" in cost.explain()


def test_landed_cost_eur_100_to_belgium_on_2026_07_01_pays_the_flat_eur_3():
    parcel = Consignment(
        lines=one_line("100.00", "EUR"), shipping=money("10.00", "EUR"), origin="CN", destination="BE"
    )
    cost = landed_cost(parcel, regime=BE_2026, duty_rates=BE_DUTY, rates=RATES, currency="EUR")
    # CIF 110.00 < EUR 150 → flat duty EUR 3 × 1 distinct subheading (610910) = 3.00
    # VAT = 21% × (110.00 + 3.00) = 21% × 113.00 = 23.73
    # total = 100.00 + 10.00 + 3.00 + 23.73 = 136.73
    assert (cost.duty, cost.tax, cost.total) == (
        money("3.00", "EUR"),
        money("23.73", "EUR"),
        money("136.73", "EUR"),
    )
    assert cost.flat_duty and not cost.under_duty_de_minimis
    assert "flat duty of €3.00 per tariff subheading (1 in this parcel)" in cost.explain()


def test_landed_cost_belgium_flat_duty_counts_distinct_subheadings_and_stops_at_eur_150():
    lines = (
        ConsignmentLine(hs_code="610910", unit_price=money("20.00", "EUR"), quantity=2),
        ConsignmentLine(hs_code="610910", unit_price=money("5.00", "EUR"), quantity=1),
        ConsignmentLine(hs_code="090121", unit_price=money("15.00", "EUR"), quantity=1),
    )
    parcel = Consignment(lines=lines, shipping=money("10.00", "EUR"), origin="KE", destination="BE")
    cost = landed_cost(parcel, regime=BE_2026, duty_rates=BE_DUTY, rates=RATES, currency="EUR")
    # CIF = 40 + 5 + 15 + 10 = 70.00 < 150; subheadings {610910, 090121} → 2 × 3.00 = 6.00
    # VAT = 21% × 76.00 = 15.96
    assert (cost.duty, cost.tax) == (money("6.00", "EUR"), money("15.96", "EUR"))

    big = Consignment(
        lines=one_line("140.00", "EUR"), shipping=money("10.00", "EUR"), origin="CN", destination="BE"
    )
    cost = landed_cost(big, regime=BE_2026, duty_rates=BE_DUTY, rates=RATES, currency="EUR")
    # CIF = 150.00, not under 150 → the tariff rate: 12% (heading 6109) × 150.00 = 18.00
    # VAT = 21% × (150.00 + 18.00) = 35.28; IOSS still covers consignments of EUR 150 or less
    assert (cost.duty, cost.tax, cost.total) == (
        money("18.00", "EUR"),
        money("35.28", "EUR"),
        money("203.28", "EUR"),
    )
    assert "IOSS" in cost.explain()

    over = Consignment(
        lines=one_line("145.00", "EUR"), shipping=money("10.00", "EUR"), origin="CN", destination="BE"
    )
    cost = landed_cost(over, regime=BE_2026, duty_rates=BE_DUTY, rates=RATES, currency="EUR")
    # CIF 155.00: duty 12% × 155.00 = 18.60; VAT 21% × 173.60 = 36.456 → 36.46; no IOSS over EUR 150
    # total = 145.00 + 10.00 + 18.60 + 36.46 = 210.06
    assert (cost.duty, cost.tax, cost.total) == (
        money("18.60", "EUR"),
        money("36.46", "EUR"),
        money("210.06", "EUR"),
    )
    assert "IOSS" not in cost.explain()


def test_landed_cost_kenya_has_no_de_minimis():
    parcel = Consignment(
        lines=one_line("20.00", "USD", quantity=2),
        shipping=money("10.00", "USD"),
        origin="CN",
        destination="KE",
    )
    cost = landed_cost(parcel, regime=KE, duty_rates={}, rates=RATES, currency="KES")
    # goods 40.00 USD × 129.2 = 5168.00 KES; shipping 10.00 × 129.2 = 1292.00 KES
    # CIF = 6460.00; duty 25% (default, EAC CET top band for finished goods) = 1615.00
    # VAT 16% × (6460.00 + 1615.00) = 16% × 8075.00 = 1292.00
    # total = 5168.00 + 1292.00 + 1615.00 + 1292.00 = 9367.00
    assert (cost.goods, cost.shipping, cost.duty, cost.tax, cost.total) == (
        money("5168.00", "KES"),
        money("1292.00", "KES"),
        money("1615.00", "KES"),
        money("1292.00", "KES"),
        money("9367.00", "KES"),
    )
    assert not cost.under_duty_de_minimis and not cost.under_tax_de_minimis


def test_landed_cost_kenya_duty_by_heading_shares_shipping_over_the_lines():
    lines = (
        ConsignmentLine(hs_code="610910", unit_price=money("20.00", "USD"), quantity=2),
        ConsignmentLine(hs_code="630790", unit_price=money("20.00", "USD"), quantity=1),
    )
    parcel = Consignment(lines=lines, shipping=money("15.00", "USD"), origin="CN", destination="KE")
    cost = landed_cost(parcel, regime=KE, duty_rates={"6307": D("0.35")}, rates=RATES, currency="KES")
    # shipping 15 USD shared 40:20 → 10 and 5
    # line 1: (40 + 10) × 129.2 = 6460.00 KES at 25% (default) = 1615.00
    # line 2: (20 + 5) × 129.2 = 3230.00 KES at 35% (heading 6307) = 1130.50
    # duty = 2745.50; CIF = 9690.00; VAT 16% × (9690.00 + 2745.50) = 16% × 12435.50 = 1989.68
    # total = 7752.00 + 1938.00 + 2745.50 + 1989.68 = 14425.18
    assert (cost.duty, cost.tax, cost.total) == (
        money("2745.50", "KES"),
        money("1989.68", "KES"),
        money("14425.18", "KES"),
    )
    assert "Import duty by tariff heading" in cost.explain()


def test_landed_cost_domestic_order_pays_no_import_duty_or_tax():
    parcel = Consignment(
        lines=one_line("2500.00", "KES"), shipping=money("300.00", "KES"), origin="KE", destination="KE"
    )
    cost = landed_cost(parcel, regime=KE, duty_rates={}, rates=RATES, currency="KES")
    # 2500.00 + 300.00 + 0 + 0 = 2800.00
    assert (cost.duty, cost.tax, cost.total) == (
        money("0.00", "KES"),
        money("0.00", "KES"),
        money("2800.00", "KES"),
    )
    assert cost.domestic and cost.explain() == "Domestic delivery — no import duty or tax"
    # a domestic consignment needs no regime at all
    assert landed_cost(parcel, regime=None, duty_rates={}, rates=RATES, currency="KES") == cost


def test_landed_cost_in_rwf_rounds_each_component_to_whole_francs_once():
    parcel = Consignment(
        lines=one_line("33.33", "USD", quantity=3),
        shipping=money("7.77", "USD"),
        origin="KE",
        destination="RW",
    )
    cost = landed_cost(parcel, regime=RW, duty_rates={}, rates=RATES, currency="RWF")
    # goods 99.99 USD × 1440 = 143985.6 RWF → 143986
    # shipping 7.77 × 1440 = 11188.8 → 11189
    # FOB customs value = goods = 143985.6 > RWF 100,000 → duty and VAT due
    # duty 25% × 143985.6 = 35996.4 → 35996   (unrounded 35996.4 carries into the VAT base)
    # VAT 18% × (143985.6 + 35996.4) = 18% × 179982.0 = 32396.76 → 32397
    # total = 143986 + 11189 + 35996 + 32397 = 223568
    assert (cost.goods, cost.shipping, cost.duty, cost.tax, cost.total) == (
        money("143986", "RWF"),
        money("11189", "RWF"),
        money("35996", "RWF"),
        money("32397", "RWF"),
        money("223568", "RWF"),
    )
    assert str(cost.total.amount) == "223568"


def test_landed_cost_rwanda_under_rwf_100000_fob_pays_nothing_at_the_border():
    parcel = Consignment(
        lines=one_line("50.00", "USD"), shipping=money("30.00", "USD"), origin="KE", destination="RW"
    )
    cost = landed_cost(parcel, regime=RW, duty_rates={}, rates=RATES, currency="RWF")
    # FOB = 50 × 1440 = 72000 <= 100000 (shipping 43200 not counted) → no duty, no VAT
    assert (cost.duty, cost.tax, cost.total) == (money("0", "RWF"), money("0", "RWF"), money("115200", "RWF"))
    assert cost.explain() == "Below RWF100,000 — no duty; Below RWF100,000 — no VAT"


def test_landed_cost_de_minimis_is_tested_in_the_threshold_currency():
    # MYR 480 bought by a Kenyan buyer: the threshold test must not go through KES
    parcel = Consignment(
        lines=one_line("480.00", "MYR"), shipping=money("5.00", "USD"), origin="CN", destination="MY"
    )
    cost = landed_cost(parcel, regime=MY_2024, duty_rates={}, rates=RATES, currency="KES")
    # goods 480 / 4.22 × 129.2 = 14695.734597… → 14695.73 KES; customs value at the border = MYR 480.00
    # tax 10% × 14695.734597… = 1469.5734… → 1469.57
    assert cost.customs_value_at_border == money("480.00", "MYR")
    assert cost.under_duty_de_minimis and cost.low_value_goods
    assert (cost.goods, cost.tax) == (money("14695.73", "KES"), money("1469.57", "KES"))


def test_duty_rate_for_prefers_the_subheading_then_the_heading_then_the_default():
    rates = {"6109": D("0.12"), "610910": D("0.10")}
    assert duty_rate_for("610910", rates, D("0.05")) == D("0.10")
    assert duty_rate_for("610990", rates, D("0.05")) == D("0.12")
    assert duty_rate_for("090121", rates, D("0.05")) == D("0.05")


def test_landed_cost_refuses_what_it_cannot_price():
    parcel = Consignment(
        lines=one_line("10.00", "USD"), shipping=money("1.00", "USD"), origin="CN", destination="KE"
    )
    with pytest.raises(NoRegime):
        landed_cost(parcel, regime=None, duty_rates={}, rates=RATES, currency="KES")
    with pytest.raises(MissingRate):
        landed_cost(parcel, regime=KE, duty_rates={}, rates=RATES, currency="THB")
    with pytest.raises(ValueError):
        ConsignmentLine(hs_code="610910", unit_price=money("1.00", "USD"), quantity=0)


def test_landed_cost_explanation_is_translated_by_the_caller():
    parcel = Consignment(
        lines=one_line("100.00", "EUR"), shipping=money("10.00", "EUR"), origin="CN", destination="BE"
    )
    cost = landed_cost(parcel, regime=BE_2021, duty_rates=BE_DUTY, rates=RATES, currency="EUR")
    french = {"Below %(threshold)s — no duty": "Moins de %(threshold)s — pas de droits de douane"}
    text = cost.explain(gettext=lambda msgid: french.get(msgid, msgid), locale="fr")
    assert text.startswith("Moins de 150,00\u00a0€ — pas de droits de douane; 21\u00a0% VAT")


def test_de_minimis_includes_the_threshold_itself():
    at = Consignment(
        lines=one_line("500.00", "MYR"), shipping=money("25.00", "MYR"), origin="CN", destination="MY"
    )
    cost = landed_cost(at, regime=MY_2024, duty_rates={}, rates=RATES, currency="MYR")
    # item price 500.00 = MYR 500: still no duty and still low-value goods: 10% × 500.00 = 50.00
    assert (cost.duty, cost.tax) == (money("0.00", "MYR"), money("50.00", "MYR"))
    assert cost.explain().startswith("MYR500.00 or less — no duty; 10% sales tax collected (low-value goods)")
    over = Consignment(
        lines=one_line("500.01", "MYR"), shipping=money("25.00", "MYR"), origin="CN", destination="MY"
    )
    cost = landed_cost(over, regime=MY_2024, duty_rates={}, rates=RATES, currency="MYR")
    # 500.01: duty 10% × 500.01 = 50.001 → 50.00; tax 10% × (500.01 + 50.001) = 55.0011 → 55.00
    assert (cost.duty, cost.tax) == (money("50.00", "MYR"), money("55.00", "MYR"))
    assert not cost.low_value_goods
