import pytest
from django.urls import reverse

from marketplace.models import Shop
from tests.marketplace.factories import ListingFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client):
    operator = UserFactory(username="op", role="operator", is_staff=True, is_superuser=True)
    client.force_login(operator)
    return client


def test_operator_verifies_shops_with_the_admin_action(operator_client):
    shops = ShopFactory.create_batch(2)
    other = ShopFactory()
    response = operator_client.post(
        reverse("admin:marketplace_shop_changelist"),
        {"action": "verify_shops", "_selected_action": [s.pk for s in shops]},
        follow=True,
    )
    assert "2 shops verified." in response.content.decode()
    assert set(Shop.objects.filter(is_verified=True)) == set(shops)
    other.refresh_from_db()
    assert other.is_verified is False


@pytest.mark.parametrize(
    "name",
    ["marketplace_user", "marketplace_shop", "marketplace_category", "marketplace_listing"],
)
def test_admin_changelists_search_and_filter(operator_client, name):
    ListingFactory(title="Batik shirt")
    url = reverse(f"admin:{name}_changelist")
    assert operator_client.get(url, {"q": "batik"}).status_code == 200


def test_listing_admin_filters_by_published(operator_client):
    ListingFactory(title="Visible one")
    ListingFactory(title="Hidden one", is_active=False)
    page = operator_client.get(reverse("admin:marketplace_listing_changelist"), {"is_active__exact": "0"})
    text = page.content.decode()
    assert "Hidden one" in text and "Visible one" not in text


def test_sellers_cannot_open_the_admin(client, seller_a):
    client.force_login(seller_a)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_operator_adding_a_listing_in_admin_gets_the_shop_currency_and_price_rules(operator_client):
    from marketplace.models import Listing
    from tests.marketplace.factories import CategoryFactory

    shop = ShopFactory(currency="RWF", owner__country="RW", country="RW")
    category = CategoryFactory(slug="crafts")
    data = {
        "shop": shop.pk,
        "title": "Peace basket",
        "description": "",
        "category": category.pk,
        "price_amount": "12000.50",
        "stock": "3",
        "weight_kg": "0.4",
        "hs_code": "460219",
        "origin_country": "RW",
        "is_active": "on",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }
    response = operator_client.post(reverse("admin:marketplace_listing_add"), data)
    assert response.status_code == 200
    assert "RWF prices take at most 0 decimal places." in response.content.decode()
    response = operator_client.post(
        reverse("admin:marketplace_listing_add"), {**data, "price_amount": "12000"}
    )
    assert response.status_code == 302
    assert Listing.objects.get(title="Peace basket").currency == "RWF"


def test_operator_cannot_change_a_shop_currency_under_its_listings_or_set_an_unknown_one(operator_client):
    listing = ListingFactory()
    shop = listing.shop
    url = reverse("admin:marketplace_shop_change", args=[shop.pk])
    data = {
        "owner": shop.owner.pk,
        "name": shop.name,
        "slug": shop.slug,
        "country": "MY",
        "currency": "EUR",
        "description": "",
    }
    response = operator_client.post(url, data)
    assert "currency cannot change" in response.content.decode()
    response = operator_client.post(url, {**data, "currency": "XYZ"})
    assert "is not an ISO-4217 currency code" in response.content.decode()
    shop.refresh_from_db()
    assert shop.currency == "MYR"
