"""The seller's hand-over from their pages: the same service as the API's hand-over, so the parcel
starts moving through the network (the marketplace's pages post here; marketplace never imports
logistics)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ewtp.exceptions import DomainError
from logistics.selectors import shipments as selectors
from logistics.services.shipments import shipment_hand_over
from marketplace.views.seller import seller_required


@require_POST
@seller_required
def consignment_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """Refused with a message (not an error page) before the route is planned or when already done."""
    consignment = selectors.consignment_get_for_seller(request.user, pk)
    if consignment is None or consignment.shop_id != request.shop.pk:
        raise Http404(_("No such consignment."))
    try:
        shipment = shipment_hand_over(consignment=consignment, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Consignment of order %(number)s is handed over to the courier: tracking number "
                "%(tracking)s, on its way to %(hub)s."
            )
            % {
                "number": consignment.order.number,
                "tracking": shipment.tracking_number,
                "hub": shipment.legs.select_related("to_hub").get(sequence=1).to_hub.city,
            },
        )
    if request.POST.get("next") == "detail":
        return redirect("seller-consignment-detail", pk=consignment.pk)
    return redirect("seller-home")
