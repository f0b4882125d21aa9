"""The buyer's way to an order: "Deliver to", the product page's buy box, the cart and checkout.

Thin adapters: read the cart through `selectors.carts`, price through `checkout_quote` (the same
engine the API and order placement use), write through `services.checkout` / `order_place`.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from ewtp.exceptions import DomainError
from ewtp.money import is_currency
from marketplace.forms.checkout import CheckoutForm, QuantityForm
from marketplace.models import Listing
from marketplace.selectors.buyers import (
    DELIVER_TO_SESSION_KEY,
    babel_locale,
    buyer_country,
    display_currency_chosen,
    display_currency_for,
)
from marketplace.selectors.carts import (
    CART_SESSION_KEY,
    cart_for_request,
    cart_summary,
    last_ship_to,
    placed_order_number,
    session_cart_id,
)
from marketplace.selectors.checkout import CheckoutItem, CheckoutQuote, NotOffered, checkout_quote
from marketplace.selectors.delivery_options import delivery_options, option_label
from marketplace.selectors.fx import rates_in_force
from marketplace.services.accounts import deliver_to_set, display_currency_remember
from marketplace.services.checkout import (
    cart_add,
    cart_get_or_create,
    cart_order_place,
    cart_remove,
    cart_set_quantity,
)
from marketplace.services.idempotency import (
    IdempotencyKeyInUse,
    IdempotencyKeyInvalid,
    IdempotencyKeyReused,
)
from marketplace.services.placing import ShipTo, payment_window

ADDRESS_FIELDS = ("name", "line1", "city", "postal_code", "phone")
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")


def _next_url(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- Deliver to ---------------------------------------------------------------------------------


def deliver_to(request: HttpRequest) -> HttpResponse:
    """Where goods go: on the profile for a logged-in buyer, in the session for anyone else.

    The header's "Deliver to Kenya · KES" leads here: the country and the currency prices are
    shown in, on one page, one form (a currency alone may be changed too)."""
    if request.method != "POST":
        chosen = display_currency_chosen(request)
        codes = sorted({*rates_in_force(), display_currency_for(request)})
        context = {
            "next": request.GET.get("next", ""),
            "currency": chosen or "",  # none chosen: prices follow the country's currency
            "currency_choices": [("", _("The country's currency")), *((code, code) for code in codes)],
        }
        return render(request, "marketplace/checkout/deliver_to.html", context)
    next_query = urlencode({"next": request.POST.get("next", "")})
    again = HttpResponseRedirect(f"{reverse('deliver-to')}?{next_query}")
    currency = request.POST.get("currency", "").strip().upper()[:3]
    if currency:
        if not is_currency(currency):
            messages.error(request, _("Choose a currency from the list."))
            return again
        display_currency_remember(request, currency)
    country = request.POST.get("country", "").strip().upper()[:2]
    if not country and currency:
        return HttpResponseRedirect(_next_url(request, reverse("home")))
    if country not in countries:
        messages.error(request, _("Choose a country from the list."))
        return again
    if request.user.is_authenticated:
        try:
            deliver_to_set(user=request.user, country=country)
        except ValidationError:
            messages.error(request, _("Choose a country from the list."))
            return again
    else:
        request.session[DELIVER_TO_SESSION_KEY] = country
    return HttpResponseRedirect(_next_url(request, reverse("home")))


# --- Product page ---------------------------------------------------------------------------------


def purchase_context(request: HttpRequest, listing: Listing, currency: str) -> dict:
    """The product page's buy box: can it go in the cart, and the estimated landed cost of one
    unit to the deliver-to country, priced by the checkout engine (cheapest delivery). A listing
    no route can carry there (too heavy or large for every lane, restricted, no route at all) is
    not offered: the page says why instead of an *Add to cart* that checkout would refuse."""
    orderable = listing.is_active and listing.shop.is_active and listing.stock > 0
    context: dict = {"orderable": orderable, "quantity_form": QuantityForm(initial={"quantity": 1})}
    country = buyer_country(request)
    if not orderable or not country:
        return context
    try:
        quote = _one_unit_quote(listing, country, currency)
    except NotOffered as exc:
        context.update(orderable=False, not_offered=exc.message)
    except DomainError as exc:  # about the destination (no hub, no rate): checkout offers another
        context["landed_error"] = exc.message
    else:
        context["landed"] = quote
        context["landed_consignment"] = quote.consignments[0]
    return context


def _one_unit_quote(listing: Listing, country: str, currency: str):
    return checkout_quote(
        items=[CheckoutItem(listing=listing, quantity=1)],
        destination=country,
        currency=currency,
        preference="cheapest",
    )


def not_offered_to(request: HttpRequest, listing_id: int) -> str | None:
    """Why the listing cannot be delivered to the visitor's deliver-to country, or None."""
    country = buyer_country(request)
    listing = Listing.objects.filter(pk=listing_id, is_active=True).select_related("shop").first()
    if listing is None or not country:
        return None  # the cart says what is wrong with an unknown listing
    try:
        _one_unit_quote(listing, country, display_currency_for(request))
    except NotOffered as exc:
        return exc.message
    except DomainError:
        return None  # about the destination, not these goods: checkout says so and offers the picker
    return None


# --- Cart ------------------------------------------------------------------------------------------


def _cart_for_write(request: HttpRequest):
    """The visitor's cart, created on first use; an anonymous visitor's id goes in the session."""
    user = request.user if request.user.is_authenticated else None
    cart = cart_get_or_create(user=user, cart_id=session_cart_id(request))
    if user is None and session_cart_id(request) != cart.pk:
        request.session[CART_SESSION_KEY] = cart.pk
    return cart


def _listing_id(raw: str) -> int | None:
    try:
        value = int(str(raw)[:12])
    except ValueError:
        return None
    return value if value > 0 else None


def cart(request: HttpRequest) -> HttpResponse:
    """The cart: lines grouped by shop, each shop shipping its own parcel."""
    rates = rates_in_force()
    currency = display_currency_for(request)
    summary = cart_summary(cart_for_request(request), currency=currency, rates=rates)
    return render(
        request,
        "marketplace/checkout/cart.html",
        {"summary": summary, "rates": rates, "display_currency": currency},
    )


@require_POST
def cart_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = QuantityForm(request.POST)
    fallback = reverse("listing-detail", kwargs={"pk": pk})
    if not form.is_valid():
        messages.error(request, _("Choose a quantity from 1 to 999."))
        return HttpResponseRedirect(fallback)
    reason = not_offered_to(request, pk)
    if reason is not None:
        messages.error(request, _("Not offered for delivery to you: %(reason)s") % {"reason": reason})
        return HttpResponseRedirect(fallback)
    try:
        item = cart_add(cart=_cart_for_write(request), listing_id=pk, quantity=form.cleaned_data["quantity"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(fallback)
    messages.success(
        request,
        _("Added to your cart: %(title)s (%(quantity)d in the cart).")
        % {"title": item.listing.title, "quantity": item.quantity},
    )
    return HttpResponseRedirect(_next_url(request, reverse("cart")))


@require_POST
def cart_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    listing_id = _listing_id(str(pk))
    current = cart_for_request(request)
    if current is None or listing_id is None:
        return redirect("cart")
    if request.POST.get("action") == "remove":
        cart_remove(cart=current, listing_id=listing_id)
        messages.success(request, _("Removed from your cart."))
        return redirect("cart")
    form = QuantityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a quantity from 1 to 999."))
        return redirect("cart")
    try:
        cart_set_quantity(cart=current, listing_id=listing_id, quantity=form.cleaned_data["quantity"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your cart is updated."))
    return redirect("cart")


# --- Checkout --------------------------------------------------------------------------------------


def quote_fingerprint(quote: CheckoutQuote) -> str:
    """What the buyer was shown: placing refuses to charge anything else without showing it first."""
    shown = {
        "destination": quote.destination,
        "currency": quote.currency,
        "preference": quote.preference,
        "total": str(quote.total.amount),
        "lines": [[line.listing.pk, line.quantity] for c in quote.consignments for line in c.lines],
    }
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:32]


def _token(request: HttpRequest) -> str:
    """The form's one-time token (the idempotency key of "Place order"): kept while it is valid."""
    raw = request.POST.get("token", "")
    return raw if TOKEN_PATTERN.match(raw) else secrets.token_urlsafe(24)


def _apply_errors(form: CheckoutForm, exc: DomainError) -> None:
    """Put a pricing or placing error on the form (an unbound form, the first GET, cannot carry
    errors: the page shows `quote_problem` instead)."""
    if not form.is_bound:
        return
    placed = False
    for field, errors in exc.field_errors.items():
        if field in form.fields:
            for error in errors:
                form.add_error(field, error)
            placed = True
    if not placed or exc.message not in sum(exc.field_errors.values(), []):
        form.add_error(None, exc.message)


def _placed(request: HttpRequest, token: str) -> HttpResponse | None:
    """The payment page of the order this form's token placed, if it placed one (a second click,
    the back button, or a click racing the one that placed it: its twin took the cart and stock)."""
    number = placed_order_number(user=request.user, token=token)
    return redirect("order-pay", number=number) if number else None


def _back_to_cart(request: HttpRequest, summary) -> HttpResponse:
    for problem in summary.problems:
        messages.error(request, problem)
    if not summary.lines:
        messages.info(request, _("Your cart is empty: add goods before checking out."))
    return redirect("cart")


def _checkout_form(request: HttpRequest, rates, display_currency: str, placing: bool) -> CheckoutForm:
    form = CheckoutForm(
        request.POST or None,
        initial=_checkout_initial(request, display_currency),
        currencies=sorted({*rates, display_currency}),
    )
    if form.is_bound:
        form.is_valid()
        if not placing:  # "Update the price" only reprices: no nagging about the address yet
            for name in ADDRESS_FIELDS:
                form.errors.pop(name, None)
    return form


def _price(form: CheckoutForm, items: list[CheckoutItem]) -> tuple[CheckoutQuote | None, str]:
    """The landed cost for the form's choices, or the problem pricing met (also on the form)."""
    try:
        quote = checkout_quote(
            items=items,
            destination=form.choice("country"),
            currency=form.choice("currency"),
            preference=form.choice("preference"),
        )
    except DomainError as exc:
        _apply_errors(form, exc)
        return None, exc.message
    return quote, ""


@login_required
def checkout(request: HttpRequest) -> HttpResponse:
    """The address, delivery preference and currency, the full landed cost per consignment, and
    "Place order" — safe against double submits: the form's token is an idempotency key, and a
    second click waits (in the database) for the first one's order and shows it."""
    token = _token(request)
    placing = request.method == "POST" and request.POST.get("action") == "place"
    if placing and (placed := _placed(request, token)):
        return placed
    rates = rates_in_force()
    display_currency = display_currency_for(request)
    cart = cart_for_request(request)
    summary = cart_summary(cart, currency=display_currency, rates=rates)
    if not summary.lines or summary.problems:
        return (placing and _placed(request, token)) or _back_to_cart(request, summary)
    form = _checkout_form(request, rates, display_currency, placing)
    items = summary.checkout_items()
    quote, quote_problem = _price(form, items)
    if quote is not None:
        _offer_delivery_options(form, items, quote)
    if placing and quote is None and (placed := _placed(request, token)):
        return placed
    if placing and quote is not None and form.is_valid():
        if request.POST.get("quoted") != quote_fingerprint(quote):
            messages.warning(
                request, _("The price changed with your choices. Check the new total, then place the order.")
            )
        elif placed := _place(request, form, cart, items, quote, token):
            return placed
        elif getattr(form, "fresh_token", False):
            token = secrets.token_urlsafe(24)
    return render(
        request,
        "marketplace/checkout/checkout.html",
        {
            "form": form,
            "summary": summary,
            "quote": quote,
            "quote_problem": quote_problem,
            "quoted": quote_fingerprint(quote) if quote is not None else "",
            "token": token,
            "payment_minutes": int(payment_window().total_seconds() // 60),
        },
    )


def _offer_delivery_options(form: CheckoutForm, items: list[CheckoutItem], quote: CheckoutQuote) -> None:
    """The delivery radios: each option with its shipping price and date, the same ones as one."""
    options = delivery_options(
        items=items, destination=quote.destination, currency=quote.currency, chosen=quote
    )
    locale = babel_locale()
    form.fields["preference"].widget.choices = [
        (
            option.preferences[0],
            option_label(
                option,
                money=lambda amount: amount.format(locale),
                date=lambda moment: date_format(localtime(moment), "DATE_FORMAT"),
            ),
        )
        for option in options
    ]


def _checkout_initial(request: HttpRequest, display_currency: str) -> dict:
    return {
        "name": request.user.get_full_name(),
        **last_ship_to(request.user),  # where their last order went, to save typing
        "country": buyer_country(request) or "",
        "currency": display_currency,
        "preference": "balanced",
    }


def _place(request: HttpRequest, form: CheckoutForm, cart, items, quote: CheckoutQuote, token: str):
    """Place the order (once per form token, the cart emptied with it) and go to the payment
    page; None (with errors on the form) when it cannot be placed."""
    data = form.cleaned_data
    try:
        order, replayed = cart_order_place(
            buyer=request.user,
            cart=cart,
            token=token,
            items=items,
            ship_to=ShipTo(**{name: data[name] for name in (*ADDRESS_FIELDS, "country")}),
            currency=data["currency"],
            preference=data["preference"],
            quote=quote,
        )
    except (IdempotencyKeyReused, IdempotencyKeyInvalid, IdempotencyKeyInUse):
        form.add_error(
            None, _("This checkout form was already used. Check “My orders” before ordering again.")
        )
        form.fresh_token = True
        return None
    except DomainError as exc:
        _apply_errors(form, exc)
        return None
    if not replayed:
        placed = _("Order %(number)s is placed. Pay now to send it on its way.") % {"number": order.number}
        messages.success(request, placed)
    return redirect("order-pay", number=order.number)
