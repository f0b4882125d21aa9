"""`ewtp.money`: one currency per sum, never a float, rounded to the currency's minor unit."""

import operator
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ewtp.money import CurrencyMismatch, Money, known_currencies, minor_unit, quantize, quantum

# --- one currency at a time -------------------------------------------------------------------


def test_money_refuses_to_add_or_subtract_another_currency():
    with pytest.raises(CurrencyMismatch, match="USD with KES"):
        Money(Decimal("1.00"), "USD") + Money(Decimal("1.00"), "KES")
    with pytest.raises(CurrencyMismatch):
        Money(Decimal("1.00"), "USD") - Money(Decimal("1.00"), "KES")


@pytest.mark.parametrize("compare", [operator.lt, operator.le, operator.gt, operator.ge])
def test_money_refuses_to_order_amounts_in_different_currencies(compare):
    with pytest.raises(CurrencyMismatch):
        compare(Money(Decimal(1), "USD"), Money(Decimal(1000), "RWF"))


def test_money_orders_and_compares_amounts_in_one_currency():
    assert Money(Decimal("1.99"), "USD") < Money(Decimal("2"), "USD")
    assert Money(Decimal("2"), "USD") >= Money(Decimal("2.00"), "USD")
    assert max(Money(Decimal(3), "KES"), Money(Decimal(12), "KES")) == Money(Decimal(12), "KES")
    assert Money(Decimal("2.0"), "USD") == Money(Decimal("2.00"), "USD")


def test_money_in_two_currencies_is_never_equal():
    assert Money(Decimal(1), "USD") != Money(Decimal(1), "EUR")


def test_money_only_combines_with_money():
    with pytest.raises(TypeError):
        Money(Decimal(1), "USD") + Decimal(1)


def test_money_adds_and_multiplies_within_a_currency():
    total = Money(Decimal("1.10"), "USD") + Money(Decimal("2.25"), "USD")
    assert total == Money(Decimal("3.35"), "USD")
    assert Money(Decimal("1.10"), "USD") * 3 == Money(Decimal("3.30"), "USD")


# --- never a float ----------------------------------------------------------------------------


def test_money_refuses_a_float_amount():
    with pytest.raises(TypeError, match="float"):
        Money(0.1, "USD")


def test_money_refuses_to_be_multiplied_by_a_float():
    with pytest.raises(TypeError, match="float"):
        Money(Decimal("10.00"), "USD") * 1.1


@pytest.mark.parametrize("amount", ["ten", "NaN", "Infinity", "-Infinity", None])
def test_money_refuses_an_amount_that_is_not_a_finite_number(amount):
    with pytest.raises(ValueError, match="Invalid amount"):
        Money(amount, "USD")


def test_money_takes_decimal_int_and_decimal_strings_exactly():
    assert Money("0.10", "USD").amount == Decimal("0.10")
    assert Money(7, "RWF").amount == Decimal(7)


# --- known currencies only --------------------------------------------------------------------


@pytest.mark.parametrize("code", ["XYZ", "usd", "US", "USDT", "", None])
def test_money_refuses_an_unknown_currency(code):
    with pytest.raises(ValueError, match="Unknown currency"):
        Money(Decimal(1), code)


@pytest.mark.parametrize("code", ["XYZ", "usd"])
def test_rounding_refuses_an_unknown_currency_instead_of_guessing_two_decimals(code):
    with pytest.raises(ValueError, match="Unknown currency"):
        quantize(Decimal("1.234"), code)


# --- rounding to the minor unit ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "decimals"),
    [("JPY", 0), ("RWF", 0), ("USD", 2), ("KES", 2), ("KWD", 3), ("BHD", 3)],
)
def test_minor_unit_comes_from_cldr(currency, decimals):
    assert minor_unit(currency) == decimals
    assert quantum(currency) == Decimal(1).scaleb(-decimals)


@pytest.mark.parametrize(
    ("amount", "currency", "rounded"),
    [
        # two decimals: the half cent goes up, anything below it down
        ("0.005", "USD", "0.01"),
        ("0.00499999", "USD", "0.00"),
        ("2.675", "USD", "2.68"),  # 2.67 with binary floats; Decimal keeps it exact
        ("-0.005", "USD", "-0.01"),  # half away from zero
        # no decimals: half a yen or franc goes up, not to the even neighbour
        ("0.5", "JPY", "1"),
        ("1.5", "JPY", "2"),
        ("2.5", "JPY", "3"),
        ("0.49", "JPY", "0"),
        ("15753.5", "RWF", "15754"),
        ("15753.4999", "RWF", "15753"),
        # three decimals
        ("0.0005", "KWD", "0.001"),
        ("0.0004999", "KWD", "0.000"),
        ("1.2345", "BHD", "1.235"),
        ("1.2344", "BHD", "1.234"),
    ],
)
def test_quantize_rounds_half_up_to_the_minor_unit(amount, currency, rounded):
    result = quantize(Decimal(amount), currency)
    assert result == Decimal(rounded)
    assert result.as_tuple().exponent == -minor_unit(currency)  # "1.00", not "1"


def test_quantized_money_and_its_text_use_the_minor_unit():
    assert Money(Decimal("10.005"), "KES").quantized() == Money(Decimal("10.01"), "KES")
    assert str(Money(Decimal("1234.5"), "RWF")) == "RWF 1235"
    assert str(Money(Decimal("1.2"), "KWD")) == "KWD 1.200"


# --- property: rounding moves an amount by at most half a minor unit --------------------------

currencies = st.sampled_from(sorted(known_currencies()))
amounts = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False
)


@given(amount=amounts, currency=currencies)
def test_quantize_never_moves_an_amount_more_than_half_a_minor_unit(amount, currency):
    rounded = quantize(amount, currency)
    with localcontext() as exact:
        exact.prec = 100  # the difference itself must not be rounded
        assert abs(rounded - amount) <= quantum(currency) / 2
    assert rounded.as_tuple().exponent == -minor_unit(currency)
    assert quantize(rounded, currency) == rounded
