"""Issue 7: search on the zero-configuration demo (SQLite) ignores accents as it does on PostgreSQL
("liege" found nothing where "Liège" found 45 listings).

Listings keep folded copies of title and description (`marketplace.folding.fold`, set on every
save, by the demo seeder's bulk insert, and backfilled by migration 0007); the SQLite branch of
the catalog search compares them with the folded query. The suite runs on PostgreSQL, so the
SQLite branch is run for real in a child process on its own SQLite file: migrations (with a row
written before 0007), the services, the catalog page and the API. `tests/test_zero_config.py`
checks the demo data in `make run` the same way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from marketplace.folding import fold
from marketplace.models import Listing
from marketplace.services.listings import listing_create, listing_set_published, listing_update
from tests.marketplace.factories import ListingFactory

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Liège", "liege"),
        ("LIÈGE", "liege"),
        ("Crème Brûlée", "creme brulee"),
        ("Café-au-lait", "cafe-au-lait"),
        ("Straße", "strasse"),
        ("Łódź Ærø Øresund", "lodz aero oresund"),
        ("ﬁne Ｆｕｌｌ", "fine full"),
        ("İstanbul", "istanbul"),
        ("日本語 がぎ हिन्दी", "日本語 がぎ हिन्दी"),  # marks that are part of other scripts' letters stay
        ("", ""),
    ],
)
def test_fold_lowers_case_and_strips_accents(text, folded):
    assert fold(text) == folded
    assert fold(folded) == folded


@pytest.mark.django_db
def test_every_listing_service_keeps_the_folded_copies(seller_a, category):
    """The services fold title and description (`Listing.save()` holds no logic of its own)."""
    from marketplace.services.listings import listing_admin_save

    listing = listing_create(
        actor=seller_a,
        title="Gaufre de Liège",
        description="Crème fraîche",
        category=category,
        price_amount=Decimal("12.50"),
        weight_kg=Decimal("0.2"),
        hs_code="190532",
    )
    row = Listing.objects.values("title_folded", "description_folded").get(pk=listing.pk)
    assert row == {"title_folded": "gaufre de liege", "description_folded": "creme fraiche"}

    listing_update(listing=listing, actor=seller_a, title="SPÉCULOOS", description="Épices")
    row = Listing.objects.values("title_folded", "description_folded").get(pk=listing.pk)
    assert row == {"title_folded": "speculoos", "description_folded": "epices"}

    listing = Listing.objects.get(pk=listing.pk)
    listing.title = "Pâte à tartiner"
    listing_admin_save(listing=listing)  # an operator's edit
    assert Listing.objects.values_list("title_folded", flat=True).get(pk=listing.pk) == "pate a tartiner"

    listing_set_published(listing=listing, actor=seller_a, published=False)
    assert Listing.objects.values_list("title_folded", flat=True).get(pk=listing.pk) == "pate a tartiner"
    assert ListingFactory(title="Crêpe").title_folded == "crepe"


@pytest.mark.django_db
def test_list_queries_do_not_load_the_folded_copies(seller_a, category):
    ListingFactory(shop=seller_a.shop, category=category, title="Crêpe")
    listing = Listing.objects.get()
    assert {"title_folded", "description_folded"} <= listing.get_deferred_fields()
    assert "title_folded" not in str(Listing.objects.all().query).split("WHERE")[0]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["liege", "LIEGE", "Liège", "liège", "LIÈGE"])
def test_postgres_search_still_folds_accents_with_its_own_search(client, seller_a, category, query):
    """PostgreSQL's search is unchanged (`search_vector` + `ewtp_search`); shown here side by side."""
    ListingFactory(shop=seller_a.shop, category=category, title="Gaufre de Liège")
    ListingFactory(shop=seller_a.shop, category=category, title="Batik shirt")
    response = client.get("/api/v1/products/", {"search": query})
    assert [item["title"] for item in response.json()["results"]] == ["Gaufre de Liège"]


SCRIPT = textwrap.dedent(
    """
    import json
    from decimal import Decimal

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.test import Client

    before = ("marketplace", "0008_listing_image_limit_constraints")
    call_command("migrate", "marketplace", before[1], verbosity=0)
    old = MigrationExecutor(connection).loader.project_state(before).apps
    OldUser = old.get_model("marketplace", "User")
    OldShop = old.get_model("marketplace", "Shop")
    OldCategory = old.get_model("marketplace", "Category")
    OldListing = old.get_model("marketplace", "Listing")
    owner = OldUser.objects.create(username="old-seller", role="seller", country="BE")
    shop = OldShop.objects.create(owner=owner, name="Vieux", slug="vieux", country="BE", currency="EUR")
    food = OldCategory.objects.create(slug="food", name="Food")
    OldListing.objects.create(
        shop=shop, category=food, title="Café liégeois", description="Dessert glacé de Liège",
        price_amount=Decimal("4.50"), currency="EUR", weight_kg=Decimal("0.3"), hs_code="210500",
        origin_country="BE", stock=3,
    )
    call_command("migrate", verbosity=0)

    from marketplace.models import Category, Listing
    from marketplace.services.accounts import user_register
    from marketplace.services.listings import listing_create, listing_update

    assert connection.vendor == "sqlite"
    seller = user_register(
        username="chocolatier", email="c@example.org", password="a-long-pass-2026", role="seller",
        country="BE", shop_name="Liège Chocolatiers", currency="EUR",
    )
    common = dict(category=Category.objects.get(slug="food"), weight_kg=Decimal("0.2"), hs_code="180632")
    listing_create(actor=seller, title="Praline assortment", description="Made in Liège.",
                   price_amount=Decimal("12.50"), **common)
    waffle = listing_create(actor=seller, title="Waffle mix", description="Belgian.",
                            price_amount=Decimal("6.00"), **common)
    listing_update(listing=waffle, actor=seller, title="Gaufre de LIÈGE mix")
    listing_create(actor=seller, title="Crème brûlée kit", description="Vanilla.",
                   price_amount=Decimal("9.00"), **common)
    listing_create(actor=seller, title="Dark chocolate bar", description="70 %.",
                   price_amount=Decimal("3.00"), **common)

    client = Client()
    results = {}
    for query in ["liege", "LIEGE", "Liège", "liège", "creme brulee", "CRÈME", "gaufre liege",
                  "liegeois", "cafe", "nothing-like-this", "\\u0301"]:
        response = client.get("/api/v1/products/", {"search": query})
        assert response.status_code == 200, response.content[:500]
        results[query] = [item["title"] for item in response.json()["results"]]
    page = client.get("/", {"search": "liege"})
    results["page"] = [page.status_code, "Gaufre de LIÈGE mix" in page.content.decode()]
    results["folded"] = sorted(Listing.objects.values_list("title_folded", flat=True))
    print(json.dumps(results))
    """
)


@pytest.fixture(scope="module")
def sqlite_results(tmp_path_factory) -> dict:
    """The child process's answers: one SQLite database, migrated, written through the services."""
    folder = tmp_path_factory.mktemp("sqlite-search")
    script = folder / "search_on_sqlite.py"
    script.write_text(SCRIPT)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    (folder / "data").mkdir()
    env.update(
        DJANGO_SETTINGS_MODULE="ewtp.settings",
        DATABASE_URL=f"sqlite:///{folder / 'search.sqlite3'}",
        EWTP_DATA_DIR=str(folder / "data"),
        DEBUG="1",
        ALLOWED_HOSTS="testserver",
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(  # noqa: S603 - our own script, our interpreter
        [sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("query", ["liege", "LIEGE", "Liège", "liège"])
def test_sqlite_search_ignores_accents_and_case_title_matches_first(sqlite_results, query):
    titles = sqlite_results[query]
    assert titles[0] in {"Gaufre de LIÈGE mix"}, titles  # the only title with the word, ranked first
    assert set(titles) == {"Gaufre de LIÈGE mix", "Praline assortment", "Café liégeois"}


def test_sqlite_search_folds_every_word_of_the_query(sqlite_results):
    assert sqlite_results["creme brulee"] == ["Crème brûlée kit"]
    assert sqlite_results["CRÈME"] == ["Crème brûlée kit"]
    assert sqlite_results["gaufre liege"] == ["Gaufre de LIÈGE mix"]
    assert sqlite_results["nothing-like-this"] == []
    assert sqlite_results["\u0301"] == []  # a lone accent: nothing to look for


def test_sqlite_search_finds_rows_written_before_the_migration(sqlite_results):
    """Migration 0007 backfilled the row written at 0006."""
    assert sqlite_results["liegeois"] == ["Café liégeois"]
    assert sqlite_results["cafe"] == ["Café liégeois"]
    assert "cafe liegeois" in sqlite_results["folded"]


def test_sqlite_catalog_page_finds_liege_from_liege(sqlite_results):
    assert sqlite_results["page"] == [200, True]
