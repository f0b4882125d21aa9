"""Buyer-facing catalog pages: home with search, filters and facets; product; shop; currency picker.

Thin adapters: validate the query (`CatalogFilterForm`), read through `marketplace.selectors`,
render. Each page runs a fixed number of queries however many listings exist (pinned in
tests/marketplace/test_catalog_queries.py). No page is cached whole: pages carry per-visitor
parts (CSRF tokens, the login, soon a cart); their shared parts are (`marketplace.cache`).
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from ewtp.countries import country_choices, country_name
from ewtp.money import is_currency
from marketplace import ports
from marketplace.cache import cache_get, cache_set, memo
from marketplace.forms.catalog import CatalogFilterForm
from marketplace.models import Shop
from marketplace.selectors.buyers import buyer_country, display_currency_for
from marketplace.selectors.cards import CatalogCards, listing_cards_page, listings_for_cards
from marketplace.selectors.catalog import CountedPaginator, Ordering, categories_list, listings_visible_to
from marketplace.selectors.facets import catalog_facets, origin_countries
from marketplace.selectors.fx import rates_in_force
from marketplace.selectors.story import HomeStory, home_story
from marketplace.services.accounts import display_currency_remember

PAGE_SIZE = 24


def page_number(raw: str | None) -> int:
    """Non-numeric, zero or negative → 1; the paginator then caps at the last page."""
    try:
        number = int(str(raw)[:12])
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def _page(paginator: Paginator, raw: str | None):
    return paginator.page(min(page_number(raw), paginator.num_pages))


def _query_string(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _facet_links(request: HttpRequest, param: str, facets) -> list[dict]:
    """Each facet value as a link that keeps the other filters; a selected value links to its removal.

    Built from the request's pairs once (not a QueryDict copy per value): the parameter keeps
    its place when it is already there, and is added at the end otherwise."""
    pairs = [(key, value) for key, values in request.GET.lists() if key != "page" for value in values]
    position = next((index for index, (key, _value) in enumerate(pairs) if key == param), len(pairs))
    before = urlencode([pair for pair in pairs[:position] if pair[0] != param])
    after = urlencode([pair for pair in pairs[position:] if pair[0] != param])
    links = []
    for facet in facets:
        # What urlencode(before + chosen + after) gives, with the unchanged pairs encoded once.
        chosen = "" if facet.selected else urlencode([(param, facet.value)])
        links.append(
            {
                "value": facet.value,
                "label": facet.label,
                "count": facet.count,
                "selected": facet.selected,
                "url": "?" + "&".join(part for part in (before, chosen, after) if part),
            }
        )
    return links


def _ships_to_mine(request: HttpRequest) -> dict | None:
    """The one-click "ships to my country" filter: a link that sets (or clears) `ships_to`."""
    country = buyer_country(request)
    if not country:
        return None
    params = request.GET.copy()
    params.pop("page", None)
    selected = params.get("ships_to", "").upper() == country
    if selected:
        params.pop("ships_to", None)
    else:
        params["ships_to"] = country
    return {
        "country": country,
        "name": country_name(country) or country,
        "selected": selected,
        "url": f"?{params.urlencode()}",
    }


def _pricing_context(request: HttpRequest):
    rates = rates_in_force()
    currency = display_currency_for(request)
    return rates, {
        "rates": rates,
        "display_currency": currency,
        "currency_choices": [(code, code) for code in sorted({*rates, currency})],
    }


def home(request: HttpRequest) -> HttpResponse:
    """The catalog: newest listings, or search results, filtered and faceted.

    Rendered for every request (pages carry per-visitor parts). What is the same for everyone
    comes from caches that cannot be stale (`marketplace.cache`): the counts, the categories and
    the rates in force under the catalog version, each listing card by its content, and the
    filter sidebar under the key of the counts it shows.
    """
    rates, pricing = _pricing_context(request)
    all_categories = categories_list()
    form = CatalogFilterForm(
        request.GET, categories=all_categories, rates=rates, display_currency=pricing["display_currency"]
    )
    country = buyer_country(request)
    context = {
        **pricing,
        "form": form,
        "categories": all_categories,
        "category_choices": [(category.slug, category.local_name) for category in all_categories],
        # "Best match" only means something with a search.
        "orderings": [
            (value, label)
            for value, label in Ordering.CHOICES
            if value != Ordering.RELEVANCE or request.GET.get("search")
        ],
        "query_string": _query_string(request),
        "badge_choices": form.fields["badge"].choices,
        "buyer_country": country,
        "is_filtered": any(request.GET.get(name) for name in form.fields),
        "active_filters": sum(
            1 for name in form.fields if name not in ("search", "ordering") and request.GET.get(name)
        ),
    }
    if not form.is_valid():
        context.update(page=None, ships_to_mine=_ships_to_mine(request), origin_choices=_origin_choices(form))
        context["filters_html"] = _filters_html(context)
        return render(request, "marketplace/home.html", context, status=400)
    filters = form.filters()
    facets = catalog_facets(filters, rates, all_categories)
    cards = CatalogCards(filters, rates)
    page = _page(CountedPaginator(cards, PAGE_SIZE, count=facets.total), request.GET.get("page"))
    context.update(filters=filters, facets=facets, page=page)
    if not context["is_filtered"] and page.number == 1:
        # Who makes the goods (the countries the facets counted), who carries them, shops to visit.
        context["story"] = story = home_story(maker_countries=[facet.value for facet in facets.countries])
        context["story_html"] = _story_html(story)

    key = None
    if facets.cache_key is not None:  # the counts' key already names the versions and filters
        parts = (
            facets.cache_key,
            sorted(request.GET.lists()),
            get_language(),
            context["display_currency"],
            country,
        )
        key = "catalog:filters:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    filters_html = cache_get(key)
    if filters_html is None:
        context.update(
            ships_to_mine=_ships_to_mine(request),
            category_links=_facet_links(request, "category", facets.categories),
            country_links=_facet_links(request, "origin_country", facets.countries),
            origin_choices=_origin_choices(form, facets.origins),
        )
        filters_html = _filters_html(context)
        cache_set(key, filters_html)
    return render(request, "marketplace/home.html", {**context, "filters_html": filters_html})


def _origin_choices(form: CatalogFilterForm, known: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """ "Made in": the countries goods are made in, by name in the page's language (and the one
    asked for, even if nothing is made there now). `known`: those the page's facet counts
    already name (their counts covered the whole catalogue), else they are asked for."""
    codes = set(origin_countries() if known is None else known)
    asked = str(form.data.get("origin_country", "")).upper()
    if asked in countries:
        codes.add(asked)
    return country_choices(codes)


def _story_html(story: HomeStory) -> SafeString:
    """The home story as HTML, kept in this process under its own content and the language: the
    same for every visitor, and never stale (a changed story is another key)."""
    key = f"story-html:{get_language()}:{hash(story)}"
    cached = memo.get(key)
    if cached is None or cached[0] != story:
        cached = (story, render_to_string("marketplace/_home_story.html", {"story": story}))
        memo.set(key, cached)
    return cached[1]


def _filters_html(context: dict) -> SafeString:
    """The filter form and facets: GET forms and links only, nothing that belongs to a visitor.
    A rendered template is already a SafeString (autoescaped); it stays one through the cache."""
    return render_to_string("marketplace/_catalog_filters.html", context)


def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A product page. Unpublished listings are a 404 for everyone but their seller."""
    from marketplace.views.checkout import purchase_context  # the buy box lives with checkout

    listing = listings_visible_to(request.user).filter(pk=pk).first()
    if listing is None:
        raise Http404(_("No such product."))
    rates, pricing = _pricing_context(request)
    country = buyer_country(request)
    provider = ports.shipping()
    estimate = shipping_cost = None
    if provider is not None and country:
        estimate = provider.quote(
            origin_country=str(listing.origin_country),
            destination_country=country,
            weight_kg=listing.weight_kg,
            dimensions_cm=listing.dimensions_cm,
        )
        if estimate is not None:
            shipping_cost = rates.convert(estimate.cost, pricing["display_currency"]) or estimate.cost
    return render(
        request,
        "marketplace/listing_detail.html",
        {
            **pricing,
            "listing": listing,
            "buyer_country": country,
            "shipping_available": provider is not None,
            "estimate": estimate,
            "shipping_cost": shipping_cost,
            **purchase_context(request, listing, pricing["display_currency"]),
        },
    )


def shop_detail(request: HttpRequest, slug: str) -> HttpResponse:
    shop = Shop.objects.filter(slug=slug).first()
    if shop is None:
        raise Http404(_("No such shop."))
    _rates, pricing = _pricing_context(request)
    listings = listings_for_cards().filter(shop=shop).order_by("-created_at", "-id")
    page = _page(Paginator(listings, PAGE_SIZE), request.GET.get("page"))
    page.object_list = listing_cards_page(page.object_list)
    return render(request, "marketplace/shop_detail.html", {**pricing, "shop": shop, "page": page})


@require_POST
def set_currency(request: HttpRequest) -> HttpResponse:
    """The currency picker: on the profile for users, in the session for everyone else."""
    currency = request.POST.get("currency", "").strip().upper()[:3]
    if is_currency(currency):
        display_currency_remember(request, currency)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    return HttpResponseRedirect(target)
