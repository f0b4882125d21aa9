"""The checkout quote: a cart split into one consignment per shop, each priced to the door.

Goods, shipping (the e-hub network's quote through `ports`), import duty and tax (the pure
landed-cost engine with the destination's regime in force on the order date), in the buyer's
currency, with the exchange rates used. Checkout pages, `POST /api/v1/checkout/quote/`, the
product page's estimate and order placement all price through `checkout_quote`, so what a buyer
sees is what the order snapshots.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ewtp.countries import country_name
from ewtp.exceptions import DomainError
from ewtp.money import Money, is_currency, quantize
from marketplace import ports
from marketplace.models import Listing, Shop
from marketplace.models.catalog import MAX_SIDE_CM
from marketplace.models.checkout import MAX_LINE_QUANTITY
from marketplace.pricing.fx import Rates
from marketplace.pricing.landed_cost import Consignment as EngineConsignment
from marketplace.pricing.landed_cost import ConsignmentLine, LandedCost, LandedCostError, landed_cost
from marketplace.selectors.buyers import babel_locale
from marketplace.selectors.customs import DestinationRules, destination_rules
from marketplace.selectors.fx import rates_in_force

PREFERENCES = {
    "fastest": gettext_lazy("Fastest"),
    "cheapest": gettext_lazy("Cheapest"),
    "balanced": gettext_lazy("Balanced"),
}


class CheckoutError(DomainError):
    """The cart cannot be priced or ordered as asked; `field_errors` say where."""


class NotOffered(CheckoutError):
    """These goods cannot go to that destination — too large or heavy for every lane, restricted
    there, or no route from the shop's country — whatever else the buyer changes (the product page
    shows no *Add to cart* for them). A destination no hub serves is not this: the buyer may pick
    another deliver-to country at checkout."""


class InsufficientStock(DomainError):
    status_code = 409
    code = "insufficient_stock"


@dataclass(frozen=True)
class CheckoutItem:
    listing: Listing
    quantity: int


@dataclass(frozen=True)
class LineQuote:
    listing: Listing
    quantity: int
    unit_price: Money  # in the shop's currency, as listed
    line_total: Money  # in the buyer's currency


@dataclass(frozen=True)
class ConsignmentQuote:
    shop: Shop
    origin_country: str
    lines: tuple[LineQuote, ...]
    weight_kg: Decimal
    shipping_quote: ports.ShippingQuote
    landed: LandedCost
    explanation: tuple[str, ...]

    @property
    def goods(self) -> Money:
        return self.landed.goods

    @property
    def shipping(self) -> Money:
        return self.landed.shipping

    @property
    def duty(self) -> Money:
        return self.landed.duty

    @property
    def tax(self) -> Money:
        return self.landed.tax

    @property
    def total(self) -> Money:
        return self.landed.total


@dataclass(frozen=True)
class CheckoutQuote:
    currency: str
    destination: str
    preference: str
    on: date
    rates: Rates
    consignments: tuple[ConsignmentQuote, ...]

    def _sum(self, part: str) -> Money:
        zero = Money(quantize(Decimal(0), self.currency), self.currency)
        return sum((getattr(c, part) for c in self.consignments), zero)

    @property
    def goods(self) -> Money:
        return self._sum("goods")

    @property
    def shipping(self) -> Money:
        return self._sum("shipping")

    @property
    def duty(self) -> Money:
        return self._sum("duty")

    @property
    def tax(self) -> Money:
        return self._sum("tax")

    @property
    def total(self) -> Money:
        return self._sum("total")

    def rates_used(self) -> dict[str, str]:
        """Units per USD of every currency this quote converted between (snapshotted on orders)."""
        used = {self.currency, "USD"}
        for consignment in self.consignments:
            used.add(consignment.shop.currency)
            used.add(consignment.shipping_quote.cost.currency)
        return {code: str(self.rates[code]) for code in sorted(used) if code in self.rates}


def consignment_name(shop: Shop) -> str:
    country = country_name(shop.country)
    return _("Consignment from %(shop)s (%(country)s)") % {"shop": shop.name, "country": country}


def validate_quantity(raw: object, *, field: str = "quantity") -> int:
    """A whole number of units from 1 to the per-line maximum, or a `CheckoutError`."""
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise CheckoutError(
            _("Quantity must be a whole number."), field_errors={field: [_("A whole number.")]}
        )
    try:
        quantity = int(raw)
    except ValueError:
        raise CheckoutError(
            _("Quantity must be a whole number."), field_errors={field: [_("A whole number.")]}
        ) from None
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        message = _("Quantity must be between 1 and %(max)d.") % {"max": MAX_LINE_QUANTITY}
        raise CheckoutError(message, field_errors={field: [message]})
    return quantity


def orderable_listings(ids: list[int]) -> dict[int, Listing]:
    """Published listings of active shops among `ids`, with their shops, in one query."""
    listings = (
        Listing.objects.filter(pk__in=list(ids), is_active=True, shop__is_active=True)
        .select_related("shop")
        # large, and checkout never reads them
        .defer("description", "search_vector", "title_folded", "description_folded")
        .order_by()  # keyed by id below: the model's default ordering would only cost a sort
    )
    return {listing.pk: listing for listing in listings}


def check_stock(items: list[CheckoutItem]) -> None:
    for item in items:
        if item.quantity > item.listing.stock:
            if item.listing.stock == 0:
                message = _("“%(title)s” is out of stock.") % {"title": item.listing.title}
            else:
                message = _("Only %(stock)d of “%(title)s” left.") % {
                    "stock": item.listing.stock,
                    "title": item.listing.title,
                }
            raise InsufficientStock(message, field_errors={"items": [message]})


def checkout_quote(
    *,
    items: list[CheckoutItem],
    destination: str,
    currency: str,
    preference: str = "balanced",
    on: date | None = None,
) -> CheckoutQuote:
    """Price `items` delivered to `destination`, one consignment per shop.

    Raises `CheckoutError` naming the consignment and the reason when the destination is not
    served, goods are restricted there, or a rate is missing; `InsufficientStock` (409) when a
    quantity exceeds the stock.
    """
    if not items:
        raise CheckoutError(
            _("Your cart is empty."), field_errors={"items": [_("Add at least one product.")]}
        )
    if not is_currency(currency):
        raise CheckoutError(
            _("“%(code)s” is not a currency we know.") % {"code": currency[:8]},
            field_errors={"currency": [_("An ISO-4217 code such as EUR.")]},
        )
    if preference not in PREFERENCES:
        raise CheckoutError(
            _("Choose fastest, cheapest or balanced delivery."),
            field_errors={"preference": [_("fastest, cheapest or balanced.")]},
        )
    check_stock(items)
    on = on or timezone.localdate()
    rates = rates_in_force(on)
    if currency not in rates:
        raise CheckoutError(
            _("Prices cannot be shown in %(code)s today (no exchange rate).") % {"code": currency},
            field_errors={"currency": [_("No exchange rate for this currency.")]},
        )
    provider = ports.shipping()
    if provider is None:
        raise CheckoutError(_("Delivery is not available right now."))
    if destination not in provider.served_countries():
        name = country_name(destination) or destination
        message = _("The e-hub network does not deliver to %(country)s yet.") % {"country": name}
        raise CheckoutError(message, field_errors={"country": [message]})
    rules = destination_rules(country=destination, on=on)  # cached: no query on most quotes
    regime, duty_rates = rules.rules.regime, rules.rules.duty_rates
    by_shop: dict[int, list[CheckoutItem]] = defaultdict(list)
    for item in items:
        by_shop[item.listing.shop_id].append(item)
    quotes = []
    for shop_items in by_shop.values():
        quotes.append(
            _consignment_quote(
                shop_items,
                destination=destination,
                currency=currency,
                preference=preference,
                rates=rates,
                regime=regime,
                duty_rates=duty_rates,
                restricted=rules,
                provider=provider,
            )
        )
    return CheckoutQuote(
        currency=currency,
        destination=destination,
        preference=preference,
        on=on,
        rates=rates,
        consignments=tuple(quotes),
    )


def _carried_by_the_network(items: list[CheckoutItem], weight: Decimal, shop, provider) -> None:
    """No lane takes a parcel heavier than the network's largest, or with a side over 300 cm: such
    a consignment is not offered, with the reason (not a quote no carrier could honour)."""
    largest = getattr(provider, "largest_parcel_kg", None)
    limit = largest() if largest is not None else None
    too_large = any(
        side is not None and side > MAX_SIDE_CM
        for item in items
        for side in (item.listing.dimensions_cm or ())
    )
    if too_large or (limit is not None and weight > limit):
        message = _(
            "%(consignment)s: larger or heavier than any parcel the e-hub network carries "
            "(at most %(kg)s kg, 300 cm a side)."
        ) % {"consignment": consignment_name(shop), "kg": f"{(limit or Decimal(1000)).normalize():f}"}
        raise NotOffered(message, field_errors={"items": [message]})


def _consignment_quote(
    items: list[CheckoutItem],
    *,
    destination: str,
    currency: str,
    preference: str,
    rates: Rates,
    regime,
    duty_rates,
    restricted: DestinationRules,
    provider: ports.ShippingProvider,
) -> ConsignmentQuote:
    shop = items[0].listing.shop
    for item in items:
        reason = restricted.restricted_reason(item.listing.hs_code)
        if reason is not None:
            message = _("%(consignment)s: “%(title)s” cannot be imported into %(country)s (%(reason)s).") % {
                "consignment": consignment_name(shop),
                "title": item.listing.title,
                "country": country_name(destination) or destination,
                "reason": reason,
            }
            raise NotOffered(message, field_errors={"items": [message]})
    origin = str(shop.country)
    weight = sum((item.listing.weight_kg * item.quantity for item in items), Decimal(0))
    _carried_by_the_network(items, weight, shop, provider)
    shipping_quote = provider.quote(
        origin_country=origin,
        destination_country=destination,
        weight_kg=weight,
        dimensions_cm=items[0].listing.dimensions_cm if len(items) == 1 and items[0].quantity == 1 else None,
        preference=preference,
    )
    if shipping_quote is None:
        message = _("%(consignment)s: no route through the e-hub network reaches %(country)s.") % {
            "consignment": consignment_name(shop),
            "country": country_name(destination) or destination,
        }
        raise NotOffered(message, field_errors={"items": [message]})
    lines = tuple(
        ConsignmentLine(hs_code=item.listing.hs_code, unit_price=item.listing.price, quantity=item.quantity)
        for item in items
    )
    try:
        landed = landed_cost(
            EngineConsignment(
                lines=lines, shipping=shipping_quote.cost, origin=origin, destination=destination
            ),
            regime=regime,
            duty_rates=duty_rates,
            rates=rates,
            currency=currency,
        )
    except LandedCostError:
        message = _("%(consignment)s: import duty and tax for %(country)s cannot be worked out today.") % {
            "consignment": consignment_name(shop),
            "country": country_name(destination) or destination,
        }
        raise CheckoutError(message, field_errors={"items": [message]}) from None
    line_quotes = []
    for item in items:
        converted = rates.convert(item.listing.price * item.quantity, currency)
        assert converted is not None  # the engine already converted every line
        line_quotes.append(
            LineQuote(
                listing=item.listing,
                quantity=item.quantity,
                unit_price=item.listing.price,
                line_total=converted,
            )
        )
    explanation = tuple(note.render(_, babel_locale()) for note in landed.notes)
    return ConsignmentQuote(
        shop=shop,
        origin_country=origin,
        lines=tuple(line_quotes),
        weight_kg=weight,
        shipping_quote=shipping_quote,
        landed=landed,
        explanation=explanation,
    )
