"""The seller's money: the balance in the shop's currency, where payouts go, payouts on demand,
and a statement per payout (page and CSV). Thin callers of `services.payouts`."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ewtp.exceptions import DomainError
from marketplace.forms.payouts import PayoutMethodForm, PayoutRequestForm
from marketplace.models import LedgerKind
from marketplace.selectors.payouts import payout_statement, payouts_for_shop, shop_balance
from marketplace.services.payout_methods import payout_method_add, payout_method_remove
from marketplace.services.payouts import payout_minimum, payout_request
from marketplace.views.catalog import page_number
from marketplace.views.seller import apply_errors, seller_required

PAYOUTS_PER_PAGE = 20


@seller_required
def seller_payouts(request: HttpRequest) -> HttpResponse:
    shop = request.shop
    method_form = PayoutMethodForm(prefix="method", initial={"country": shop.country})
    payout_form = PayoutRequestForm(prefix="payout")
    if request.method == "POST" and "method-kind" in request.POST:
        method_form = PayoutMethodForm(request.POST, prefix="method")
        if method_form.is_valid():
            try:
                payout_method_add(shop=shop, data=method_form.cleaned_data)
            except DomainError as exc:
                apply_errors(method_form, exc)
            else:
                messages.success(request, _("Your payout method is saved. Payouts go there from now on."))
                return redirect("seller-payouts")
    elif request.method == "POST":
        payout_form = PayoutRequestForm(request.POST, prefix="payout")
        if payout_form.is_valid():
            try:
                payout = payout_request(shop=shop, amount=payout_form.cleaned_data["amount"])
            except DomainError as exc:
                apply_errors(payout_form, exc)
            else:
                messages.success(
                    request,
                    _("Payout %(reference)s is on its way to %(destination)s.")
                    % {"reference": payout.reference, "destination": payout.method.destination},
                )
                return redirect("seller-payouts")
    paginator = Paginator(payouts_for_shop(shop), PAYOUTS_PER_PAGE)
    page = paginator.page(min(page_number(request.GET.get("page")), paginator.num_pages))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "marketplace/seller_payouts.html",
        {
            "shop": shop,
            "balance": shop_balance(shop),
            "minimum": payout_minimum(shop.currency),
            "methods": list(shop.payout_methods.filter(is_active=True)),
            "method_form": method_form,
            "payout_form": payout_form,
            "page": page,
        },
        status=status,
    )


@require_POST
@seller_required
def seller_payout_method_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        payout_method_remove(shop=request.shop, method_id=pk)
    except DomainError as exc:
        raise Http404(exc.message) from None
    messages.success(request, _("The payout method is removed."))
    return redirect("seller-payouts")


def _own_payout(request: HttpRequest, pk: int):
    payout = payouts_for_shop(request.shop).filter(pk=pk).first()
    if payout is None:
        raise Http404(_("No such payout."))
    return payout


KIND_LABELS = dict(LedgerKind.choices)


@seller_required
def seller_payout_statement(request: HttpRequest, pk: int) -> HttpResponse:
    statement = payout_statement(_own_payout(request, pk))
    return render(
        request,
        "marketplace/seller_payout_statement.html",
        {
            "statement": statement,
            "payout": statement.payout,
            "lines": [(line, KIND_LABELS.get(line.kind, line.kind)) for line in statement.lines],
        },
    )


@seller_required
def seller_payout_statement_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The same statement as CSV: dates, our own references and numbers only (no text a user
    typed, so nothing a spreadsheet could run)."""
    statement = payout_statement(_own_payout(request, pk))
    payout = statement.payout
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statement-{payout.reference}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["date", "what", "reference", "amount", "currency", "buyer_amount", "buyer_currency", "rate"]
    )
    day = payout.created_at.date().isoformat()
    writer.writerow([day, "opening_balance", "", statement.opening.amount, payout.currency, "", "", ""])
    for line in statement.lines:
        writer.writerow(
            [
                line.at.date().isoformat(),
                line.kind,
                line.label,
                line.amount.amount,
                line.amount.currency,
                line.source.amount if line.source else "",
                line.source.currency if line.source else "",
                line.rate if line.rate is not None else "",
            ]
        )
    writer.writerow([day, "closing_balance", "", statement.closing.amount, payout.currency, "", "", ""])
    return response
