"""Orders: placing (stock reserved atomically), status transitions with their event log, cancelling,
expiring unpaid orders, hand-over and delivery (which releases the seller's escrow exactly once).

Lock order, on every path: the order, then its consignments (in id order), then — in logistics —
their shipments. Cancel, expiry and payment take them so, and so do hand-over and delivery, which
start from a consignment: they read its order's id without a lock, lock the order, then the
consignment. Two paths that take the same rows in the same order wait for each other instead of
deadlocking (cancel against hand-over was a deadlock, answered 500).
"""

from __future__ import annotations

import functools
import itertools
import secrets
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from ewtp.db import insert_columns, numbered_params_cursor
from ewtp.exceptions import InvalidTransition, PermissionDenied
from marketplace import jobs, signals
from marketplace.models import (
    CONSIGNMENT_TRANSITIONS,
    ORDER_TRANSITIONS,
    Consignment,
    ConsignmentStatus,
    IdempotencyKey,
    Listing,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentAttempt,
    PaymentStatus,
    User,
)
from marketplace.selectors.checkout import CheckoutItem, CheckoutQuote, InsufficientStock, checkout_quote
from marketplace.services import ledger
from marketplace.services.idempotency import IdempotencyClaimLost
from marketplace.services.listings import stock_changed

NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud over a phone


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


def _wanted(items: list[CheckoutItem]) -> dict[int, int]:
    """Quantity per listing, in listing order (rows are locked in that order: no deadlocks
    between carts that share listings)."""
    wanted: dict[int, int] = {}
    for item in items:
        wanted[item.listing.pk] = wanted.get(item.listing.pk, 0) + item.quantity
    return dict(sorted(wanted.items()))


def _insufficient_stock(listing: Listing) -> InsufficientStock:
    message = _("Not enough stock of “%(title)s” left for this order.") % {"title": listing.title}
    return InsufficientStock(message, field_errors={"items": [message]})


def _reserve_stock_with_orm(items: list[CheckoutItem]) -> list[int]:
    """Elsewhere than PostgreSQL (the SQLite demo): one conditional UPDATE per listing, in
    listing order; raises `InsufficientStock` naming the first listing without enough. Returns
    the listings this order sold out."""
    listings = {item.listing.pk: item.listing for item in items}
    sold_out = []
    for pk, quantity in _wanted(items).items():
        rows = Listing.objects.filter(pk=pk)
        if rows.filter(stock=quantity).update(stock=0):
            sold_out.append(pk)
        elif not rows.filter(stock__gt=quantity).update(stock=F("stock") - quantity):
            raise _insufficient_stock(listings[pk])
    return sold_out


def _return_stock(order: Order) -> list[int]:
    """Put an order's quantities back; returns the listings this brought back into stock."""
    lines = OrderLine.objects.filter(consignment__order=order, listing__isnull=False).order_by("listing_id")
    back_in_stock = []
    for line in lines:
        rows = Listing.objects.filter(pk=line.listing_id)
        if rows.filter(stock=0).update(stock=line.quantity):
            back_in_stock.append(line.listing_id)
        else:
            rows.update(stock=F("stock") + line.quantity)
    return back_in_stock


def order_place(
    *,
    buyer: User,
    items: list[CheckoutItem],
    ship_to: ShipTo,
    currency: str,
    preference: str,
    quote: CheckoutQuote | None = None,
    idempotency_key_id: int | None = None,
) -> Order:
    """Create an order in `pending_payment` from what the buyer was quoted, reserving its stock.

    Prices, exchange rates, route and tax figures are snapshotted onto the rows. The quote is
    computed before the writes (it reads the network and rates); then stock is reserved and the
    order written (one statement on PostgreSQL), so locks are held briefly under load. The
    returned order carries its consignments and their lines, so showing it costs no query.

    With `idempotency_key_id` (a key claimed by `run_once`), the key is answered with this order
    by the same write: the order and the answer a retry gets commit together.
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
            shipping_cost_amount=part.shipping_quote.cost.amount,
            shipping_cost_currency=part.shipping_quote.cost.currency,
            customs_value_amount=part.landed.customs_value_at_border.amount,
            customs_value_currency=part.landed.customs_value_at_border.currency,
            explanation=list(part.explanation),
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
    if connection.vendor == "postgresql":
        sold_out = _place_in_one_statement(items, order, consignments, lines, events, idempotency_key_id)
    else:
        with transaction.atomic(savepoint=False):
            sold_out = _reserve_stock_with_orm(items)
            order.save(force_insert=True)
            Consignment.objects.bulk_create(consignments)
            OrderLine.objects.bulk_create(lines)
            OrderEvent.objects.bulk_create(events)
            if idempotency_key_id is not None:
                answered = IdempotencyKey.objects.filter(pk=idempotency_key_id, in_progress=True).update(
                    in_progress=False, response_status=201, order=order
                )
                if not answered:
                    raise IdempotencyClaimLost()
    # The caller can show the order without reading it back: its consignments and their lines
    # are attached as if prefetched (`order.consignments.all()`, `consignment.lines.all()`).
    for consignment in consignments:
        consignment._prefetched_objects_cache = {
            "lines": [line for line in lines if line.consignment is consignment]
        }
    order._prefetched_objects_cache = {"consignments": consignments}
    # Stock that stays above zero changes nothing the cached catalog shows: only an order that
    # sells a listing out moves the catalog version, so orders do not empty the catalog cache.
    stock_changed(sold_out)
    return order


def _place_in_one_statement(
    items: list[CheckoutItem],
    order: Order,
    consignments: list[Consignment],
    lines: list[OrderLine],
    events: list[OrderEvent],
    idempotency_key_id: int | None,
) -> list[int]:
    """Reserve the stock, write the order, its consignments, lines and events, and answer the
    idempotency key, in one PostgreSQL statement (`_order_sql`); returns the listings sold out.

    One statement is atomic on its own: no BEGIN, COMMIT or savepoint round trips, and nothing
    is written when any part fails. The rows of the cart are locked in listing order and their
    stock read under the lock; a listing without enough makes the statement raise (SQLSTATE
    EWSTK, migration 0013), which becomes `InsufficientStock` naming it. The ORM's four INSERTs
    and the separate reserve, answer and transaction statements cost ~3 ms per order.
    """
    shop_of = {id(consignment): consignment.shop_id for consignment in consignments}
    if len(shop_of) != len({c.shop_id for c in consignments}) or events[0].consignment is not None:
        raise ValueError("one consignment per shop, and the order's own event first")
    wanted = _wanted(items)
    params: list = [list(wanted), list(wanted.values())]
    for model, rows, leave_out in _ORDER_TABLES:
        getters = insert_columns(model, leave_out)[1]
        for row in rows(order, consignments, lines, events):
            if model is OrderLine or (model is OrderEvent and row.consignment is not None):
                params.append(shop_of[id(row.consignment)])
            params.extend(getter(row) for getter in getters)
    if idempotency_key_id is not None:
        params.append(idempotency_key_id)
    sql = _order_sql(len(consignments), len(lines), len(events), idempotency_key_id is not None)
    try:
        # Inside a caller's transaction (tests, a caller's own atomic block) a savepoint keeps a
        # refused order from breaking it; on its own the statement needs none.
        savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
        with savepoint, numbered_params_cursor() as cursor:
            cursor.execute(sql, params)
            order_id, consignment_ids, line_ids, sold_out = cursor.fetchone()[:4]
    except DatabaseError as error:
        diagnosis = getattr(error.__cause__, "diag", None)
        sqlstate = getattr(error.__cause__, "sqlstate", None)
        if sqlstate == "EWKEY":
            raise IdempotencyClaimLost() from None
        if sqlstate != "EWSTK" or diagnosis is None:
            raise
        short = int(diagnosis.message_detail)
        raise _insufficient_stock(next(i.listing for i in items if i.listing.pk == short)) from None
    # The rows' foreign keys are set through their (cached) related objects, which keeps them
    # cached: setting `line.consignment_id` alone would drop `line.consignment`.
    order.pk = order_id
    consignment_by_shop = {shop_id: pk for pk, shop_id in consignment_ids}
    for consignment in consignments:
        consignment.pk = consignment_by_shop[consignment.shop_id]
        consignment.order = order
    # RETURNING gives rows in the order of the VALUES list, as Django's own bulk_create relies on.
    for line, pk in zip(lines, line_ids, strict=True):
        line.pk = pk
        line.consignment = line.consignment
    for event in events:
        event.order = order
        if event.consignment is not None:
            event.consignment = event.consignment
    for row in (order, *consignments, *lines, *events):
        row._state.adding = False
        row._state.db = connection.alias
    return list(sold_out)


# (model, rows of one order, attnames the statement fills from the rows written before it)
_ORDER_TABLES = (
    (Order, lambda order, consignments, lines, events: [order], ()),
    (Consignment, lambda order, consignments, lines, events: consignments, ("order_id",)),
    (OrderLine, lambda order, consignments, lines, events: lines, ("consignment_id",)),
    (OrderEvent, lambda order, consignments, lines, events: events, ("order_id", "consignment_id")),
)


@functools.lru_cache(maxsize=256)
def _order_sql(consignments: int, lines: int, events: int, answer: bool) -> str:
    """The statement placing an order: $1 the cart's listing ids and $2 their quantities (in
    listing order), then the values `_place_in_one_statement` sends — the order's, each
    consignment's (one per shop), each line's and each event's (the order's first, then one per
    consignment), lines and consignment events preceded by their shop — then, when `answer`, the
    idempotency key's id.

    `locked` takes the row locks in listing order and reads the stock under them (READ
    COMMITTED: the latest committed row); `short` raises for the first listing without enough
    (or gone); `reserved` takes the quantities off (`stock >= quantity` re-checked, and the
    table's CHECK behind it). Two buyers racing for the last unit serialise on the row lock:
    the second reads 0 under it and is refused.
    """
    quote = connection.ops.quote_name
    numbers = itertools.count(3)
    order_id = '(SELECT "id" FROM new_order)'
    consignment_of_shop = '(SELECT "id" FROM new_consignments WHERE "shop_id" = '

    def row(count: int, *before: str, by_shop: bool = False) -> str:
        first = list(before)
        if by_shop:
            first.append(f"{consignment_of_shop}${next(numbers)})")
        return "(" + ", ".join([*first, *(f"${next(numbers)}" for _ in range(count))]) + ")"

    def names(model, leave_out: tuple[str, ...] = ()) -> list[str]:
        return insert_columns(model, leave_out)[0]

    listing = quote(Listing._meta.db_table)
    order_columns = names(Order)
    order_row = row(len(order_columns))
    c_columns = names(Consignment, ("order_id",))
    c_rows = [row(len(c_columns), order_id) for _ in range(consignments)]
    l_columns = names(OrderLine, ("consignment_id",))
    l_rows = [row(len(l_columns), by_shop=True) for _ in range(lines)]
    e_columns = names(OrderEvent, ("order_id", "consignment_id"))
    e_rows = [row(len(e_columns), order_id, "NULL")]
    e_rows += [row(len(e_columns), order_id, by_shop=True) for _ in range(events - 1)]
    answered = claim_held = ""
    if answer:
        key = f"${next(numbers)}"
        answered = f""", answered AS (
    UPDATE {quote(IdempotencyKey._meta.db_table)}
    SET "in_progress" = false, "response_status" = 201, "order_id" = {order_id}
    WHERE "id" = {key} AND "in_progress" RETURNING "id"
)"""  # noqa: S608  # nosec B608
        # The key must still be this request's claim (a retry may have taken over a claim it
        # thought dead): otherwise the whole statement is refused.
        claim_held = f""",
       (SELECT marketplace_idempotency_claim_lost({key}) WHERE NOT EXISTS (SELECT FROM answered))"""  # noqa: S608  # nosec B608
    return f"""
WITH wanted ("id", "quantity") AS (SELECT * FROM unnest($1::bigint[], $2::integer[])),
locked AS MATERIALIZED (
    SELECT "id", "stock" FROM {listing} WHERE "id" = ANY($1::bigint[]) ORDER BY "id" FOR UPDATE
), short AS MATERIALIZED (
    SELECT marketplace_insufficient_stock(wanted."id") FROM wanted LEFT JOIN locked USING ("id")
    WHERE locked."stock" IS NULL OR locked."stock" < wanted."quantity" ORDER BY wanted."id" LIMIT 1
), reserved AS (
    UPDATE {listing} AS listing SET "stock" = listing."stock" - wanted."quantity" FROM wanted
    WHERE listing."id" = wanted."id" AND listing."stock" >= wanted."quantity"
      AND NOT EXISTS (SELECT FROM short)
    RETURNING listing."id", listing."stock"
), new_order AS (
    INSERT INTO {quote(Order._meta.db_table)} ({", ".join(order_columns)})
    VALUES {order_row} RETURNING "id"
), new_consignments AS (
    INSERT INTO {quote(Consignment._meta.db_table)} ("order_id", {", ".join(c_columns)})
    VALUES {", ".join(c_rows)} RETURNING "id", "shop_id"
), new_lines AS (
    INSERT INTO {quote(OrderLine._meta.db_table)} ("consignment_id", {", ".join(l_columns)})
    VALUES {", ".join(l_rows)} RETURNING "id"
), new_events AS (
    INSERT INTO {quote(OrderEvent._meta.db_table)} ("order_id", "consignment_id", {", ".join(e_columns)})
    VALUES {", ".join(e_rows)}
){answered}
SELECT (SELECT "id" FROM new_order),
       ARRAY(SELECT ARRAY["id", "shop_id"] FROM new_consignments),
       ARRAY(SELECT "id" FROM new_lines),
       ARRAY(SELECT "id" FROM reserved WHERE "stock" = 0 AND NOT EXISTS (SELECT FROM short)){claim_held}
"""  # noqa: S608 - names from the models' metadata, every value a parameter  # nosec B608

def _transition_order(order: Order, to: OrderStatus, *, actor: User | None, note: str = "") -> None:
    current = OrderStatus(order.status)
    if to not in ORDER_TRANSITIONS[current]:
        raise InvalidTransition(
            _("Order %(number)s is %(status)s; it cannot become %(to)s.")
            % {"number": order.number, "status": current.label, "to": to.label}
        )
    OrderEvent.objects.create(order=order, from_status=current, to_status=to, actor=actor, note=note)
    order.status = to


def _transition_consignment(
    consignment: Consignment, to: ConsignmentStatus, *, actor: User | None, note: str = ""
) -> None:
    current = ConsignmentStatus(consignment.status)
    if to not in CONSIGNMENT_TRANSITIONS[current]:
        raise InvalidTransition(
            _("This consignment is %(status)s; it cannot become %(to)s.")
            % {"status": current.label, "to": to.label}
        )
    OrderEvent.objects.create(
        order_id=consignment.order_id,
        consignment=consignment,
        from_status=current,
        to_status=to,
        actor=actor,
        note=note,
    )
    consignment.status = to


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _locked_with_order(consignment: Consignment) -> tuple[Order, Consignment]:
    """The consignment's order, then the consignment, locked in the house's lock order."""
    order_id = Consignment.objects.values_list("order_id", flat=True).get(pk=consignment.pk)
    order = Order.objects.select_for_update().get(pk=order_id)
    locked = Consignment.objects.select_for_update().select_related("shop").get(pk=consignment.pk)
    locked.order = order
    return order, locked


@transaction.atomic
def order_mark_paid(*, order: Order, actor: User | None) -> Order:
    """The gateway took the money: hold it in escrow and let every shop ship its consignment."""
    order = _locked(order)
    _transition_order(order, OrderStatus.PAID, actor=actor)
    order.paid_at = timezone.now()
    order.save(update_fields=["status", "paid_at"])
    consignments = list(order.consignments.select_for_update().order_by("pk"))
    for consignment in consignments:
        _transition_consignment(consignment, ConsignmentStatus.READY_TO_SHIP, actor=actor)
        consignment.duties_paid = True  # DDP: duty and tax were part of the payment
        consignment.save(update_fields=["status", "duties_paid"])
    ledger.ledger_record_payment(order=order)
    signals.consignments_ready_to_ship.send(sender=Order, order=order, consignments=consignments)
    jobs.send_order_emails("order_paid", order.pk)
    return order


@transaction.atomic
def order_cancel(*, order: Order, actor: User) -> Order:
    """The buyer cancels before any parcel is handed over: stock returns and a paid order is refunded."""
    order = _locked(order)
    if actor.pk != order.buyer_id and not actor.is_operator:
        raise PermissionDenied(_("Only the buyer can cancel this order."))
    if PaymentAttempt.objects.filter(order=order, status=PaymentStatus.PENDING).exists():
        raise InvalidTransition(_("A payment for this order is being processed; try again in a moment."))
    consignments = list(order.consignments.select_for_update().order_by("pk"))
    if any(
        c.status not in (ConsignmentStatus.AWAITING_PAYMENT, ConsignmentStatus.READY_TO_SHIP)
        for c in consignments
    ):
        raise InvalidTransition(
            _("A parcel of this order has already been handed over; it can no longer be cancelled.")
        )
    was_paid = order.status == OrderStatus.PAID
    _transition_order(order, OrderStatus.CANCELLED, actor=actor)
    order.save(update_fields=["status"])
    for consignment in consignments:
        _transition_consignment(consignment, ConsignmentStatus.CANCELLED, actor=actor)
        consignment.save(update_fields=["status"])
    listing_ids = _return_stock(order)
    if was_paid:
        ledger.ledger_refund(order=order)
        PaymentAttempt.objects.filter(order=order, status=PaymentStatus.SUCCEEDED).update(
            status=PaymentStatus.REFUNDED
        )
        signals.consignments_cancelled.send(sender=Order, order=order, consignments=consignments)
    stock_changed(listing_ids)
    jobs.send_order_emails("order_cancelled", order.pk)
    return order


def _payment_in_flight() -> Exists:
    return Exists(PaymentAttempt.objects.filter(order=OuterRef("pk"), status=PaymentStatus.PENDING))


def order_expire(*, order: Order, now: datetime | None = None) -> bool:
    """Expire an unpaid order past its payment window (wall-clock time) and release its stock, in
    the caller's transaction with the order locked; False (nothing written) when it is not due,
    no longer unpaid, or a payment for it is in flight (the reconciler settles that first)."""
    if order.status != OrderStatus.PENDING_PAYMENT or order.expires_at > (now or timezone.now()):
        return False
    if PaymentAttempt.objects.filter(order=order, status=PaymentStatus.PENDING).exists():
        return False
    _transition_order(order, OrderStatus.EXPIRED, actor=None, note=_("Not paid in time."))
    order.save(update_fields=["status"])
    for consignment in order.consignments.select_for_update().order_by("pk"):
        _transition_consignment(consignment, ConsignmentStatus.CANCELLED, actor=None)
        consignment.save(update_fields=["status"])
    stock_changed(_return_stock(order))
    return True


def orders_expire_due(*, now: datetime | None = None, batch: int = 200, rounds: int = 10) -> int:
    """Expire unpaid orders past their payment window and release their stock; returns how many.

    Run by Celery beat every minute, up to `rounds` batches of `batch`. Orders with a payment in
    flight are not even asked for (a pile of them never starves the rest); each order is expired
    in its own short transaction with `skip_locked`, so a payment being recorded is never raced.
    """
    now = now or timezone.now()
    expired = 0
    for _round in range(rounds):
        ids = list(
            Order.objects.filter(status=OrderStatus.PENDING_PAYMENT, expires_at__lte=now)
            .exclude(_payment_in_flight())
            .order_by("expires_at")
            .values_list("pk", flat=True)[:batch]
        )
        for pk in ids:
            with transaction.atomic():
                order = Order.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
                if order is not None and order_expire(order=order, now=now):
                    expired += 1
        if len(ids) < batch:
            break
    return expired


@transaction.atomic
def consignment_hand_over(*, consignment: Consignment, actor: User) -> Consignment:
    """The seller gave the parcel to the first-mile courier. Locks the order, then the consignment."""
    order, consignment = _locked_with_order(consignment)
    if not (actor.is_operator or consignment.shop.owner_id == actor.pk):
        raise PermissionDenied(_("Only the shop that ships this consignment can hand it over."))
    _transition_consignment(consignment, ConsignmentStatus.HANDED_OVER, actor=actor)
    consignment.handed_over_at = timezone.now()
    consignment.save(update_fields=["status", "handed_over_at"])
    if order.status == OrderStatus.PAID:
        _transition_order(order, OrderStatus.IN_FULFILMENT, actor=actor)
        order.save(update_fields=["status"])
    return consignment


@transaction.atomic
def consignment_mark_in_transit(*, consignment: Consignment, actor: User | None = None) -> Consignment:
    consignment = Consignment.objects.select_for_update().get(pk=consignment.pk)
    _transition_consignment(consignment, ConsignmentStatus.IN_TRANSIT, actor=actor)
    consignment.save(update_fields=["status"])
    return consignment


@transaction.atomic
def consignments_mark_in_transit(*, consignment_ids: Iterable[int], actor: User | None = None) -> int:
    """Many handed-over consignments left their first hub at once (the simulation tick): one locking
    read, one insert of their events, one update — instead of a transaction each. Consignments no
    longer handed over (cancelled, already moving) are left as they are. Returns how many moved."""
    consignments = list(
        Consignment.objects.select_for_update()
        .filter(pk__in=list(consignment_ids), status=ConsignmentStatus.HANDED_OVER)
        .order_by("order_id", "pk")
    )
    if not consignments:
        return 0
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order_id=consignment.order_id,
            consignment=consignment,
            from_status=ConsignmentStatus.HANDED_OVER,
            to_status=ConsignmentStatus.IN_TRANSIT,
            actor=actor,
        )
        for consignment in consignments
    )
    Consignment.objects.filter(pk__in=[consignment.pk for consignment in consignments]).update(
        status=ConsignmentStatus.IN_TRANSIT
    )
    return len(consignments)


@transaction.atomic
def consignments_mark_delivered(*, consignment_ids: Iterable[int], actor: User | None = None) -> int:
    """Many parcels reached their buyers at once (the simulation tick): as `consignment_mark_delivered`
    for each — escrow released once, the order completed with its last consignment — in a fixed
    number of statements. Locks their orders, then the consignments, each in id order (the house's
    lock order, as the single path). Consignments no longer in transit are left alone."""
    consignment_ids = list(consignment_ids)
    order_ids = set(Consignment.objects.filter(pk__in=consignment_ids).values_list("order_id", flat=True))
    locked_orders = Order.objects.select_for_update().filter(pk__in=order_ids).order_by("pk")
    orders = {order.pk: order for order in locked_orders}
    consignments = list(
        Consignment.objects.select_for_update()
        .filter(pk__in=consignment_ids)
        .exclude(status__in=[ConsignmentStatus.DELIVERED, ConsignmentStatus.CANCELLED])
        .order_by("order_id", "pk")
    )
    if not consignments:
        return 0
    now = timezone.now()
    events = []
    for consignment in consignments:
        current = ConsignmentStatus(consignment.status)
        if ConsignmentStatus.DELIVERED not in CONSIGNMENT_TRANSITIONS[current]:
            raise InvalidTransition(
                _("This consignment is %(status)s; it cannot become %(to)s.")
                % {"status": current.label, "to": ConsignmentStatus.DELIVERED.label}
            )
        events.append(
            OrderEvent(
                order_id=consignment.order_id,
                consignment=consignment,
                from_status=current,
                to_status=ConsignmentStatus.DELIVERED,
                actor=actor,
            )
        )
        consignment.status, consignment.delivered_at = ConsignmentStatus.DELIVERED, now
        consignment.order = orders[consignment.order_id]
    Consignment.objects.filter(pk__in=[consignment.pk for consignment in consignments]).update(
        status=ConsignmentStatus.DELIVERED, delivered_at=now
    )
    ledger.ledger_release_many(consignments=consignments)
    still_open = set(
        Consignment.objects.filter(order_id__in=orders)
        .exclude(status__in=[ConsignmentStatus.DELIVERED, ConsignmentStatus.CANCELLED])
        .values_list("order_id", flat=True)
    )
    completed = [order for pk, order in orders.items() if pk not in still_open]
    for order in completed:
        current = OrderStatus(order.status)
        if OrderStatus.COMPLETED not in ORDER_TRANSITIONS[current]:
            raise InvalidTransition(
                _("Order %(number)s is %(status)s; it cannot become %(to)s.")
                % {"number": order.number, "status": current.label, "to": OrderStatus.COMPLETED.label}
            )
        events.append(
            OrderEvent(order=order, from_status=current, to_status=OrderStatus.COMPLETED, actor=actor)
        )
    OrderEvent.objects.bulk_create(events)
    Order.objects.filter(pk__in=[order.pk for order in completed]).update(status=OrderStatus.COMPLETED)
    return len(consignments)


@transaction.atomic
def consignment_mark_delivered(*, consignment: Consignment, actor: User | None = None) -> Consignment:
    """The parcel reached the buyer: release the seller's escrow (once) and complete the order when
    it was the last one. Delivering twice is refused (409), and the ledger's constraint holds anyway.
    Locks the order, then the consignment."""
    order, consignment = _locked_with_order(consignment)
    _transition_consignment(consignment, ConsignmentStatus.DELIVERED, actor=actor)
    consignment.delivered_at = timezone.now()
    consignment.save(update_fields=["status", "delivered_at"])
    consignment.order = order
    ledger.ledger_release(consignment=consignment)
    open_parts = order.consignments.exclude(
        status__in=[ConsignmentStatus.DELIVERED, ConsignmentStatus.CANCELLED]
    )
    if not open_parts.exists():
        _transition_order(order, OrderStatus.COMPLETED, actor=actor)
        order.save(update_fields=["status"])
    return consignment
