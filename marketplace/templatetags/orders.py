"""Order display helpers."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.core.exceptions import ObjectDoesNotExist

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


@register.filter
def tracking_number(consignment) -> str:
    """The consignment's parcel tracking number, "" until it is paid and shipped. `shipment` is the
    reverse side of logistics' one-to-one, joined by the order selectors (no query here)."""
    try:
        shipment = consignment.shipment
    except ObjectDoesNotExist:
        return ""
    return shipment.tracking_number if shipment is not None else ""
