"""Order display helpers."""

from __future__ import annotations

from decimal import Decimal

from django import template

from ewtp.money import Money

register = template.Library()


@register.filter
def amount(value, part: str) -> Money | None:
    """`{{ consignment|amount:"duty" }}`: a part of an order, a consignment or a quote as Money."""
    if value is None:
        return None
    money = getattr(value, "money", None)
    if callable(money):
        return money(part)
    return getattr(value, part, None)


@register.filter
def per_usd(rates) -> str:
    """`{"EUR": "0.85000000", "USD": "1"}` → "1 USD = 0.85 EUR": the rates an amount was converted at."""
    parts = []
    for code, rate in sorted((rates or {}).items()):
        if code == "USD":
            continue
        parts.append(f"1 USD = {Decimal(str(rate)).normalize():f} {code}")
    return "; ".join(parts)
