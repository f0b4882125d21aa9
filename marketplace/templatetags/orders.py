"""Order display helpers."""

from __future__ import annotations

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
