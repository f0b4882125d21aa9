"""Seed the import rules (tax regimes, duty rates, restricted goods) from the reference data
shipped in `data/`, through `services.customs` (idempotent; operators' edits are kept)."""

from __future__ import annotations

from collections.abc import Callable

from marketplace.services.customs import duty_rates_load, restricted_goods_load, tax_regimes_load


def seed_customs(log: Callable[[str], None] = lambda _msg: None) -> None:
    regimes = tax_regimes_load()
    rates = duty_rates_load()
    restricted = restricted_goods_load()
    log(f"customs: {regimes} tax regimes, {rates} duty rates, {restricted} restricted headings written")
