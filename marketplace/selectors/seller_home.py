"""What the seller's home leads with beside parcels to ship: sales this week and this month in the
shop's own prices, and listings about to run out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from ewtp.money import Money
from marketplace.models import ConsignmentStatus, Listing, OrderLine, Shop

LOW_STOCK = 3  # a published listing with this many or fewer left is flagged
LOW_STOCK_SHOWN = 10


@dataclass(frozen=True)
class Sales:
    week: Money
    week_orders: int
    month: Money
    month_orders: int


def _start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def shop_sales(shop: Shop, *, now: datetime | None = None) -> Sales:
    """Goods sold (paid, not cancelled) since Monday and since the 1st, at the shop's own prices —
    what the seller set, whatever currency each buyer paid in. One query."""
    today = timezone.localdate(now or timezone.now())
    week, month = _start(today - timedelta(days=today.weekday())), _start(today.replace(day=1))
    since = min(week, month)
    value = ExpressionWrapper(F("quantity") * F("unit_price_amount"), output_field=DecimalField())
    rows = OrderLine.objects.filter(
        consignment__shop=shop,
        consignment__order__paid_at__gte=since,
        unit_price_currency=shop.currency,
    ).exclude(consignment__status=ConsignmentStatus.CANCELLED)
    in_week, in_month = Q(consignment__order__paid_at__gte=week), Q(consignment__order__paid_at__gte=month)
    totals = rows.aggregate(
        week=Sum(value, filter=in_week),
        month=Sum(value, filter=in_month),
        week_orders=Count("consignment", filter=in_week, distinct=True),
        month_orders=Count("consignment", filter=in_month, distinct=True),
    )
    return Sales(
        week=Money(totals["week"] or Decimal(0), shop.currency).quantized(),
        week_orders=totals["week_orders"],
        month=Money(totals["month"] or Decimal(0), shop.currency).quantized(),
        month_orders=totals["month_orders"],
    )


def low_stock(shop: Shop) -> list[Listing]:
    return list(
        shop.listings.filter(is_active=True, stock__lte=LOW_STOCK).order_by("stock", "title")[
            :LOW_STOCK_SHOWN
        ]
    )
