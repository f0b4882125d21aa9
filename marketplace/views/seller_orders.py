"""The seller's side of orders: a home that leads with what needs doing, their shop's incoming
consignments (never another shop's) and handing a parcel over to the courier."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ewtp.exceptions import DomainError
from marketplace.models import ConsignmentStatus
from marketplace.selectors.ledger import seller_balances
from marketplace.selectors.orders import consignment_get_for_seller, consignments_for_seller
from marketplace.services.orders import consignment_hand_over
from marketplace.views.catalog import page_number
from marketplace.views.orders import STATUS_LABELS
from marketplace.views.seller import seller_required

CONSIGNMENTS_PER_PAGE = 20
TO_SHIP_ON_HOME = 20


@seller_required
def seller_home(request: HttpRequest) -> HttpResponse:
    """What needs doing first: paid consignments to hand over; then the money held and released."""
    to_ship = consignments_for_seller(request.user, status=ConsignmentStatus.READY_TO_SHIP)
    to_ship_count = to_ship.count()
    return render(
        request,
        "marketplace/checkout/seller_home.html",
        {
            "shop": request.shop,
            "to_ship": list(to_ship[:TO_SHIP_ON_HOME]),
            "to_ship_count": to_ship_count,
            "balances": seller_balances(request.shop),
        },
    )


@seller_required
def seller_consignments(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ConsignmentStatus.values:
        status = ""
    paginator = Paginator(consignments_for_seller(request.user, status=status or None), CONSIGNMENTS_PER_PAGE)
    page = paginator.page(min(page_number(request.GET.get("page")), paginator.num_pages))
    return render(
        request,
        "marketplace/checkout/seller_consignments.html",
        {
            "page": page,
            "status": status,
            "statuses": ConsignmentStatus.choices,
            "query_string": f"status={status}" if status else "",
        },
    )


@seller_required
def seller_consignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consignment = consignment_get_for_seller(user=request.user, pk=pk)
    if consignment is None:
        raise Http404(_("No such consignment."))
    events = [
        (event, STATUS_LABELS.get(event.to_status, event.to_status)) for event in consignment.events.all()
    ]
    return render(
        request,
        "marketplace/checkout/seller_consignment_detail.html",
        {"consignment": consignment, "order": consignment.order, "events": events},
    )


@require_POST
@seller_required
def seller_consignment_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    consignment = consignment_get_for_seller(user=request.user, pk=pk)
    if consignment is None:
        raise Http404(_("No such consignment."))
    try:
        consignment_hand_over(consignment=consignment, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Consignment of order %(number)s is handed over to the courier.")
            % {"number": consignment.order.number},
        )
    target = request.POST.get("next")
    if target == "detail":
        return redirect("seller-consignment-detail", pk=consignment.pk)
    return redirect("seller-home")
