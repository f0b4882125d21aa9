"""Seller pages: my shop, my listings, create/edit/publish/delete, images."""

from __future__ import annotations

import re
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ewtp.exceptions import DomainError
from marketplace.forms.seller import ListingForm, ShopForm
from marketplace.hs_codes import hs_search
from marketplace.models import ListingImage, Role, Shop, StagedImage
from marketplace.selectors.shops import listing_get_for_seller, listings_for_seller, shop_for_user
from marketplace.services.listings import (
    StaleStock,
    listing_create,
    listing_delete,
    listing_image_remove,
    listing_set_published,
    listing_update,
)
from marketplace.services.shops import shop_update
from marketplace.services.staged_images import images_stage, staged_as_uploads, staged_discard, staged_for


def seller_required(view):
    """Logged-in sellers with a shop only; others get a clear 403 page."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        shop = shop_for_user(request.user)
        if request.user.role != Role.SELLER or shop is None:
            return render(
                request,
                "marketplace/forbidden.html",
                {"reason": _("Only sellers with a shop can use this page.")},
                status=403,
            )
        request.shop = shop
        return view(request, *args, **kwargs)

    return wrapper


def apply_errors(form, exc: ValidationError | DomainError) -> None:
    """Put service errors on the form so the seller sees them next to the field."""
    if isinstance(exc, DomainError):
        placed = [field for field in exc.field_errors if field in form.fields]
        for field in placed:
            form.add_error(field, exc.field_errors[field])
        if not placed:
            form.add_error(None, exc.message)
        return
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@seller_required
def seller_shop(request: HttpRequest) -> HttpResponse:
    shop: Shop = request.shop
    form = ShopForm(request.POST or None, instance=Shop.objects.get(pk=shop.pk))
    if request.method == "POST" and form.is_valid():
        try:
            shop_update(
                shop=shop, actor=request.user, **{f: form.cleaned_data[f] for f in ShopForm.Meta.fields}
            )
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your shop profile is saved."))
            return redirect("seller-shop")
    return render(request, "marketplace/seller_shop.html", {"form": form, "shop": shop})


@seller_required
def seller_listings(request: HttpRequest) -> HttpResponse:
    page = Paginator(listings_for_seller(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "marketplace/seller_listings.html", {"page": page, "shop": request.shop})


@seller_required
def listing_create_view(request: HttpRequest) -> HttpResponse:
    kept = _kept_photos(request)
    form = ListingForm(request.POST or None, request.FILES or None, shop=request.shop, kept_images=len(kept))
    picked = request.GET.get("hs_code", "")
    if not form.is_bound and re.fullmatch(r"\d{6}", picked):  # chosen with the HS-code helper
        form.initial["hs_code"] = picked
    if request.method == "POST" and form.is_valid():
        try:
            listing = listing_create(
                actor=request.user,
                images=[*form.cleaned_data["images"], *staged_as_uploads(kept)],
                **form.listing_fields(),
            )
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            staged_discard(kept)
            messages.success(request, _("“%(title)s” is listed.") % {"title": listing.title})
            return redirect("seller-listings")
    return _listing_form_page(request, form, None, kept)


def _kept_photos(request: HttpRequest) -> list[StagedImage]:
    """Photos kept from this seller's previous submit of the form (named in hidden fields)."""
    if request.method != "POST":
        return []
    return staged_for(owner=request.user, ids=request.POST.getlist("kept_images"))


def _listing_form_page(request: HttpRequest, form, listing, kept: list[StagedImage]) -> HttpResponse:
    """The form again after a failed submit keeps the photos already chosen: the valid ones are
    stored for the next submit and named in the form (a browser cannot refill a file input)."""
    if form.is_bound and "images" not in form.errors:
        kept = [*kept, *images_stage(owner=request.user, uploads=form.cleaned_data.get("images") or [])]
    return render(
        request,
        "marketplace/listing_form.html",
        {"form": form, "listing": listing, "kept_photos": kept},
    )


@seller_required
def hs_code_helper(request: HttpRequest) -> HttpResponse:
    """Words in, HS subheadings out (`marketplace.hs_codes`); "Use this code" goes back to the
    new-listing form with the code filled in."""
    query = request.GET.get("q", "").strip()[:200]
    results = hs_search(query) if query else []
    return render(request, "marketplace/hs_codes.html", {"query": query, "results": results})


def _own_listing(request: HttpRequest, pk: int):
    listing = listing_get_for_seller(actor=request.user, pk=pk)
    if listing is None:
        raise Http404(_("No such listing in your shop."))
    return listing


@seller_required
def listing_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _own_listing(request, pk)
    kept = _kept_photos(request)
    form = ListingForm(
        request.POST or None,
        request.FILES or None,
        instance=listing,
        shop=request.shop,
        kept_images=len(kept),
    )
    if request.method == "POST" and form.is_valid():
        try:
            listing_update(
                listing=listing,
                actor=request.user,
                images=[*form.cleaned_data["images"], *staged_as_uploads(kept)],
                stock_seen=form.cleaned_data["stock_seen"],
                **form.listing_fields(),
            )
        except StaleStock as exc:
            apply_errors(form, exc)
            form.show_current_stock(exc.current)
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            staged_discard(kept)
            messages.success(request, _("“%(title)s” is saved.") % {"title": listing.title})
            return redirect("seller-listings")
    return _listing_form_page(request, form, listing, kept)


@require_POST
@seller_required
def listing_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _own_listing(request, pk)
    publish = request.POST.get("publish") == "1"
    if publish and not listing.images.exists():
        messages.error(
            request,
            _(
                "Add at least one photo to “%(title)s” before publishing it: buyers do not buy "
                "what they cannot see."
            )
            % {"title": listing.title},
        )
        return redirect("seller-listing-edit", pk=listing.pk)
    listing_set_published(listing=listing, actor=request.user, published=publish)
    if publish:
        messages.success(request, _("“%(title)s” is published.") % {"title": listing.title})
    else:
        messages.success(request, _("“%(title)s” is unpublished.") % {"title": listing.title})
    return redirect("seller-listings")


@seller_required
def listing_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _own_listing(request, pk)
    if request.method == "POST":
        title = listing.title
        listing_delete(listing=listing, actor=request.user)
        messages.success(request, _("“%(title)s” is deleted.") % {"title": title})
        return redirect("seller-listings")
    return render(request, "marketplace/listing_confirm_delete.html", {"listing": listing})


@require_POST
@seller_required
def listing_image_delete_view(request: HttpRequest, pk: int, image_pk: int) -> HttpResponse:
    listing = _own_listing(request, pk)
    image = get_object_or_404(ListingImage, pk=image_pk, listing=listing)
    listing_image_remove(image=image, actor=request.user)
    messages.success(request, _("The image is removed."))
    return redirect("seller-listing-edit", pk=listing.pk)
