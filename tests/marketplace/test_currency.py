"""Exchange rates and conversion: Decimal, rounded to the target's ISO-4217 minor unit (Babel)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ewtp.money import Money
from marketplace.demo.rates import seed_exchange_rates
from marketplace.models import ExchangeRate
from marketplace.pricing.fx import Rates, currency_for_country, display_price
from marketplace.selectors.fx import rates_in_force
from tests.marketplace.factories import (
    CatalogListingFactory as ListingFactory,
)

RATES = Rates(per_usd={"USD": Decimal(1), "KES": Decimal(130), "RWF": Decimal(1400), "MYR": Decimal(4)})


def test_convert_to_two_decimal_currency_rounds_half_up():
    # 45.01 MYR / 4 × 130 = 1462.825 KES → 1462.83
    assert RATES.convert(Money(Decimal("45.01"), "MYR"), "KES") == Money(Decimal("1462.83"), "KES")


def test_convert_to_zero_decimal_currency_rounds_to_whole_units():
    # 45.01 MYR / 4 × 1400 = 15753.5 RWF → 15754 (RWF has no minor unit)
    converted = RATES.convert(Money(Decimal("45.01"), "MYR"), "RWF")
    assert converted == Money(Decimal("15754"), "RWF")
    assert str(converted.amount) == "15754"


def test_convert_from_zero_decimal_currency():
    # 1000 RWF / 1400 × 130 = 92.857142… KES → 92.86
    assert RATES.convert(Money(Decimal("1000"), "RWF"), "KES").amount == Decimal("92.86")


def test_convert_same_currency_only_quantizes():
    assert RATES.convert(Money(Decimal("10.005"), "KES"), "KES").amount == Decimal("10.01")


def test_convert_without_a_rate_is_none_not_an_error():
    assert RATES.convert(Money(Decimal("10"), "MYR"), "EUR") is None
    assert RATES.convert(Money(Decimal("10"), "THB"), "KES") is None
    price = display_price(Money(Decimal("10"), "THB"), "KES", RATES)
    assert price.unavailable and price.original == Money(Decimal("10"), "THB")


def test_money_format_follows_the_locale():
    assert Money(Decimal("1290"), "KES").format("en") == "KES1,290.00"
    assert Money(Decimal("15754"), "RWF").format("fr") == "15\u202f754\u00a0RWF"


@pytest.mark.django_db
def test_rates_in_force_takes_the_latest_valid_rate_and_ignores_future_ones():
    today = timezone.localdate()
    ExchangeRate.objects.create(currency="KES", units_per_usd=Decimal("120"), valid_from=date(2024, 1, 1))
    ExchangeRate.objects.create(currency="KES", units_per_usd=Decimal("129.2"), valid_from=today)
    ExchangeRate.objects.create(
        currency="KES", units_per_usd=Decimal("999"), valid_from=today + timedelta(days=1)
    )
    assert rates_in_force()["KES"] == Decimal("129.2")
    assert rates_in_force(date(2024, 6, 1))["KES"] == Decimal("120")
    assert "KES" not in rates_in_force(date(2023, 1, 1))


@pytest.mark.django_db
def test_seed_exchange_rates_loads_the_dated_snapshot_idempotently():
    first = seed_exchange_rates()
    second = seed_exchange_rates()
    assert first == second == ExchangeRate.objects.count() >= 17
    rwf = ExchangeRate.objects.get(currency="RWF")
    assert rwf.units_per_usd == Decimal("1440") and rwf.valid_from == date(2025, 7, 1)
    assert rates_in_force()["KES"] == Decimal("129.2")


def test_default_display_currency_comes_from_the_country_via_babel():
    assert currency_for_country("KE") == "KES"
    assert currency_for_country("RW") == "RWF"
    assert currency_for_country("DE") == "EUR"
    assert currency_for_country("") is None


@pytest.mark.django_db
@pytest.mark.usefixtures("rates")
def test_product_page_shows_converted_price_next_to_the_original(client):
    listing = ListingFactory(price_amount=Decimal("45.00"))  # MYR shop
    session = client.session
    session["display_currency"] = "KES"
    session.save()
    body = client.get(listing.get_absolute_url()).content.decode()
    # 45 MYR / 4 × 130 = 1462.50 KES
    assert "≈ KES1,462.50" in body
    assert "MYR45.00" in body


@pytest.mark.django_db
@pytest.mark.usefixtures("rates")
def test_zero_decimal_display_currency_on_the_home_page(client):
    ListingFactory(price_amount=Decimal("45.01"))
    client.post("/currency/", {"currency": "RWF", "next": "/"})
    body = client.get("/").content.decode()
    assert "≈ RWF15,754" in body
    assert "MYR45.01" in body


@pytest.mark.django_db
@pytest.mark.usefixtures("rates")
def test_missing_rate_shows_the_original_price_and_says_conversion_is_unavailable(client):
    listing = ListingFactory(shop__currency="THB", shop__country="TH", price_amount=Decimal("350"))
    session = client.session
    session["display_currency"] = "KES"
    session.save()
    for url in ("/", listing.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "THB350.00" in body
        assert "conversion to KES unavailable" in body


@pytest.mark.django_db
def test_no_rates_at_all_still_renders_pages(client):
    listing = ListingFactory(price_amount=Decimal("12.50"))
    client.post("/currency/", {"currency": "EUR", "next": "/"})
    assert client.get("/").status_code == 200
    body = client.get(listing.get_absolute_url()).content.decode()
    assert "MYR12.50" in body and "conversion to EUR unavailable" in body
