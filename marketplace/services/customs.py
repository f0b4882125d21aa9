"""Writes of import rules: tax regimes, duty rates and restricted goods (admin saves, CSV loads).

A dated rule is saved under a lock on its country's rows and validated against overlapping periods
(`clean()`); on PostgreSQL an exclusion constraint backs this up, and a clash it catches comes back
as the same `ValidationError`.

The loaders read the reference data shipped in `marketplace/demo/data/` (copied from the project's
curated reference folder so the app never depends on it at run time):

- `tax_regimes.csv`: one row per destination and period, each with its `source`. The tax's name
  (`tax_kind`), what thresholds are tested on (`threshold_basis`), whether the tax base adds shipping
  and a surcharge on duty are columns; the loader derives the rest: `MY_LVG` turns the
  low-value-goods rule on; each checkout scheme's ceiling is the one its `rule` text states
  (`COLLECTION_CEILINGS`). A flat duty is in the row's threshold currency.
- `duty_rates.csv`: duty rates by HS heading, each a single figure taken from the example duty points
  of `hs_duty_examples.csv` (cited in `source`); ranges ("EU 0-4.7%", "EAC 25-35%") are left to the
  regime's default. A heading not in `hs_duty_examples.csv` is refused.
- `restricted_goods.csv`: HS headings a destination refuses, with the reason shown at checkout.

Rows are found by natural key; a row already there is left as operators edited it unless
`refresh=True`, so `seed_demo` on every start never undoes an admin change. Loading twice writes
nothing new.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ewtp import versions
from marketplace.models import DutyRate, RestrictedGoods, TaxRegime
from marketplace.models.customs import Collection, TaxKind

DATA_DIR = Path(__file__).resolve().parent.parent / "demo" / "data"
TAX_REGIMES_CSV = DATA_DIR / "tax_regimes.csv"
DUTY_RATES_CSV = DATA_DIR / "duty_rates.csv"
HS_EXAMPLES_CSV = DATA_DIR / "hs_duty_examples.csv"
RESTRICTED_GOODS_CSV = DATA_DIR / "restricted_goods.csv"

TAX_KINDS = {"MY": TaxKind.SALES_TAX}  # everyone else in the file levies VAT on imports
# The value each scheme covers, in the row's threshold currency, as the rows' `rule` texts state.
COLLECTION_CEILINGS = {
    Collection.IOSS: Decimal(150),  # "IOSS collects VAT at checkout for consignments <= EUR 150"
    Collection.UK_POS: Decimal(135),  # "<= GBP 135: ... UK VAT charged by the seller/marketplace"
    Collection.MY_LVG: Decimal(500),  # "10% sales tax on goods <= RM 500 sold online into Malaysia"
    Collection.AU_LVG: Decimal(1000),  # "Low value imported goods (customs value <= AUD 1,000)"
    Collection.BR_PRC: Decimal(3000),  # "USD 50.01-3000 -> 60% minus USD 20"
    Collection.CBEC: Decimal(5000),  # "within CNY 5000 per transaction"
}


def _decimal(text: str) -> Decimal | None:
    text = (text or "").strip()
    return Decimal(text) if text else None


def _date(text: str) -> date | None:
    text = (text or "").strip()
    return date.fromisoformat(text) if text else None


def _save_dated(row: TaxRegime | DutyRate, lock: dict) -> None:
    """full_clean and save `row`, its country's rows locked so overlapping saves queue up."""
    list(type(row).objects.select_for_update().filter(**lock).values_list("pk", flat=True))
    row.full_clean()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # the exclusion constraint: a concurrent save got there first
        raise ValidationError(
            _("This period overlaps another one of the same rule."), code="overlap"
        ) from exc


@transaction.atomic
def tax_regime_save(*, regime: TaxRegime) -> TaxRegime:
    """Validate (no overlapping period for the country) and save an operator's tax regime."""
    _save_dated(regime, {"country": regime.country})
    versions.bump_on_commit(versions.CUSTOMS)
    return regime


@transaction.atomic
def duty_rate_save(*, rate: DutyRate) -> DutyRate:
    """Validate (no overlapping period for the country and HS code) and save a duty rate."""
    _save_dated(rate, {"country": rate.country, "hs_code": rate.hs_code})
    versions.bump_on_commit(versions.CUSTOMS)
    return rate


@transaction.atomic
def restricted_goods_save(*, item: RestrictedGoods) -> RestrictedGoods:
    item.full_clean()
    item.save()
    versions.bump_on_commit(versions.CUSTOMS)
    return item


@transaction.atomic
def customs_rules_delete(*, rules: QuerySet) -> int:
    """An operator deletes import rules (regimes, duty rates, restricted goods): they stop applying
    at once, because the `customs` version moves on commit (the cached rules are keyed by it)."""
    count, _by_model = rules.delete()
    versions.bump_on_commit(versions.CUSTOMS)
    return count


def _upsert(model, key: dict, values: dict, *, refresh: bool, save) -> bool:
    """Create the row for `key` or (with `refresh`) bring it up to `values`; True when written."""
    row = model.objects.filter(**key).first()
    if row is not None and not refresh:
        return False
    if row is None:
        row = model(**key)
    elif all(getattr(row, name) == value for name, value in values.items()):
        return False
    for name, value in values.items():
        setattr(row, name, value)
    save(row)
    return True


@transaction.atomic
def tax_regimes_load(*, path: Path = TAX_REGIMES_CSV, refresh: bool = False) -> int:
    """Load `tax_regimes.csv`; returns the rows written (0 when everything is already there)."""
    written = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            country = row["country"].strip().upper()
            valid_from = _date(row["valid_from"])
            collection = Collection(row["checkout_collection"].strip())
            flat = _decimal(row["flat_duty_per_subheading"])
            values = {
                "currency": row["currency"].strip(),
                "tax_kind": (row.get("tax_kind") or "").strip() or TAX_KINDS.get(country, TaxKind.VAT),
                "threshold_basis": (row.get("threshold_basis") or "").strip(),
                "tax_adds_shipping": (row.get("tax_adds_shipping") or "").strip() in ("1", "true", "yes"),
                "duty_surcharge_rate": _decimal(row.get("duty_surcharge_rate", "")) or Decimal(0),
                "vat_rate": Decimal(row["vat_rate"]),
                "value_basis": row["value_basis"].strip(),
                "threshold_currency": row["threshold_currency"].strip(),
                "duty_de_minimis": _decimal(row["duty_de_minimis"]),
                "tax_de_minimis": _decimal(row["tax_de_minimis"]),
                "default_duty_rate": Decimal(row["default_duty_rate"]),
                "flat_duty_amount": flat,
                "flat_duty_currency": row["threshold_currency"].strip() if flat is not None else "",
                "flat_duty_threshold": _decimal(row["flat_duty_below_value"]),
                "low_value_goods": collection == Collection.MY_LVG,
                "checkout_collection": collection,
                "collection_ceiling": COLLECTION_CEILINGS.get(collection),
                "valid_to": _date(row["valid_to"]),
                "confidence": row["confidence"].strip(),
                "rule": row["rule"].strip(),
                "source": (row.get("source") or "").strip()
                or f"{path.name} line {line} (eWTP reference data)",
            }
            key = {"country": country, "valid_from": valid_from}
            try:
                written += _upsert(
                    TaxRegime, key, values, refresh=refresh, save=lambda r: tax_regime_save(regime=r)
                )
            except ValidationError as exc:
                raise ValidationError(f"{path.name} line {line}: {exc}") from exc
    return written


def _hs_headings(path: Path = HS_EXAMPLES_CSV) -> set[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["hs_heading"].strip() for row in csv.DictReader(handle)}


@transaction.atomic
def duty_rates_load(
    *, path: Path = DUTY_RATES_CSV, examples: Path = HS_EXAMPLES_CSV, refresh: bool = False
) -> int:
    """Load `duty_rates.csv` (each row from an example duty point of `hs_duty_examples.csv`)."""
    headings = _hs_headings(examples)
    written = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            hs_code = row["hs_code"].strip()
            if hs_code[:4] not in headings:
                raise ValidationError(f"{path.name} line {line}: HS {hs_code} is not in {examples.name}")
            key = {
                "country": row["country"].strip().upper(),
                "hs_code": hs_code,
                "valid_from": _date(row["valid_from"]),
            }
            values = {
                "rate": Decimal(row["rate"]),
                "valid_to": _date(row["valid_to"]),
                "confidence": row["confidence"].strip(),
                "source": row["source"].strip()[:500],
            }
            try:
                written += _upsert(
                    DutyRate, key, values, refresh=refresh, save=lambda r: duty_rate_save(rate=r)
                )
            except ValidationError as exc:
                raise ValidationError(f"{path.name} line {line}: {exc}") from exc
    return written


@transaction.atomic
def restricted_goods_load(*, path: Path = RESTRICTED_GOODS_CSV, refresh: bool = False) -> int:
    written = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = {"country": row["country"].strip().upper(), "hs_code": row["hs_code"].strip()}
            values = {"reason": row["reason"].strip(), "source": row["source"].strip()[:500]}
            written += _upsert(
                RestrictedGoods, key, values, refresh=refresh, save=lambda r: restricted_goods_save(item=r)
            )
    return written
