"""Seed the exchange-rate table from the dated snapshot shipped with the app (idempotent)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from ewtp.money import is_currency
from marketplace.services.fx import exchange_rate_set

RATES_CSV = Path(__file__).resolve().parent / "data" / "fx_rates_usd.csv"


@transaction.atomic
def seed_exchange_rates(log: Callable[[str], None] = lambda _msg: None, path: Path = RATES_CSV) -> int:
    """Insert or refresh one row per (currency, as_of) of the snapshot; returns rows written."""
    written = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            currency = row["currency"].strip().upper()
            if not is_currency(currency):
                raise ValueError(f"{path.name}: unknown currency {currency!r}")
            source = f"{path.name} snapshot" + (f": {row['note'].strip()}" if row.get("note") else "")
            exchange_rate_set(
                currency=currency,
                valid_from=date.fromisoformat(row["as_of"].strip()),
                units_per_usd=Decimal(row["units_per_usd"].strip()),
                source=source[:200],
            )
            written += 1
    log(f"exchange rates: {written} rows from {path.name}")
    return written
