"""The HS-code helper (issue 20): a seller types words and picks one of the 5,613 six-digit
subheadings of HS 2022 (the project's copy of the public-domain nomenclature); the pick fills
the new listing's HS code. The helper's own words are translated; the descriptions stay English."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.hs_codes import hs_search, subheadings

pytestmark = pytest.mark.django_db


def test_the_whole_nomenclature_is_there():
    codes = [row.code for row in subheadings()]
    assert len(codes) == 5613 and len(set(codes)) == 5613
    assert all(len(code) == 6 and code.isdigit() for code in codes)


@pytest.mark.parametrize(
    ("words", "code"),
    [("silk scarf", "621410"), ("silk scarves", "621410"), ("coffee roasted", "09012"), ("6214", "621410")],
)
def test_words_find_their_subheading_first(words, code):
    assert hs_search(words)[0].code.startswith(code)


def test_a_seller_picks_a_code_and_the_new_listing_has_it(client, seller_a, category):
    client.force_login(seller_a)
    page = client.get(reverse("seller-hs-codes"), {"q": "silk scarf"}).content.decode()
    assert "621410" in page and "Shawls, scarves" in page
    assert f'href="{reverse("seller-listing-create")}?hs_code=621410"' in page
    form = client.get(reverse("seller-listing-create"), {"hs_code": "621410"}).content.decode()
    assert 'value="621410"' in form
    assert "Find it by describing what you sell" in form
    empty = client.get(reverse("seller-hs-codes"), {"q": "zzqxv"}).content.decode()
    assert "No HS line has these words" in empty


def test_the_helper_reads_in_kiswahili_with_english_descriptions(client, seller_a):
    client.force_login(seller_a)
    page = client.get(
        reverse("seller-hs-codes"), {"q": "silk scarf"}, HTTP_ACCEPT_LANGUAGE="sw"
    ).content.decode()
    assert "Find an HS code" not in page and 'lang="en">Shawls, scarves' in page


def test_buyers_cannot_use_the_sellers_helper(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("seller-hs-codes"), {"q": "silk"}).status_code in (302, 403)


def test_the_api_answers_words_with_subheadings(api_client):
    rows = api_client.get("/api/v1/hs-codes/", {"q": "silk scarf"}).json()
    assert rows[0] == {
        "code": "621410",
        "description": rows[0]["description"],
        "heading": rows[0]["heading"],
    } and rows[0]["description"].startswith("Shawls, scarves")
    assert len(rows) <= 20
    empty = api_client.get("/api/v1/hs-codes/", {"q": " "})
    assert empty.status_code == 200 and empty.json() == []  # no words: nothing found (fuzzing: ST202)
    assert api_client.get("/api/v1/hs-codes/").status_code == 400  # no q at all (fuzzing: ST201)
