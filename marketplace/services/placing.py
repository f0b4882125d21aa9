"""Placing an order: what the buyer was quoted becomes an order in `pending_payment`, its stock
reserved, in one transaction of plain ORM statements.

The quote is computed first (it reads the network, rates and rules, and locks nothing). Then the
cart's listings are locked in id order (`select_for_update`: two carts sharing listings queue up
instead of deadlocking), their stock checked and taken with one `bulk_update` computed from those
locked rows — never from an earlier read — and the order, its consignments, lines and first events
written with one statement each: the same number of statements whatever the number of lines. The
database's `stock >= 0` constraint stands behind the check.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ewtp.exceptions import PermissionDenied
from marketplace.models import (
    Consignment,
    ConsignmentStatus,
    Listing,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    User,
)
from marketplace.selectors.checkout import CheckoutItem, CheckoutQuote, InsufficientStock, checkout_quote
from marketplace.services.listings import stock_changed

NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud over a phone


@dataclass(frozen=True)
class PlacedRows:
    """What placing wrote besides the order: its consignments, each with its lines (`order.placed`,
    so the answer to the buyer is built without reading them back)."""

    consignments: list[tuple[Consignment, list[OrderLine]]]


@dataclass(frozen=True)
class ShipTo:
    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    phone: str


def payment_window() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "EWTP_ORDER_PAYMENT_MINUTES", 30)))


def _order_number() -> str:
    return "O-" + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(10))


def _insufficient_stock(title: str) -> InsufficientStock:
    message = _("Not enough stock of “%(title)s” left for this order.") % {"title": title}
    return InsufficientStock(message, field_errors={"items": [message]})


def _take_stock(items: list[CheckoutItem]) -> list[int]:
    """Lock the cart's listings in id order, check their stock under the lock and take the
    quantities in one `bulk_update`; returns the listings this order sold out. Raises
    `InsufficientStock` naming the first listing short (or gone), having written nothing."""
    wanted: dict[int, int] = {}
    titles = {}
    for item in items:
        wanted[item.listing.pk] = wanted.get(item.listing.pk, 0) + item.quantity
        titles[item.listing.pk] = item.listing.title
    locked = {
        pk: Listing(pk=pk, stock=stock)
        for pk, stock in Listing.objects.select_for_update(of=("self",))
        .filter(pk__in=wanted)
        .order_by("pk")
        .values_list("pk", "stock")
    }
    for pk in sorted(wanted):
        listing = locked.get(pk)
        if listing is None or listing.stock < wanted[pk]:
            raise _insufficient_stock(titles[pk])
        listing.stock -= wanted[pk]
    Listing.objects.bulk_update(locked.values(), ["stock"])
    return [pk for pk, listing in locked.items() if listing.stock == 0]


def stock_return(order: Order) -> list[int]:
    """Put an order's quantities back (cancel, expiry); returns the listings this brought back into
    stock. Each is one conditional `F()` update, which locks its row as any stock writer must."""
    lines = OrderLine.objects.filter(consignment__order=order, listing__isnull=False).order_by("listing_id")
    back_in_stock = []
    for line in lines:
        rows = Listing.objects.filter(pk=line.listing_id)
        if rows.filter(stock=0).update(stock=line.quantity):
            back_in_stock.append(line.listing_id)
        else:
            rows.update(stock=F("stock") + line.quantity)
    return back_in_stock


def order_language() -> str:
    """The active language (the buyer's page or `Accept-Language`) if the site offers it."""
    language = (get_language() or settings.LANGUAGE_CODE).lower()
    offered = {code for code, _name in settings.LANGUAGES}
    return language if language in offered else settings.LANGUAGE_CODE


def order_place(
    *,
    buyer: User,
    items: list[CheckoutItem],
    ship_to: ShipTo,
    currency: str,
    preference: str,
    quote: CheckoutQuote | None = None,
) -> Order:
    """Create an order in `pending_payment` from what the buyer was quoted, reserving its stock.

    Prices, exchange rates, route and tax figures are snapshotted onto the rows. Six statements
    in one transaction (or in the caller's: `order_place_once` runs it in the one that claims its
    key, and a refusal rolls that back whole): lock and take the stock, then the order,
    consignments, lines and events — locks are held briefly under load. The order carries the
    rows written with it (`order.placed`).
    """
    if not buyer.is_authenticated:
        raise PermissionDenied(_("Log in to place an order."))
    quote = quote or checkout_quote(
        items=items, destination=ship_to.country, currency=currency, preference=preference
    )
    now = timezone.now()
    order = Order(
        number=_order_number(),
        buyer=buyer,
        currency=quote.currency,
        goods_amount=quote.goods.amount,
        shipping_amount=quote.shipping.amount,
        duty_amount=quote.duty.amount,
        tax_amount=quote.tax.amount,
        total_amount=quote.total.amount,
        preference=quote.preference,
        language=order_language(),
        ship_to_name=ship_to.name,
        ship_to_line1=ship_to.line1,
        ship_to_city=ship_to.city,
        ship_to_postal_code=ship_to.postal_code,
        ship_to_country=ship_to.country,
        ship_to_phone=ship_to.phone,
        rates=quote.rates_used(),
        rates_as_of=quote.rates.as_of,
        placed_at=now,
        expires_at=now + payment_window(),
    )
    consignments = [
        Consignment(
            order=order,
            shop=part.shop,
            origin_country=part.origin_country,
            currency=quote.currency,
            goods_amount=part.landed.goods.amount,
            shipping_amount=part.landed.shipping.amount,
            duty_amount=part.landed.duty.amount,
            tax_amount=part.landed.tax.amount,
            total_amount=part.landed.total.amount,
            weight_kg=part.weight_kg,
            quote_id=part.shipping_quote.id,
            route=list(part.shipping_quote.hubs),
            estimated_delivery=part.shipping_quote.estimated_delivery,
            promised_delivery=part.shipping_quote.promised_delivery,
            shipping_cost_amount=part.shipping_quote.cost.amount,
            shipping_cost_currency=part.shipping_quote.cost.currency,
            customs_value_amount=part.landed.customs_value_at_border.amount,
            customs_value_currency=part.landed.customs_value_at_border.currency,
            explanation=list(part.explanation),
            vat_scheme=part.landed.collected_under,
        )
        for part in quote.consignments
    ]
    lines = [
        OrderLine(
            consignment=consignment,
            listing=line.listing,
            title=line.listing.title,
            hs_code=line.listing.hs_code,
            quantity=line.quantity,
            unit_price_amount=line.unit_price.amount,
            unit_price_currency=line.unit_price.currency,
            line_total_amount=line.line_total.amount,
            currency=quote.currency,
        )
        for consignment, part in zip(consignments, quote.consignments, strict=True)
        for line in part.lines
    ]
    events = [
        OrderEvent(order=order, from_status="", to_status=OrderStatus.PENDING_PAYMENT, actor=buyer),
        *(
            OrderEvent(
                order=order,
                consignment=consignment,
                from_status="",
                to_status=ConsignmentStatus.AWAITING_PAYMENT,
                actor=buyer,
            )
            for consignment in consignments
        ),
    ]
    with transaction.atomic(savepoint=False):
        sold_out = _take_stock(items)
        order.save(force_insert=True)
        Consignment.objects.bulk_create(consignments)
        OrderLine.objects.bulk_create(lines)
        OrderEvent.objects.bulk_create(events)
    # Stock that stays above zero changes nothing the cached catalog shows: only an order that
    # sells a listing out moves the `stock` version, so orders do not empty the catalog cache.
    stock_changed(sold_out)
    order.placed = PlacedRows(
        [(part, [line for line in lines if line.consignment is part]) for part in consignments]
    )
    return order
