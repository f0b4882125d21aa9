"""The seller's side of orders: a home that leads with what needs doing, their shop's incoming
consignments (never another shop's) with each parcel's tracking number, drop-off hub and route.

Handing a parcel over is logistics' page (`logistics.views.seller`): it starts the shipment."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from marketplace import ports
from marketplace.models import Consignment, ConsignmentStatus
from marketplace.selectors.orders import consignment_get_for_seller, consignments_for_seller
from marketplace.selectors.payouts import shop_balance
from marketplace.selectors.seller_home import LOW_STOCK, low_stock, shop_sales
from marketplace.views.catalog import page_number
from marketplace.views.orders import STATUS_LABELS
from marketplace.views.seller import seller_required

CONSIGNMENTS_PER_PAGE = 20
TO_SHIP_ON_HOME = 20


def with_parcels(consignments: list[Consignment]) -> list[Consignment]:
    """Each consignment gets `.parcel` (a `ports.ParcelSummary`, or None before it has a shipment):
    the tracking number, and whether it can be handed over yet. One lookup for the whole list."""
    parcels = ports.parcels_for_consignments([c.pk for c in consignments])
    for consignment in consignments:
        consignment.parcel = parcels.get(consignment.pk)
    return consignments


@seller_required
def seller_home(request: HttpRequest) -> HttpResponse:
    """What needs doing first: paid consignments to hand over (each with the time it must be at the
    hub by), listings about to run out; then sales and the money, all in the shop's currency."""
    to_ship = consignments_for_seller(request.user, status=ConsignmentStatus.READY_TO_SHIP)
    to_ship_count = to_ship.count()
    return render(
        request,
        "marketplace/checkout/seller_home.html",
        {
            "shop": request.shop,
            "to_ship": with_parcels(list(to_ship[:TO_SHIP_ON_HOME])),
            "to_ship_count": to_ship_count,
            "balance": shop_balance(request.shop),
            "sales": shop_sales(request.shop),
            "low_stock": low_stock(request.shop),
            "low_stock_threshold": LOW_STOCK,
        },
    )


@seller_required
def seller_consignments(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ConsignmentStatus.values:
        status = ""
    paginator = Paginator(consignments_for_seller(request.user, status=status or None), CONSIGNMENTS_PER_PAGE)
    page = paginator.page(min(page_number(request.GET.get("page")), paginator.num_pages))
    page.object_list = with_parcels(list(page.object_list))
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
    with_parcels([consignment])
    events = [
        (event, STATUS_LABELS.get(event.to_status, event.to_status)) for event in consignment.events.all()
    ]
    return render(
        request,
        "marketplace/checkout/seller_consignment_detail.html",
        {"consignment": consignment, "order": consignment.order, "events": events},
    )
