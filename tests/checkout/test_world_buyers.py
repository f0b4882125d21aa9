"""The world's buyers (issue 21): the 2026 import regimes of the United States, the United Kingdom,
Canada, Australia, Japan, India and an EU country, loaded from the reference data (each row with
its source) and worked through by hand. Each example cites the published rule it follows; the
figures are the regime rows of `marketplace/demo/data/tax_regimes.csv` and `duty_rates.csv`.

Amounts are in the destination's own currency (goods and shipping priced in it), so each example is
the rule's arithmetic alone, with no exchange rate in the way."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ewtp.money import Money
from logistics.models import Hub
from marketplace.models import TaxRegime
from marketplace.models.ledger import CUSTOMS, tax_payable_account
from marketplace.pricing.fx import Rates
from marketplace.pricing.landed_cost import Consignment, ConsignmentLine, landed_cost
from marketplace.selectors.checkout import CheckoutItem
from marketplace.selectors.customs import import_rules_in_force
from marketplace.selectors.ledger import account_balance, ledger_totals_by_currency
from marketplace.services.customs import duty_rates_load, tax_regimes_load
from marketplace.services.fulfilment import consignment_hand_over, consignment_mark_delivered
from marketplace.services.payments import order_pay
from marketplace.services.placing import ShipTo, order_place
from tests.checkout.helpers import CARD_OK, ship_to
from tests.marketplace.factories import UserFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 12, 1)
UNITS_PER_USD = {"USD": "1", "GBP": "0.73", "AUD": "1.53", "CAD": "1.37", "JPY": "144.5", "INR": "85.7",
                 "EUR": "0.85", "CNY": "7.17"}  # fmt: skip
RATES = Rates({currency: Decimal(units) for currency, units in UNITS_PER_USD.items()})
TSHIRT, TOY = "610910", "950300"

# (destination, currency, hs, goods, shipping) → (duty, tax, total, collected under), and why.
EXAMPLES = [
    pytest.param("US", "USD", TSHIRT, "40.00", "10.00", "6.60", "0.00", "56.60", "",
                 id="US: no de minimis from 29 Aug 2025 (EO 14324); HTSUS 6109.10 16.5% on FOB 40; no VAT"),
    pytest.param("US", "USD", TOY, "30.00", "10.00", "0.00", "0.00", "40.00", "",
                 id="US: toys (9503) duty-free; nothing else due"),
    pytest.param("GB", "GBP", TSHIRT, "100.00", "8.00", "0.00", "21.60", "129.60", "UK_POS",
                 id="GB: <= GBP 135 intrinsic value: no duty; 20% VAT at sale on price + delivery (108)"),
    pytest.param("GB", "GBP", TSHIRT, "200.00", "10.00", "25.20", "47.04", "282.24", "",
                 id="GB: > GBP 135: 12% duty (UKGT 6109) on CIF 210; 20% import VAT on 210 + 25.20"),
    pytest.param("AU", "AUD", TSHIRT, "200.00", "20.00", "0.00", "22.00", "242.00", "AU_LVG",
                 id="AU: <= AUD 1,000: no duty; GST 10% at sale on price + delivery (220)"),
    pytest.param("AU", "AUD", TSHIRT, "1200.00", "50.00", "60.00", "131.00", "1441.00", "",
                 id="AU: > AUD 1,000: 5% duty on FOB 1,200; GST 10% on VoTI 1,200 + 60 + 50"),
    pytest.param("CA", "CAD", TSHIRT, "15.00", "10.00", "0.00", "0.00", "25.00", "",
                 id="CA: <= CAD 20 (non-CUSMA origin): free of duty and GST"),
    pytest.param("CA", "CAD", TSHIRT, "60.00", "12.00", "10.80", "3.54", "86.34", "",
                 id="CA: 18% duty (6109.10 MFN) on VFD 60 (transport excluded); GST 5% on 60 + 10.80"),
    pytest.param("JP", "JPY", TSHIRT, "8000", "1500", "0", "0", "9500", "",
                 id="JP: taxable value (CIF) 9,500 <= JPY 10,000: exempt from duty and consumption tax"),
    pytest.param("JP", "JPY", TSHIRT, "12000", "2000", "700", "1470", "16170", "",
                 id="JP: CIF 14,000: 5% duty (default) 700; consumption tax 10% on 14,700"),
    pytest.param("IN", "INR", TSHIRT, "2000.00", "500.00", "550.00", "549.00", "3599.00", "",
                 id="IN: no de minimis; BCD 20% of CIF 2,500 = 500 + SWS 10% of it = 50; IGST 18% on 3,050"),
    pytest.param("BE", "EUR", TSHIRT, "40.00", "6.00", "3.00", "10.29", "59.29", "IOSS",
                 id="EU (BE): < EUR 150: flat EUR 3 per subheading (1 Jul 2026); VAT 21% on 46 + 3 (IOSS)"),
]  # fmt: skip


@pytest.fixture
def rules():
    tax_regimes_load()
    duty_rates_load()


@pytest.mark.parametrize(
    ("country", "currency", "hs", "goods", "shipping", "duty", "tax", "total", "collected"), EXAMPLES
)
def test_landed_cost_matches_the_worked_example(
    rules, country, currency, hs, goods, shipping, duty, tax, total, collected
):
    in_force = import_rules_in_force(country=country, on=ON)
    parcel = Consignment(
        lines=(ConsignmentLine(hs, Money(Decimal(goods), currency), 1),),
        shipping=Money(Decimal(shipping), currency),
        origin="CN",
        destination=country,
    )
    cost = landed_cost(
        parcel, regime=in_force.regime, duty_rates=in_force.duty_rates, rates=RATES, currency=currency
    )
    assert (cost.duty.amount, cost.tax.amount, cost.total.amount) == (
        Decimal(duty),
        Decimal(tax),
        Decimal(total),
    )
    assert cost.collected_under == collected
    assert cost.incoterm == "DDP"


def test_every_regime_in_force_cites_its_source(rules):
    for country in ("US", "GB", "CA", "AU", "JP", "IN", "BE"):
        regime = TaxRegime.objects.filter(country=country).order_by("-valid_from").first()
        assert regime.source and "eWTP reference data" not in regime.source, country
        assert regime.confidence in ("V", "S") and regime.rule
    us = TaxRegime.objects.get(country="US", valid_from=date(2025, 8, 29))
    assert us.duty_de_minimis is None and "EO 14324" in us.source
    assert TaxRegime.objects.get(country="US", valid_to=date(2025, 8, 28)).duty_de_minimis == 800
    au = TaxRegime.objects.get(country="AU")
    assert (au.tax_kind, au.checkout_collection, au.collection_ceiling) == ("gst", "AU_LVG", 1000)
    assert TaxRegime.objects.get(country="JP").tax_kind == "consumption_tax"
    assert TaxRegime.objects.get(country="IN").duty_surcharge_rate == Decimal("0.10")


def test_the_notes_say_what_was_collected_and_why(rules):
    def notes(country, currency, goods, shipping):
        in_force = import_rules_in_force(country=country, on=ON)
        parcel = Consignment(
            lines=(ConsignmentLine(TSHIRT, Money(Decimal(goods), currency), 1),),
            shipping=Money(Decimal(shipping), currency),
            origin="CN",
            destination=country,
        )
        return landed_cost(
            parcel, regime=in_force.regime, duty_rates=in_force.duty_rates, rates=RATES, currency=currency
        ).explain()

    assert "Australia: GST collected at checkout" in notes("AU", "AUD", "200", "20")
    assert "GST on the customs value plus duty and shipping" in notes("AU", "AUD", "1200", "50")
    assert "surcharge of 10% of the duty" in notes("IN", "INR", "2000", "500")
    assert "consumption tax" in notes("JP", "JPY", "12000", "2000")
    assert "UK: VAT charged at the point of sale" in notes("GB", "GBP", "100", "8")


def test_hubs_reach_the_worlds_buyers(trade_data):
    served = {str(country) for hub in Hub.objects.all() for country in hub.serves_countries}
    assert {"US", "GB", "CA", "AU", "JP", "IN"} <= served


@pytest.mark.parametrize(
    ("country", "currency", "scheme"), [("GB", "GBP", "UK_POS"), ("AU", "AUD", "AU_LVG")]
)
def test_tax_collected_at_sale_is_owed_to_the_tax_authority_not_the_seller(
    scarf, country, currency, scheme, settings
):
    """Paid: the declaration carries the scheme's number; delivered: the VAT/GST goes to the
    scheme's tax-payable account of the ledger, the seller gets the goods less commission."""
    buyer = UserFactory(country=country)
    order = order_place(
        buyer=buyer,
        items=[CheckoutItem(listing=scarf, quantity=1)],
        ship_to=ShipTo(**{**ship_to(country), "country": country}),
        currency=currency,
        preference="cheapest",
    )
    order_pay(order=order, card_number=CARD_OK, actor=buyer)
    consignment = order.consignments.get()
    assert consignment.vat_scheme == scheme and consignment.tax_amount > 0 and consignment.duty_amount == 0
    declaration = consignment.declaration
    assert (declaration.vat_scheme, declaration.vat_scheme_number) == (
        scheme,
        settings.EWTP_VAT_SCHEME_NUMBERS[scheme],
    )
    assert declaration.complete
    consignment_hand_over(consignment=consignment, actor=scarf.shop.owner)
    consignment_mark_delivered(consignment=consignment)
    owed = account_balance(tax_payable_account(scheme), currency)
    assert owed == Money(consignment.tax_amount, currency)
    assert account_balance(CUSTOMS, currency).amount == 0  # no duty; the tax is not customs' here
    assert all(total == 0 for total in ledger_totals_by_currency().values())
