"""Carts: add, change quantity, remove, merge a visitor's cart into the buyer's on login, and
become an order (`cart_order_place`).

Quantities are checked against stock when they are set (a clear message, not a silent cap);
stock is reserved only when an order is placed.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Least
from django.utils.translation import gettext as _

from ewtp.exceptions import DomainError
from marketplace.models import Cart, CartItem, Listing, Order, User
from marketplace.models.checkout import MAX_LINE_QUANTITY
from marketplace.selectors.carts import ORDER_PLACE_WEB_SCOPE
from marketplace.selectors.checkout import (
    CheckoutError,
    CheckoutItem,
    CheckoutQuote,
    validate_quantity,
)
from marketplace.services.idempotency import order_place_once
from marketplace.services.placing import ShipTo, order_place


def cart_get_or_create(*, user: User | None, cart_id: int | None) -> Cart:
    """The buyer's cart, or the anonymous cart whose id the session holds (a new one if gone)."""
    if user is not None and user.is_authenticated:
        cart, _created = Cart.objects.get_or_create(user=user)
        return cart
    if cart_id:
        cart = Cart.objects.filter(pk=cart_id, user__isnull=True).first()
        if cart is not None:
            return cart
    return Cart.objects.create()


def _orderable(listing_id: int) -> Listing:
    listing = (
        Listing.objects.filter(pk=listing_id, is_active=True, shop__is_active=True)
        .select_related("shop")
        .first()
    )
    if listing is None:
        raise CheckoutError(
            _("This product is not available."), field_errors={"product": [_("Not available.")]}
        )
    return listing


def _check_stock(listing: Listing, quantity: int) -> None:
    if listing.stock <= 0:
        message = _("“%(title)s” is out of stock.") % {"title": listing.title}
        raise DomainError(message, field_errors={"quantity": [message]})
    if quantity > listing.stock:
        message = _("Only %(stock)d of “%(title)s” left.") % {"stock": listing.stock, "title": listing.title}
        raise DomainError(message, field_errors={"quantity": [message]})


@transaction.atomic
def cart_add(*, cart: Cart, listing_id: int, quantity: object = 1) -> CartItem:
    """Add `quantity` units (on top of what the cart holds) after checking the stock."""
    quantity = validate_quantity(quantity)
    listing = _orderable(listing_id)
    item = CartItem.objects.select_for_update().filter(cart=cart, listing=listing).first()
    total = quantity + (item.quantity if item else 0)
    if total > MAX_LINE_QUANTITY:
        message = _("Quantity must be between 1 and %(max)d.") % {"max": MAX_LINE_QUANTITY}
        raise CheckoutError(message, field_errors={"quantity": [message]})
    _check_stock(listing, total)
    if item is None:
        item = CartItem.objects.create(cart=cart, listing=listing, quantity=total)
    else:
        item.quantity = total
        item.save(update_fields=["quantity"])
    Cart.objects.filter(pk=cart.pk).update(updated_at=item.added_at)
    return item


@transaction.atomic
def cart_set_quantity(*, cart: Cart, listing_id: int, quantity: object) -> CartItem:
    quantity = validate_quantity(quantity)
    item = CartItem.objects.select_for_update().filter(cart=cart, listing_id=listing_id).first()
    if item is None:
        raise CheckoutError(
            _("This product is not in your cart."), field_errors={"product": [_("Not in cart.")]}
        )
    _check_stock(_orderable(listing_id), quantity)
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    return item


@transaction.atomic
def cart_remove(*, cart: Cart, listing_id: int) -> None:
    CartItem.objects.filter(cart=cart, listing_id=listing_id).delete()


@transaction.atomic
def cart_clear(*, cart: Cart) -> None:
    CartItem.objects.filter(cart=cart).delete()


@transaction.atomic
def cart_merge_into_user(*, cart_id: int | None, user: User) -> Cart:
    """On login: the visitor's cart joins the buyer's (quantities add up, capped by stock and the
    per-line maximum) and the anonymous cart is deleted."""
    target, _created = Cart.objects.select_for_update().get_or_create(user=user)
    if not cart_id:
        return target
    source = Cart.objects.select_for_update().filter(pk=cart_id, user__isnull=True).first()
    if source is None or source.pk == target.pk:
        return target
    existing = {item.listing_id: item for item in target.items.select_related("listing")}
    for item in source.items.select_related("listing"):
        cap = min(MAX_LINE_QUANTITY, max(item.listing.stock, 1))
        if item.listing_id in existing:
            CartItem.objects.filter(pk=existing[item.listing_id].pk).update(
                quantity=Least(Value(cap), F("quantity") + item.quantity)
            )
        else:
            CartItem.objects.create(cart=target, listing_id=item.listing_id, quantity=min(cap, item.quantity))
    source.delete()
    return target


def cart_order_place(
    *,
    buyer: User,
    cart: Cart | None,
    token: str,
    items: list[CheckoutItem],
    ship_to: ShipTo,
    currency: str,
    preference: str,
    quote: CheckoutQuote,
) -> tuple[Order, bool]:
    """The web checkout's "Place order": the order placed once per form token (the token is its
    idempotency key) and the cart emptied in the same transaction. Returns (the order, whether
    it was placed before: a second click or the back button). Raises what `order_place_once`
    and `order_place` raise, having written nothing."""

    def place() -> Order:
        order = order_place(
            buyer=buyer, items=items, ship_to=ship_to, currency=currency, preference=preference, quote=quote
        )
        if cart is not None:
            cart_clear(cart=cart)
        return order

    payload = {
        "items": [[item.listing.pk, item.quantity] for item in items],
        "ship_to": asdict(ship_to),
        "currency": currency,
        "preference": preference,
    }
    return order_place_once(user=buyer, key=token, scope=ORDER_PLACE_WEB_SCOPE, payload=payload, place=place)
