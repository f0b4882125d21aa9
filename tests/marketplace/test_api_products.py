"""API v1: registration, tokens, products and categories, permissions and bad input."""

from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token

from marketplace.models import Listing, Role, Shop, User
from tests.marketplace.api_helpers import auth, product_payload
from tests.marketplace.factories import CategoryFactory, ListingFactory

pytestmark = pytest.mark.django_db


def test_register_seller_creates_shop_and_returns_201(api_client):
    response = api_client.post(
        "/api/v1/auth/register/",
        {
            "username": "siti",
            "email": "siti@example.org",
            "password": "a-long-pass-2026",
            "role": "seller",
            "country": "MY",
            "shop_name": "Siti Batik",
            "currency": "MYR",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["role"] == "seller" and body["shop"]["currency"] == "MYR" and body["token"]
    assert Shop.objects.get(owner__username="siti").country == "MY"


def test_register_buyer_then_get_token(api_client):
    response = api_client.post(
        "/api/v1/auth/register/",
        {
            "username": "amina",
            "email": "a@example.org",
            "password": "a-long-pass-2026",
            "role": "buyer",
            "country": "KE",
        },
        format="json",
    )
    assert response.status_code == 201
    assert User.objects.get(username="amina").role == Role.BUYER
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "amina", "password": "a-long-pass-2026"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user__username="amina").key


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"role": "admin"}, "role"),
        ({"country": "XX"}, "country"),
        ({"currency": "XYZ"}, "currency"),
        ({"shop_name": ""}, "shop_name"),
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
    ],
)
def test_register_bad_input_is_400_with_field_message(api_client, overrides, field):
    payload = {
        "username": "siti",
        "email": "siti@example.org",
        "password": "a-long-pass-2026",
        "role": "seller",
        "country": "MY",
        "shop_name": "Siti Batik",
        "currency": "MYR",
    }
    payload.update(overrides)
    response = api_client.post("/api/v1/auth/register/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.filter(username="siti").exists()


def test_register_duplicate_username_is_400(api_client, buyer):
    response = api_client.post(
        "/api/v1/auth/register/",
        {
            "username": buyer.username,
            "email": "x@example.org",
            "password": "a-long-pass-2026",
            "role": "buyer",
            "country": "KE",
        },
        format="json",
    )
    assert response.status_code == 400 and "username" in response.json()


def test_token_with_wrong_password_is_401(api_client, buyer):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": buyer.username, "password": "nope"}, format="json"
    )
    assert response.status_code == 401
    assert "detail" in response.json()


def test_seller_creates_product_currency_follows_shop(api_client, seller_a, category):
    response = auth(api_client, seller_a).post("/api/v1/products/", product_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["currency"] == "MYR"
    assert body["price"] == "45.00"
    assert body["category"] == "textiles"
    assert body["origin_country"] == "MY"
    assert body["shop"] == {
        "id": seller_a.shop.id,
        "name": "Batik KL",
        "slug": "batik-kl",
        "country": "MY",
        "is_verified": False,
        "badges": [],  # verified women-owned / youth-led badges only (issue 20)
    }
    assert body["badges"] == []
    assert body["is_active"] is True


def test_currency_in_payload_is_ignored(api_client, seller_a, category):
    response = auth(api_client, seller_a).post(
        "/api/v1/products/", product_payload(currency="USD"), format="json"
    )
    assert response.status_code == 201
    assert Listing.objects.get().currency == "MYR"


def test_product_list_is_paginated_and_hides_unpublished(api_client, shop_a, category):
    ListingFactory.create_batch(30, shop=shop_a, category=category)
    ListingFactory(shop=shop_a, category=category, title="Hidden", is_active=False)
    body = api_client.get("/api/v1/products/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 30
    assert len(body["results"]) == 24
    assert body["next"].endswith("?page=2")
    assert all(item["title"] != "Hidden" for item in body["results"])


def test_unpublished_product_is_404_except_to_its_seller(api_client, seller_a, buyer, category):
    hidden = ListingFactory(shop=seller_a.shop, category=category, is_active=False)
    assert api_client.get(f"/api/v1/products/{hidden.pk}/").status_code == 404
    assert auth(api_client, buyer).get(f"/api/v1/products/{hidden.pk}/").status_code == 404
    assert auth(api_client, seller_a).get(f"/api/v1/products/{hidden.pk}/").status_code == 200


def test_owner_patches_and_deletes(api_client, seller_a, category):
    item = ListingFactory(shop=seller_a.shop, category=category)
    client = auth(api_client, seller_a)
    response = client.patch(f"/api/v1/products/{item.pk}/", {"stock": 3, "price": "50.50"}, format="json")
    assert response.status_code == 200, response.json()
    item.refresh_from_db()
    assert item.stock == 3 and item.price_amount == Decimal("50.50")
    assert client.delete(f"/api/v1/products/{item.pk}/").status_code == 204
    assert not Listing.objects.filter(pk=item.pk).exists()


def test_other_seller_cannot_update_or_delete(api_client, seller_a, listing_b):
    client = auth(api_client, seller_a)
    response = client.patch(f"/api/v1/products/{listing_b.pk}/", {"title": "Hacked"}, format="json")
    assert response.status_code == 403
    assert "own shop" in response.json()["detail"]
    assert client.delete(f"/api/v1/products/{listing_b.pk}/").status_code == 403
    listing_b.refresh_from_db()
    assert listing_b.title == "Peace basket"


def test_buyer_cannot_create(api_client, buyer, category):
    response = auth(api_client, buyer).post("/api/v1/products/", product_payload(), format="json")
    assert response.status_code == 403
    assert Listing.objects.count() == 0


def test_anonymous_cannot_write(api_client, listing_b, category):
    assert api_client.post("/api/v1/products/", product_payload(), format="json").status_code == 401
    assert (
        api_client.patch(f"/api/v1/products/{listing_b.pk}/", {"title": "x"}, format="json").status_code
        == 401
    )
    assert api_client.delete(f"/api/v1/products/{listing_b.pk}/").status_code == 401
    assert Listing.objects.count() == 1


BAD_API_INPUT = [
    ({"price": "-5"}, "price"),
    ({"price": "0"}, "price"),
    ({"price": "45.1234"}, "price"),
    ({"price": "45.123"}, "price"),  # MYR has two decimals
    ({"price": "abc"}, "price"),
    ({"stock": -1}, "stock"),
    ({"category": "no-such-category"}, "category"),
    ({"hs_code": "12345"}, "hs_code"),
    ({"hs_code": "12345a"}, "hs_code"),
    ({"origin_country": "XX"}, "origin_country"),
    ({"title": "x" * 50_000}, "title"),
    ({"weight_kg": "0"}, "weight_kg"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_API_INPUT)
def test_bad_product_input_is_400_with_field_message_and_nothing_written(
    api_client, seller_a, category, overrides, field
):
    response = auth(api_client, seller_a).post(
        "/api/v1/products/", product_payload(**overrides), format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert field in body and body[field], body
    assert Listing.objects.count() == 0


def test_bad_patch_is_400_and_changes_nothing(api_client, seller_a, category):
    item = ListingFactory(shop=seller_a.shop, category=category, stock=5)
    response = auth(api_client, seller_a).patch(
        f"/api/v1/products/{item.pk}/", {"stock": 7, "price": "-1"}, format="json"
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.stock == 5


def test_zero_decimal_currency_price_with_cents_is_400(api_client, seller_b, category):
    response = auth(api_client, seller_b).post(
        "/api/v1/products/", product_payload(price="1500.50"), format="json"
    )
    assert response.status_code == 400
    assert response.json()["price"] == ["RWF prices take at most 0 decimal places."]


def test_malformed_json_is_400(api_client, seller_a):
    response = auth(api_client, seller_a).post(
        "/api/v1/products/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_unknown_product_is_404_json(api_client):
    response = api_client.get("/api/v1/products/999999/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_categories_list(api_client, db):
    CategoryFactory(slug="coffee-tea", name="Coffee & tea")
    CategoryFactory(slug="textiles", name="Textiles")
    body = api_client.get("/api/v1/categories/").json()
    assert {"slug": "coffee-tea", "name": "Coffee & tea"} in body


def test_product_list_query_count_is_constant(
    api_client, shop_a, shop_b, category, django_assert_max_num_queries
):
    ListingFactory.create_batch(2, shop=shop_a, category=category)
    with django_assert_max_num_queries(6) as few:
        api_client.get("/api/v1/products/")
    ListingFactory.create_batch(20, shop=shop_b, category=CategoryFactory(slug="crafts"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api_client.get("/api/v1/products/").json()["results"]) == 22


def test_openapi_schema_and_docs(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/products/" in text and "/api/v1/auth/register/" in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.content.decode()


def test_owner_uploads_and_removes_images_over_the_api(api_client, seller_a, category):
    from tests.marketplace.conftest import png_upload

    item = ListingFactory(shop=seller_a.shop, category=category)
    client = auth(api_client, seller_a)
    response = client.post(f"/api/v1/products/{item.pk}/images/", {"image": png_upload()}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["thumbnail_url"].endswith(".webp")
    image_id = response.json()["id"]
    assert len(client.get(f"/api/v1/products/{item.pk}/").json()["images"]) == 1
    assert client.delete(f"/api/v1/products/{item.pk}/images/{image_id}/").status_code == 204
    assert item.images.count() == 0


def test_image_upload_refuses_text_and_other_sellers(api_client, seller_a, seller_b, listing_b, category):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = ListingFactory(shop=seller_a.shop, category=category)
    client = auth(api_client, seller_a)
    fake = SimpleUploadedFile("photo.jpg", b"plain text, not an image", content_type="image/jpeg")
    response = client.post(f"/api/v1/products/{item.pk}/images/", {"image": fake}, format="multipart")
    assert response.status_code == 400
    assert "is not an image we can read" in response.json()["image"][0]
    from tests.marketplace.conftest import png_upload

    response = client.post(
        f"/api/v1/products/{listing_b.pk}/images/", {"image": png_upload()}, format="multipart"
    )
    assert response.status_code == 403
    assert listing_b.images.count() == 0 and item.images.count() == 0


def test_schema_documents_errors_and_typed_filters(client, db):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    create = schema["paths"]["/api/v1/products/"]["post"]["responses"]
    assert {"201", "400", "401", "403"} <= set(create)
    assert create["400"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Error"
    assert "404" in schema["paths"]["/api/v1/products/{id}/"]["get"]["responses"]
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/products/"]["get"]["parameters"]}
    assert params["ordering"]["enum"] == ["relevance", "-created", "price", "-price"]
    assert params["in_stock"]["type"] == "boolean"
    assert params["origin_country"]["pattern"] == "^[A-Za-z]{2}$"
