"""Import rules as data: loading the reference CSVs, the rule in force on a date, no overlapping
periods (model, service and the PostgreSQL exclusion constraint), the selector the engine reads."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from ewtp import seeding
from ewtp.money import Money
from marketplace.demo.customs import seed_customs
from marketplace.models import DutyRate, RestrictedGoods, TaxRegime
from marketplace.pricing.landed_cost import Consignment, ConsignmentLine, landed_cost
from marketplace.selectors.customs import import_rules_in_force, restricted_goods_for, tax_regime_in_force
from marketplace.services.customs import duty_rate_save, tax_regime_save, tax_regimes_load
from tests.marketplace.factories import UserFactory
from tests.marketplace.test_landed_cost import BE_2021, BE_2026, KE, MY_2018, MY_2024, RATES, RW

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return TaxRegime.objects.count(), DutyRate.objects.count(), RestrictedGoods.objects.count()


def test_seed_customs_is_registered_and_loads_every_row_once():
    assert "customs" in [name for name, _seeder in seeding.seeders()]
    messages: list[str] = []
    seed_customs(messages.append)
    # tax_regimes.csv has 19 rows (16 countries, MY/BE/US twice); duty_rates.csv 13; restricted 1
    assert counts() == (19, 13, 1)
    assert messages == ["customs: 19 tax regimes, 13 duty rates, 1 restricted headings written"]
    seed_customs(messages.append)
    assert counts() == (19, 13, 1)
    assert messages[-1] == "customs: 0 tax regimes, 0 duty rates, 0 restricted headings written"


def test_tax_regimes_load_keeps_the_csv_figures_and_cites_the_source():
    tax_regimes_load()
    my = TaxRegime.objects.get(country="MY", valid_from=date(2024, 1, 1))
    assert (my.tax_kind, my.value_basis, my.checkout_collection) == ("sales_tax", "item_price", "MY_LVG")
    assert my.low_value_goods and my.collection_ceiling == 500 and my.duty_de_minimis == 500
    assert my.tax_de_minimis is None and my.confidence == "V"
    assert my.source.startswith("Royal Malaysian Customs, Sales Tax (Low Value Goods) 2023")
    assert "Low-value goods" in my.rule
    be = TaxRegime.objects.get(country="BE", valid_from=date(2026, 7, 1))
    assert (be.flat_duty_amount, be.flat_duty_currency, be.flat_duty_threshold) == (3, "EUR", 150)
    ke = TaxRegime.objects.get(country="KE")
    assert ke.valid_from is None and ke.valid_to is None and ke.duty_de_minimis is None


def test_tax_regimes_load_leaves_operator_edits_alone_unless_refreshed():
    tax_regimes_load()
    ke = TaxRegime.objects.get(country="KE")
    ke.vat_rate = Decimal("0.17")
    tax_regime_save(regime=ke)
    assert tax_regimes_load() == 0
    assert TaxRegime.objects.get(country="KE").vat_rate == Decimal("0.17")
    assert tax_regimes_load(refresh=True) == 1  # only the edited row is written back
    assert TaxRegime.objects.get(country="KE").vat_rate == Decimal("0.16")


@pytest.mark.parametrize(
    ("country", "on", "expected_from"),
    [
        ("BE", date(2026, 6, 30), date(2021, 7, 1)),  # last day of the old rule (valid_to inclusive)
        ("BE", date(2026, 7, 1), date(2026, 7, 1)),  # the flat EUR 3 duty starts
        ("MY", date(2023, 12, 31), date(2018, 9, 1)),
        ("MY", date(2024, 1, 1), date(2024, 1, 1)),
        ("US", date(2025, 8, 28), date(2016, 3, 10)),
        ("US", date(2025, 8, 29), date(2025, 8, 29)),
        ("KE", date(1999, 1, 1), None),  # open at both ends
    ],
)
def test_tax_regime_in_force_is_the_row_whose_period_holds_the_date(country, on, expected_from):
    tax_regimes_load()
    assert tax_regime_in_force(country=country, on=on).valid_from == expected_from


def test_no_regime_before_the_first_period_or_for_an_unknown_country():
    tax_regimes_load()
    assert tax_regime_in_force(country="MY", on=date(2018, 8, 31)) is None
    rules = import_rules_in_force(country="ZZ", on=date(2026, 7, 1))
    assert rules.regime is None and rules.duty_rates == {}


@pytest.mark.parametrize(
    ("country", "on", "terms"),
    [
        ("MY", date(2026, 3, 1), MY_2024),
        ("MY", date(2020, 3, 1), MY_2018),
        ("BE", date(2026, 6, 30), BE_2021),
        ("BE", date(2026, 7, 1), BE_2026),
        ("KE", date(2026, 7, 1), KE),
        ("RW", date(2026, 7, 1), RW),
    ],
)
def test_import_rules_in_force_hand_the_engine_the_terms_of_the_hand_worked_cases(country, on, terms):
    """The known cases of test_landed_cost.py run on exactly what the loaded CSV gives."""
    tax_regimes_load()
    assert import_rules_in_force(country=country, on=on).regime == terms


def test_import_rules_in_force_carry_duty_rates_by_heading_into_the_engine(django_assert_num_queries):
    seed_customs()
    with django_assert_num_queries(2):
        rules = import_rules_in_force(country="be", on=date(2026, 7, 1))
    assert rules.duty_rates == {
        "6109": Decimal("0.12"),
        "090111": Decimal("0"),
        "090121": Decimal("0.075"),
        "3304": Decimal("0"),
        "8517": Decimal("0"),
    }
    shirts = ConsignmentLine(hs_code="610910", unit_price=Money(Decimal("100.00"), "EUR"), quantity=2)
    parcel = Consignment(
        lines=(shirts,), shipping=Money(Decimal("20.00"), "EUR"), origin="CN", destination="BE"
    )
    cost = landed_cost(parcel, regime=rules.regime, duty_rates=rules.duty_rates, rates=RATES, currency="EUR")
    # CIF 220.00 ≥ 150: no flat duty → 12% (6109, hs_duty_examples.csv "EU 12%") × 220.00 = 26.40
    # VAT 21% × (220.00 + 26.40) = 51.744 → 51.74; total 200 + 20 + 26.40 + 51.74 = 298.14
    assert (cost.duty.amount, cost.tax.amount, cost.total.amount) == (
        Decimal("26.40"),
        Decimal("51.74"),
        Decimal("298.14"),
    )


def test_duty_rate_in_force_follows_its_dates():
    DutyRate.objects.create(country="KE", hs_code="6109", rate=Decimal("0.25"), valid_to=date(2026, 6, 30))
    DutyRate.objects.create(country="KE", hs_code="6109", rate=Decimal("0.35"), valid_from=date(2026, 7, 1))
    assert import_rules_in_force(country="KE", on=date(2026, 6, 30)).duty_rates == {"6109": Decimal("0.25")}
    assert import_rules_in_force(country="KE", on=date(2026, 7, 1)).duty_rates == {"6109": Decimal("0.35")}


def regime(**changes) -> TaxRegime:
    fields = {
        "country": "KE",
        "currency": "KES",
        "vat_rate": Decimal("0.16"),
        "value_basis": "CIF",
        "threshold_currency": "KES",
        "default_duty_rate": Decimal("0.25"),
    }
    return TaxRegime(**(fields | changes))


@pytest.mark.parametrize(
    ("valid_from", "valid_to"),
    [
        (date(2026, 6, 30), None),  # starts on the last day of the existing one
        (None, date(2026, 1, 1)),  # open start reaches into it
        (date(2025, 1, 1), date(2025, 12, 31)),  # inside it
        (None, None),
    ],
)
def test_overlapping_periods_are_refused_by_clean_and_the_service(valid_from, valid_to):
    tax_regime_save(regime=regime(valid_from=date(2024, 1, 1), valid_to=date(2026, 6, 30)))
    overlapping = regime(valid_from=valid_from, valid_to=valid_to)
    with pytest.raises(ValidationError, match="overlaps KE 2024-01-01–2026-06-30"):
        overlapping.full_clean()
    with pytest.raises(ValidationError):
        tax_regime_save(regime=overlapping)
    assert TaxRegime.objects.count() == 1


def test_adjacent_periods_and_other_countries_are_accepted():
    tax_regime_save(regime=regime(valid_from=date(2024, 1, 1), valid_to=date(2026, 6, 30)))
    tax_regime_save(regime=regime(valid_from=date(2026, 7, 1)))
    tax_regime_save(regime=regime(country="RW", currency="RWF", threshold_currency="RWF"))
    assert TaxRegime.objects.count() == 3


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValidationError, match="ends before it starts"):
        regime(valid_from=date(2026, 7, 1), valid_to=date(2026, 6, 1)).full_clean()


def test_duty_rates_of_one_heading_cannot_overlap_but_other_headings_can():
    duty_rate_save(rate=DutyRate(country="BE", hs_code="6109", rate=Decimal("0.12")))
    duty_rate_save(rate=DutyRate(country="BE", hs_code="610910", rate=Decimal("0.10")))
    with pytest.raises(ValidationError, match="overlaps"):
        duty_rate_save(
            rate=DutyRate(country="BE", hs_code="6109", rate=Decimal("0.05"), valid_from=date(2027, 1, 1))
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_the_database_refuses_overlapping_periods_that_skip_validation():
    TaxRegime.objects.create(
        **{f.name: getattr(regime(), f.name) for f in TaxRegime._meta.concrete_fields if f.name != "id"}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        regime(valid_from=date(2026, 7, 1)).save()
    DutyRate.objects.create(country="BE", hs_code="6109", rate=Decimal("0.12"), valid_to=date(2026, 6, 30))
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyRate.objects.create(
            country="BE", hs_code="6109", rate=Decimal("0.05"), valid_from=date(2026, 6, 30)
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_two_operators_adding_overlapping_regimes_at_once_one_wins():
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def add(start: date) -> None:
        try:
            barrier.wait()
            tax_regime_save(
                regime=regime(country="NG", currency="NGN", threshold_currency="NGN", valid_from=start)
            )
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(start,)) for start in (date(2026, 1, 1), date(2026, 2, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert TaxRegime.objects.filter(country="NG").count() == 1


def test_restricted_goods_for_matches_subheading_or_heading():
    seed_customs()
    RestrictedGoods.objects.create(country="MY", hs_code="851762", reason="Needs a SIRIM certificate.")
    found = restricted_goods_for(country="my", hs_codes=["330499", "610910", "851762"])
    assert found == {
        "330499": "Malaysia requires an import permit for beauty and skin-care preparations.",
        "851762": "Needs a SIRIM certificate.",
    }
    assert restricted_goods_for(country="KE", hs_codes=["330499"]) == {}


@pytest.fixture
def operator_client(client):
    client.force_login(UserFactory(username="op", role="operator", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("name", ["taxregime", "dutyrate", "restrictedgoods"])
def test_operators_see_import_rules_in_admin(operator_client, name):
    seed_customs()
    assert (
        operator_client.get(reverse(f"admin:marketplace_{name}_changelist"), {"q": "6109"}).status_code == 200
    )


def test_admin_refuses_an_overlapping_regime_with_a_message(operator_client):
    seed_customs()
    response = operator_client.post(
        reverse("admin:marketplace_taxregime_add"),
        {
            "country": "BE",
            "currency": "EUR",
            "valid_from": "2027-01-01",
            "value_basis": "CIF",
            "threshold_currency": "EUR",
            "default_duty_rate": "0.05",
            "tax_kind": "vat",
            "vat_rate": "0.21",
        },
    )
    assert response.status_code == 200
    assert "This period overlaps BE 2026-07-01–…" in response.content.decode()
    assert TaxRegime.objects.filter(country="BE").count() == 2


@pytest.mark.parametrize("bulk", [False, True], ids=["delete page", "bulk action"])
def test_admin_delete_of_a_restriction_stops_it_applying_at_once(
    operator_client, bulk, django_capture_on_commit_callbacks
):
    """Guards `ServiceSaveMixin.delete_model`/`delete_queryset` → `customs_rules_delete`: the
    default admin delete did not move the `customs` version, so the cached rule applied for an hour."""
    from marketplace.selectors.customs import destination_rules

    seed_customs()
    today = date.today()
    assert "3304" in destination_rules(country="MY", on=today).restricted  # now cached
    item = RestrictedGoods.objects.get(country="MY", hs_code="3304")
    with django_capture_on_commit_callbacks(execute=True):
        if bulk:
            response = operator_client.post(
                reverse("admin:marketplace_restrictedgoods_changelist"),
                {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"},
            )
        else:
            response = operator_client.post(
                reverse("admin:marketplace_restrictedgoods_delete", args=[item.pk]), {"post": "yes"}
            )
    assert response.status_code == 302
    assert not RestrictedGoods.objects.filter(pk=item.pk).exists()
    assert "3304" not in destination_rules(country="MY", on=today).restricted
