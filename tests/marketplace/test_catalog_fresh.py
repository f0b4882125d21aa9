"""The rendered catalog's cheap paths are never stale: the cards read their rows on every
request, and `{% constant %}` text (`marketplace.templatetags.constant`) holds nothing but
translations and URLs.

The page tests run with the versioned caches off (`EWTP_CATALOG_CACHE_SECONDS=0`, the benchmark's
"nothing cached but the cards"), so every answer comes from the database.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

from marketplace.models import ExchangeRate
from marketplace.services.fx import exchange_rate_save
from marketplace.services.listings import listing_stock_set
from tests.marketplace.factories import CatalogListingFactory as ListingFactory
from tests.marketplace.factories import CatalogShopFactory as ShopFactory
from tests.marketplace.factories import CategoryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rates")]


@pytest.fixture(autouse=True)
def nothing_cached(settings):
    settings.EWTP_CATALOG_CACHE_SECONDS = 0


def titles(page: str) -> list[str]:
    return re.findall(r'<strong class="card-title">([^<]*)</strong>', page)


def test_the_home_page_shows_stock_changes_at_once(client, django_capture_on_commit_callbacks):
    basket = ListingFactory(title="Kiondo basket", stock=3)
    ListingFactory(title="Soapstone bowl", stock=5)
    page = client.get("/?in_stock=true").content.decode()
    assert "2 listings" in page
    assert "Out of stock" not in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        listing_stock_set(listing=basket, actor=basket.shop.owner, stock=0)
    page = client.get("/").content.decode()
    assert "Out of stock" in page and "2 listings" in page
    page = client.get("/?in_stock=true").content.decode()
    assert "1 listing" in page and titles(page) == ["Soapstone bowl"]


def test_new_listings_and_categories_show_at_once(client):
    ListingFactory(title="Kiondo basket", category=CategoryFactory(slug="crafts", name="Crafts"))
    assert "Crafts" in client.get("/").content.decode()
    ListingFactory(title="Soapstone bowl", category=CategoryFactory(slug="stone", name="Stone"))
    page = client.get("/").content.decode()
    assert titles(page) == ["Soapstone bowl", "Kiondo basket"]
    assert '<option value="stone">Stone</option>' in page


def test_price_ordering_follows_a_new_rate_at_once(client, django_capture_on_commit_callbacks):
    """Prices are compared in US dollars through the rates in force (their values are in the
    SQL): a new rate reorders the page on the next request."""
    ListingFactory(
        title="Kiondo basket", shop=ShopFactory(currency="KES"), price_amount=Decimal("1300")
    )  # $10
    ListingFactory(title="Batik scarf", shop=ShopFactory(currency="MYR"), price_amount=Decimal("60"))  # $15
    assert titles(client.get("/?ordering=price").content.decode()) == ["Kiondo basket", "Batik scarf"]
    with django_capture_on_commit_callbacks(execute=True):
        exchange_rate_save(
            rate=ExchangeRate(currency="MYR", units_per_usd=Decimal("10"), valid_from=date(2025, 6, 1))
        )  # the scarf is now $6
    assert titles(client.get("/?ordering=price").content.decode()) == ["Batik scarf", "Kiondo basket"]


def test_each_page_of_results_is_its_own_query(client):
    for n in range(30):
        ListingFactory(title=f"Item {n:02}")
    first = titles(client.get("/").content.decode())
    second = titles(client.get("/?page=2").content.decode())
    assert len(first) == 24 and len(second) == 6 and not set(first) & set(second)


# --- {% constant %} ---------------------------------------------------------------------------------


def render(source: str, **context) -> str:
    return Template("{% load i18n constant %}" + source).render(Context(context))


def test_constant_text_follows_the_language():
    source = "{% constant %}<a href=\"{% url 'home' %}\">{% translate 'Search' %}</a>{% endconstant %}"
    with translation.override("fr"):
        french = render(source)
    with translation.override("en"):
        english = render(source)
    assert english == '<a href="/">Search</a>' and french != english and 'href="/"' in french


@pytest.mark.parametrize(
    "inner",
    [
        "{{ name }}",
        "{% translate name %}",
        "{% translate 'Search'|upper %}",
        "{% translate 'Search' as label %}",
        "{% url 'listing-detail' pk %}",
        "{% url 'admin:index' %}",
        "{% if name %}x{% endif %}",
        "{% csrf_token %}",
        "{% static path %}",
    ],
)
def test_constant_refuses_anything_that_could_vary(inner):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load i18n static constant %}{% constant %}" + inner + "{% endconstant %}")
