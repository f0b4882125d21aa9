"""The buyer's orders: paying in the sandbox, the confirmation, "My orders", one order and cancelling.

A buyer only ever reaches their own orders (`order_get_for_buyer`): anyone else's is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ewtp.exceptions import DomainError, InvalidTransition
from marketplace import ports
from marketplace.forms.checkout import PayForm
from marketplace.models import ConsignmentStatus, Order, OrderStatus
from marketplace.selectors.orders import order_get_for_buyer, orders_for_buyer
from marketplace.services.orders import order_cancel
from marketplace.services.payments import SandboxGateway, order_pay
from marketplace.views.catalog import page_number

ORDERS_PER_PAGE = 10
STATUS_LABELS = {**dict(ConsignmentStatus.choices), **dict(OrderStatus.choices)}


def _own_order(request: HttpRequest, number: str) -> Order:
    order = order_get_for_buyer(user=request.user, number=number[:20])
    if order is None:
        raise Http404(_("No such order."))
    return order


def _sandbox_cards() -> list[str]:
    return [
        " ".join(card[i : i + 4] for i in range(0, 16, 4))
        for card in (SandboxGateway.SUCCEEDS, SandboxGateway.DECLINED)
    ]


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    """My orders, newest first, a fixed number of queries per page."""
    paginator = Paginator(orders_for_buyer(request.user), ORDERS_PER_PAGE)
    page = paginator.page(min(page_number(request.GET.get("page")), paginator.num_pages))
    return render(request, "marketplace/checkout/order_list.html", {"page": page})


@login_required
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = _own_order(request, number)
    consignments = {c.pk: c for c in order.consignments.all()}
    history = [
        (event, consignments.get(event.consignment_id), STATUS_LABELS.get(event.to_status, event.to_status))
        for event in order.events.all()
    ]
    notices = [
        (consignments[pk], text, tracking_number)
        for pk, (text, tracking_number) in sorted(ports.parcel_notices(list(consignments)).items())
    ]
    return render(
        request,
        "marketplace/checkout/order_detail.html",
        {"order": order, "history": history, "parcel_notices": notices},
    )


@login_required
def order_pay_view(request: HttpRequest, number: str) -> HttpResponse:
    """The SANDBOX payment page: no money moves; the test cards are on the page."""
    order = _own_order(request, number)
    if order.status != OrderStatus.PENDING_PAYMENT:
        if order.paid_at is not None:
            return redirect("order-confirmation", number=order.number)
        messages.info(request, _("Order %(number)s is not awaiting payment.") % {"number": order.number})
        return redirect(order)
    form = PayForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            order_pay(order=order, card_number=form.cleaned_data["card_number"], actor=request.user)
        except InvalidTransition as exc:
            messages.error(request, exc.message)
            return redirect(order)
        except DomainError as exc:  # declined, or not a card number: the order stays unpaid
            form.add_error("card_number", exc.message)
            status = exc.status_code
        else:
            return redirect("order-confirmation", number=order.number)
    return render(
        request,
        "marketplace/checkout/pay.html",
        {"order": order, "form": form, "cards": _sandbox_cards()},
        status=status,
    )


@login_required
def order_confirmation(request: HttpRequest, number: str) -> HttpResponse:
    order = _own_order(request, number)
    if order.paid_at is None:
        return redirect("order-pay", number=order.number)
    return render(request, "marketplace/checkout/confirmation.html", {"order": order})


@login_required
def order_cancel_view(request: HttpRequest, number: str) -> HttpResponse:
    """GET asks "are you sure?"; POST cancels (stock goes back, a paid order is refunded)."""
    order = _own_order(request, number)
    if not order.is_cancellable:
        messages.error(request, _("Order %(number)s can no longer be cancelled.") % {"number": order.number})
        return redirect(order)
    if request.method == "POST":
        try:
            order_cancel(order=order, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Order %(number)s is cancelled.") % {"number": order.number})
        return redirect(order)
    return render(request, "marketplace/checkout/order_cancel.html", {"order": order})
