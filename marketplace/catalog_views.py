"""Buyer-facing catalog pages. Minimal first version; issue 3 builds search, filters and currency."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from marketplace import selectors
from marketplace.models import Shop


def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.listings_public().order_by("-created_at", "-id"), 24).get_page(
        request.GET.get("page")
    )
    return render(request, "marketplace/home.html", {"page": page})


def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listings_visible_to(request.user).filter(pk=pk).first()
    if listing is None:
        raise Http404
    return render(request, "marketplace/listing_detail.html", {"listing": listing})


def shop_detail(request: HttpRequest, slug: str) -> HttpResponse:
    shop = get_object_or_404(Shop, slug=slug)
    page = Paginator(selectors.listings_public().filter(shop=shop), 24).get_page(request.GET.get("page"))
    return render(request, "marketplace/shop_detail.html", {"shop": shop, "page": page})
