"""Reads of a visitor's cart for the pages: found by the buyer or by the id in the session, lines
grouped by shop (each shop ships its own parcel), priced in the buyer's display currency, with
a clear message for each line the stock or the shop can no longer honour."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ewtp.money import Money, quantize
from marketplace.models import Cart, CartItem, IdempotencyKey, Listing, Order, Shop, User
from marketplace.pricing.fx import DisplayPrice, Rates, display_price
from marketplace.selectors.checkout import CheckoutItem

CART_SESSION_KEY = "cart_id"  # an anonymous visitor's cart
ORDER_PLACE_WEB_SCOPE = "order_place_web"


def session_cart_id(request: HttpRequest) -> int | None:
    raw = request.session.get(CART_SESSION_KEY) if hasattr(request, "session") else None
    return raw if isinstance(raw, int) else None


def cart_for_request(request: HttpRequest) -> Cart | None:
    """The visitor's cart if they have one (never creates one): one query, none without a cart."""
    user = request.user
    if user.is_authenticated:
        return Cart.objects.filter(user=user).first()
    cart_id = session_cart_id(request)
    if cart_id is None:
        return None
    return Cart.objects.filter(pk=cart_id, user__isnull=True).first()


def cart_count(request: HttpRequest) -> int:
    """Units in the visitor's cart for the header: one query, none for a visitor without a cart."""
    user = request.user
    if user.is_authenticated:
        items = CartItem.objects.filter(cart__user=user)
    else:
        cart_id = session_cart_id(request)
        if cart_id is None:
            return 0
        items = CartItem.objects.filter(cart_id=cart_id, cart__user__isnull=True)
    return items.aggregate(units=Sum("quantity"))["units"] or 0


@dataclass(frozen=True)
class CartLine:
    listing: Listing
    quantity: int
    price: DisplayPrice  # one unit, in the display currency with the original beside it
    line_total: Money | None  # in the display currency; None without a rate
    problem: str  # empty when the line can be ordered as it is


@dataclass(frozen=True)
class ShopParcel:
    shop: Shop
    lines: tuple[CartLine, ...]
    subtotal: Money | None


@dataclass(frozen=True)
class CartSummary:
    parcels: tuple[ShopParcel, ...]
    currency: str
    goods: Money | None

    @property
    def lines(self) -> list[CartLine]:
        return [line for parcel in self.parcels for line in parcel.lines]

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def problems(self) -> list[str]:
        return [line.problem for line in self.lines if line.problem]

    def checkout_items(self) -> list[CheckoutItem]:
        return [CheckoutItem(listing=line.listing, quantity=line.quantity) for line in self.lines]


def _problem(listing: Listing, quantity: int) -> str:
    if not listing.is_active or not listing.shop.is_active:
        return _("“%(title)s” is no longer available: remove it to check out.") % {"title": listing.title}
    if listing.stock <= 0:
        return _("“%(title)s” is out of stock: remove it to check out.") % {"title": listing.title}
    if quantity > listing.stock:
        return _("Only %(stock)d of “%(title)s” left: lower the quantity to check out.") % {
            "stock": listing.stock,
            "title": listing.title,
        }
    return ""


def _add(total: Money | None, part: Money | None) -> Money | None:
    if total is None or part is None:
        return None
    return total + part


def cart_summary(cart: Cart | None, *, currency: str, rates: Rates) -> CartSummary:
    """The cart's lines grouped by shop, in one query whatever its size."""
    zero = Money(quantize(Decimal(0), currency), currency)
    if cart is None:
        return CartSummary(parcels=(), currency=currency, goods=zero)
    items = (
        cart.items.select_related("listing__shop")
        .prefetch_related("listing__images")
        .order_by("listing__shop__name", "added_at", "id")
    )
    by_shop: dict[int, list[CartLine]] = {}
    shops: dict[int, Shop] = {}
    for item in items:
        listing = item.listing
        price = display_price(listing.price, currency, rates)
        line_total = rates.convert(listing.price * item.quantity, currency)
        shops[listing.shop_id] = listing.shop
        by_shop.setdefault(listing.shop_id, []).append(
            CartLine(
                listing=listing,
                quantity=item.quantity,
                price=price,
                line_total=line_total,
                problem=_problem(listing, item.quantity),
            )
        )
    parcels = []
    goods: Money | None = zero
    for shop_id, lines in by_shop.items():
        subtotal: Money | None = zero
        for line in lines:
            subtotal = _add(subtotal, line.line_total)
        goods = _add(goods, subtotal)
        parcels.append(ShopParcel(shop=shops[shop_id], lines=tuple(lines), subtotal=subtotal))
    return CartSummary(parcels=tuple(parcels), currency=currency, goods=goods)


def last_ship_to(user: User) -> dict[str, str]:
    """The address of the buyer's latest order (without its country: that follows "Deliver to")."""
    row = (
        Order.objects.filter(buyer=user)
        .order_by("-placed_at", "-id")
        .values("ship_to_name", "ship_to_line1", "ship_to_city", "ship_to_postal_code", "ship_to_phone")
        .first()
    )
    return {key.removeprefix("ship_to_"): value for key, value in row.items()} if row else {}


def placed_order_number(*, user: User, token: str) -> str | None:
    """The order a checkout form's one-time token placed, if its placing has committed. (A twin
    submission still being placed is waited for by the database, not here:
    `marketplace.services.idempotency`.)"""
    return (
        IdempotencyKey.objects.filter(user=user, scope=ORDER_PLACE_WEB_SCOPE, key=token, order__isnull=False)
        .values_list("order__number", flat=True)
        .first()
    )
