"""What "≈" before a price means is said on the page, not in a hover (issue 19)."""

from __future__ import annotations

import pytest

from tests.marketplace.factories import CatalogListingFactory as ListingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rates")]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "at today's exchange rate"),
        ("fr", "au taux de change du jour"),
        ("sw", "kiwango cha ubadilishaji"),
    ],
)
def test_the_catalog_says_what_the_approximate_sign_means(client, language, words):
    ListingFactory(title="Kiondo basket")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert '<span class="approx-note">≈ ' in page and words in page.replace("&#x27;", "'")


def test_an_empty_catalog_has_no_price_note(client):
    assert "approx-note" not in client.get("/").content.decode()
