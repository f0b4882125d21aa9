"""Whether the platform serves the people it was made for: per month, the share of shops, orders
and sales that are women-owned or youth-led (verified badges as they stand today). Two queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ewtp.money import Money
from marketplace.models import Consignment, ConsignmentStatus, Shop
from marketplace.selectors.fx import rates_in_force

KINDS = ("women_owned", "youth_led")


@dataclass
class Tally:
    total: Decimal = Decimal(0)
    of: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(KINDS, Decimal(0)))

    def add(self, amount, women_owned: bool, youth_led: bool) -> None:
        self.total += amount
        for kind, held in zip(KINDS, (women_owned, youth_led), strict=True):
            if held:
                self.of[kind] += amount

    def share(self, kind: str) -> Decimal | None:
        """Percent of the total, one decimal; None when there is nothing to share."""
        return (self.of[kind] / self.total * 100).quantize(Decimal("0.1")) if self.total else None

    @property
    def women_owned_share(self) -> Decimal | None:
        return self.share("women_owned")

    @property
    def youth_led_share(self) -> Decimal | None:
        return self.share("youth_led")


@dataclass
class InclusionMonth:
    month: date
    shops: Tally  # shops open by the month's end
    orders: Tally  # consignments paid that month
    sales: Tally  # their goods, in USD at today's rates

    @property
    def tallies(self) -> tuple[Tally, Tally, Tally]:
        return (self.shops, self.orders, self.sales)


def _months(count: int, today: date) -> list[date]:
    first, months = today.replace(day=1), []
    for _ in range(count):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return sorted(months)


def inclusion_by_month(*, months: int = 12, today: date | None = None) -> list[InclusionMonth]:
    today = today or timezone.localdate()
    span = _months(months, today)
    rows = {month: InclusionMonth(month, Tally(), Tally(), Tally()) for month in span}
    shops = (
        Shop.objects.annotate(month=TruncMonth("created_at"))
        .values_list("month", "women_owned", "youth_led")
        .annotate(n=Count("id"))
        .order_by()
    )
    for created, women_owned, youth_led, n in shops:
        opened = created.date() if hasattr(created, "date") else created
        for month in span:
            if opened <= month:  # open by that month's end (both are the first of their month)
                rows[month].shops.add(Decimal(n), women_owned, youth_led)
    rates = rates_in_force()
    sold = (
        Consignment.objects.filter(order__paid_at__date__gte=span[0])
        .exclude(status=ConsignmentStatus.CANCELLED)
        .annotate(month=TruncMonth("order__paid_at"))
        .values_list("month", "currency", "shop__women_owned", "shop__youth_led")
        .annotate(n=Count("id"), goods=Sum("goods_amount"))
        .order_by()
    )
    for paid, currency, women_owned, youth_led, n, goods in sold:
        row = rows.get((paid.date() if hasattr(paid, "date") else paid).replace(day=1))
        if row is None:
            continue
        row.orders.add(Decimal(n), women_owned, youth_led)
        usd = rates.convert(Money(goods, currency), "USD")
        if usd is not None:
            row.sales.add(usd.amount, women_owned, youth_led)
    return [rows[month] for month in span]
