"""Women-owned and youth-led shops, the seller's side: claim a badge with evidence, see where each
claim stands. The evidence is handed out only to its shop's seller and to operators, as a download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ewtp.exceptions import DomainError
from marketplace.forms.badges import BadgeClaimForm
from marketplace.models import BadgeClaim
from marketplace.services.badges import badge_claim, evidence_keep_days
from marketplace.views.seller import apply_errors, seller_required


@seller_required
def seller_badges(request: HttpRequest) -> HttpResponse:
    shop = request.shop
    form = BadgeClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            badge_claim(
                shop=shop,
                actor=request.user,
                badge=form.cleaned_data["badge"],
                evidence=form.cleaned_data["evidence"],
                statement=form.cleaned_data["statement"],
                founder_birth_year=form.cleaned_data["founder_birth_year"],
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you: an operator will check your evidence and decide."))
            return redirect("seller-badges")
    return render(
        request,
        "marketplace/seller_badges.html",
        {
            "shop": shop,
            "form": form,
            "claims": list(shop.badge_claims.all()),
            "keep_days": evidence_keep_days(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def badge_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence file, to the claim's seller or an operator with the right to see claims; a 404
    to everyone else (not even whether it exists). Always a download, never shown in the page."""
    claim = BadgeClaim.objects.select_related("shop").filter(pk=pk).first()
    allowed = claim is not None and (
        claim.shop.owner_id == request.user.pk
        or (request.user.is_staff and request.user.has_perm("marketplace.view_badgeclaim"))
    )
    if not allowed or not claim.evidence:
        raise Http404(_("No such file."))
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        claim.evidence_type, "bin"
    )
    response = FileResponse(
        claim.evidence.open("rb"),
        as_attachment=True,
        filename=f"evidence-{claim.pk}.{extension}",
        content_type=claim.evidence_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
