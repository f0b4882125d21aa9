"""Issue 19's page items that need no browser: delivery options each with a price and a date (the
same ones shown as one), the product gallery, the home page's story, category pages on a phone."""

from __future__ import annotations

import re

import pytest

from marketplace.models import ListingImage, Preference
from marketplace.selectors.checkout import CheckoutItem, checkout_quote
from marketplace.selectors.delivery_options import delivery_options

pytestmark = pytest.mark.django_db


def test_delivery_options_each_have_a_price_and_a_date_and_none_repeats(scarf, batik):
    items = [CheckoutItem(listing=scarf, quantity=1), CheckoutItem(listing=batik, quantity=1)]
    chosen = checkout_quote(items=items, destination="BE", currency="EUR", preference="balanced")
    options = delivery_options(items=items, destination="BE", currency="EUR", chosen=chosen)
    # Every preference is offered, each once; options that came to the same thing are one.
    offered = [preference for option in options for preference in option.preferences]
    assert sorted(offered) == sorted(Preference.values)
    assert len({(option.total.amount, option.promised) for option in options}) == len(options)
    balanced = next(option for option in options if "balanced" in option.preferences)
    assert balanced.preferences[0] == "balanced"  # the buyer's choice names its option
    assert balanced.total == chosen.total and balanced.shipping == chosen.shipping
    for option in options:
        assert option.shipping.currency == "EUR" and option.shipping.amount > 0
        assert option.promised >= max(c.shipping_quote.estimated_delivery for c in chosen.consignments)


def test_checkout_shows_each_delivery_option_with_its_price_and_date(client, scarf, buyer_be):
    client.force_login(buyer_be)
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "1"})
    page = client.get("/checkout/").content.decode()
    labels = re.findall(r'<input type="radio" name="preference" value="(\w+)"[^>]*>\s*([^<]+)</label>', page)
    assert labels, page[:3000]
    for value, label in labels:
        assert value in Preference.values
        assert "shipping €" in label and "delivery by" in label, label
    assert len({label for _value, label in labels}) == len(labels)


def test_the_product_page_shows_every_photo_with_thumbnails(client, scarf):
    for position in range(3):
        ListingImage.objects.create(
            listing=scarf,
            image=f"listings/{scarf.pk}/photo-{position}.jpg",
            thumbnail=f"listings/{scarf.pk}/thumb-{position}.webp",
            width=800,
            height=600,
            position=position,
        )
    page = client.get(scarf.get_absolute_url()).content.decode()
    assert [int(n) for n in re.findall(r'<img id="photo-(\d)"', page)] == [1, 2, 3]
    assert re.search(r'<img id="photo-1"[^>]*fetchpriority="high"', page)  # the first: at once
    assert len(re.findall(r'<img id="photo-\d"[^>]*loading="lazy"', page)) == 2  # the rest: when shown
    thumbs = re.findall(r'<a href="#photo-(\d)"><img src="/media/listings/\d+/thumb-\d\.webp"', page)
    assert thumbs == ["1", "2", "3"]


def test_the_home_page_tells_who_makes_the_goods_and_who_carries_them(client, scarf, batik):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    story = page[page.index('class="story card"') :]
    assert "From small makers to your door" in story
    assert "China" in story and "Malaysia" in story  # where the goods are made
    assert "Hangzhou" in story and "Liège" in story  # e-hubs of the network, by city
    assert "Hangzhou Silk" in story and "Batik KL" in story  # shops to start with
    assert 'href="/shops/hangzhou-silk/"' in story
    # A search or a filter is about the goods: no story there.
    assert 'class="story card"' not in client.get("/?search=silk").content.decode()


def test_the_story_reads_in_kiswahili(client, scarf):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="sw").content.decode()
    story = page[page.index('class="story card"') :]
    assert "Kutoka kwa watengenezaji wadogo hadi mlangoni kwako" in story and "Liège (Ubelgiji)" in story
