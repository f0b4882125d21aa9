"""The rendered catalog's cheap paths are never stale: SQL compiled once per process
(`marketplace.selectors.compiled`) still reads the rows on every request, and `{% constant %}`
text (`marketplace.templatetags.constant`) holds nothing but translations and URLs.

The page tests run with the versioned caches off (`EWTP_CATALOG_CACHE_SECONDS=0`, the benchmark's
"nothing cached but the cards"), so every answer comes from the database through the compiled SQL.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from marketplace.models import Category, ExchangeRate
from marketplace.selectors import compiled
from marketplace.services.fx import exchange_rate_save
from marketplace.services.listings import listing_stock_set
from tests.marketplace.factories import CatalogListingFactory as ListingFactory
from tests.marketplace.factories import CatalogShopFactory as ShopFactory
from tests.marketplace.factories import CategoryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rates")]


@pytest.fixture(autouse=True)
def nothing_cached(settings):
    settings.EWTP_CATALOG_CACHE_SECONDS = 0


@pytest.fixture
def compiles(monkeypatch) -> list:
    """The keys compiled (not reused) by `value_rows` during the test."""
    compiled.forget()
    seen: list = []
    compile_ = compiled._compile

    def counting(qs):
        seen.append(qs.model)
        return compile_(qs)

    monkeypatch.setattr(compiled, "_compile", counting)
    return seen


def titles(page: str) -> list[str]:
    return re.findall(r'<strong class="card-title">([^<]*)</strong>', page)


def test_value_rows_compile_once_and_read_every_time(compiles):
    CategoryFactory(slug="crafts", name="Crafts")
    build = lambda: Category.objects.order_by("slug").values_list("slug", "name")  # noqa: E731
    with CaptureQueriesContext(connection) as captured:
        assert compiled.value_rows("test-categories", build) == [("crafts", "Crafts")]
    assert len(captured) == 1
    CategoryFactory(slug="baskets", name="Baskets")
    with CaptureQueriesContext(connection) as captured:
        rows = compiled.value_rows("test-categories", build)
    assert rows == [("baskets", "Baskets"), ("crafts", "Crafts")]  # the new row, read again
    assert len(captured) == 1 and len(compiles) == 1  # … with the SQL compiled the first time


def test_value_rows_of_an_empty_queryset_run_no_query(compiles):
    with CaptureQueriesContext(connection) as captured:
        assert (
            compiled.value_rows("test-none", lambda: Category.objects.filter(pk__in=[]).values_list("pk"))
            == []
        )
    assert len(captured) == 0


def test_the_home_page_compiles_its_queries_once_and_shows_stock_changes_at_once(
    client, compiles, django_capture_on_commit_callbacks
):
    basket = ListingFactory(title="Kiondo basket", stock=3)
    ListingFactory(title="Soapstone bowl", stock=5)
    page = client.get("/?in_stock=true").content.decode()
    assert "2 listings" in page
    assert "Out of stock" not in client.get("/").content.decode()
    compiled_once = len(compiles)
    assert "Out of stock" not in client.get("/").content.decode()
    assert compiled_once > 0 and len(compiles) == compiled_once  # the second page compiled nothing

    with django_capture_on_commit_callbacks(execute=True):
        listing_stock_set(listing=basket, actor=basket.shop.owner, stock=0)
    page = client.get("/").content.decode()
    assert "Out of stock" in page and "2 listings" in page
    assert len(compiles) == compiled_once  # the same SQL read the new stock
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
    """The cards' compiled SQL is keyed by the rates when prices are sorted (their values are in
    the SQL): a new rate reorders the page on the next request."""
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
