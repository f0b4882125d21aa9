"""An integrator's view: a Python client generated with openapi-python-client from the live
server's `/api/schema/`, and a seller's and a buyer's flow through that client alone (issue 8).

The generator runs offline (it reads the schema file and writes Python; `post_hooks: []` so it does
not even need ruff on PATH). Every generated module must import; every answer must parse into the
generated models (`raise_on_unexpected_status`: an undocumented status fails the test).
"""

from __future__ import annotations

import importlib
import io
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from PIL import Image

from logistics.demo.network import seed_network
from marketplace.demo.rates import seed_exchange_rates
from tests.marketplace.factories import CategoryFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]  # generates a client

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGE = "ewtp_generated_client"
PASSWORD = "a-long-pass-2026"


@pytest.fixture
def generated(live_server, tmp_path, monkeypatch):
    """The client package generated from the live schema, imported, with every module loaded."""
    response = httpx.get(
        f"{live_server.url}/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}, timeout=60
    )
    assert response.status_code == 200
    schema = response.json()
    (tmp_path / "schema.json").write_text(json.dumps(schema))
    # The parcel's papers are PDFs: the generator reads them as bytes (its own content-type override).
    (tmp_path / "config.yaml").write_text(
        "post_hooks: []\ncontent_type_overrides:\n  application/pdf: application/octet-stream\n"
    )
    result = subprocess.run(  # noqa: S603 (our own virtualenv's generator, fixed arguments)
        [
            str(GENERATOR),
            "generate",
            "--path",
            "schema.json",
            "--output-path",
            PACKAGE,
            "--meta",
            "none",
            "--config",
            "config.yaml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The generator warns when it has to drop a response or a model it cannot type.
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    package = importlib.import_module(PACKAGE)
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{PACKAGE}.")
    ]
    assert len(modules) > 40  # every operation and model module imported
    yield package
    for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def api(name: str):
    return importlib.import_module(f"{PACKAGE}.api.v1.{name}")


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_generated_client_runs_a_seller_and_a_buyer_flow(generated, live_server):
    from ewtp_generated_client.client import AuthenticatedClient, Client
    from ewtp_generated_client.models import (
        CountryEnum,
        DisplayPrice,
        Error,
        FieldErrors,
        ImageUploadRequest,
        ListingImage,
        PaginatedProductList,
        PatchedProductRequest,
        PreferenceEnum,
        Product,
        ProductRequest,
        Quote,
        RegisteredShop,
        RegisteredUser,
        RegisterRequest,
        RoleEnum,
        ShippingQuoteRequest,
        Token,
        TokenRequestRequest,
    )
    from ewtp_generated_client.types import File

    CategoryFactory(slug="textiles", name="Textiles")
    seed_network(lambda message: None)
    seed_exchange_rates()
    anonymous = Client(base_url=live_server.url, raise_on_unexpected_status=True)

    def sign_up(**fields) -> AuthenticatedClient:
        registered = api("v1_auth_register_create").sync(client=anonymous, body=RegisterRequest(**fields))
        assert isinstance(registered, RegisteredUser), registered
        token = api("v1_auth_token_create").sync(
            client=anonymous, body=TokenRequestRequest(username=fields["username"], password=PASSWORD)
        )
        assert isinstance(token, Token) and token.token == registered.token
        return registered, AuthenticatedClient(
            base_url=live_server.url, token=token.token, prefix="Token", raise_on_unexpected_status=True
        )

    # A weak password is a typed field error.
    weak = api("v1_auth_register_create").sync(
        client=anonymous,
        body=RegisterRequest(
            username="weak",
            email="weak@example.org",
            password="12345678",
            role=RoleEnum.BUYER,
            country=CountryEnum.KE,
        ),
    )
    assert isinstance(weak, Error) and weak["password"]

    # The seller: register with a shop, list an unpublished product, add a photo, change the stock.
    registered, seller = sign_up(
        username="siti",
        email="siti@example.org",
        password=PASSWORD,
        role=RoleEnum.SELLER,
        country=CountryEnum.MY,
        shop_name="Siti Batik",
        currency="MYR",
    )
    assert isinstance(registered.shop, RegisteredShop) and registered.shop.currency == "MYR"
    created = api("v1_products_create").sync(
        client=seller,
        body=ProductRequest(
            title="Batik shirt",
            description="Hand-drawn batik",
            category="textiles",
            price="45.00",
            stock=3,
            weight_kg="0.300",
            hs_code="610910",
            is_active=False,
        ),
    )
    assert isinstance(created, Product), created
    assert created.currency == "MYR" and created.is_active is False

    image = api("v1_products_images_create").sync(
        created.id,
        client=seller,
        body=ImageUploadRequest(
            image=File(payload=io.BytesIO(png()), file_name="photo.png", mime_type="image/png")
        ),
    )
    assert isinstance(image, ListingImage), image
    assert (image.width, image.height) == (64, 48)

    patched = api("v1_products_partial_update").sync(
        created.id, client=seller, body=PatchedProductRequest(stock=7)
    )
    assert isinstance(patched, Product), patched
    assert patched.stock == 7
    assert patched.is_active is False  # the PATCH sent no default `is_active: true`
    published = api("v1_products_partial_update").sync(
        created.id, client=seller, body=PatchedProductRequest(is_active=True)
    )
    assert published.is_active is True and published.stock == 7 and len(published.images) == 1

    # The buyer: register, search in their currency, quote the shipping.
    _, buyer = sign_up(
        username="amina",
        email="amina@example.org",
        password=PASSWORD,
        role=RoleEnum.BUYER,
        country=CountryEnum.KE,
    )
    found = api("v1_products_list").sync(client=buyer, search="batik", currency="KES")
    assert isinstance(found, PaginatedProductList), found
    assert [product.id for product in found.results] == [created.id]
    price = found.results[0].display_price
    assert isinstance(price, DisplayPrice) and price.currency == "KES" and float(price.amount) > 0
    plain = api("v1_products_list").sync(client=buyer, search="batik")
    assert not isinstance(plain.results[0].display_price, DisplayPrice)  # only when a currency is asked

    quote = api("v1_shipping_quotes_create").sync(
        client=buyer,
        body=ShippingQuoteRequest(
            origin_country="MY",
            destination_country="KE",
            weight_kg="0.300",
            dimensions_cm=["30.0", "20.0", "5.0"],
            preference=PreferenceEnum.FASTEST,
        ),
    )
    assert isinstance(quote, Quote), quote
    assert quote.preference == PreferenceEnum.FASTEST and quote.legs

    # A 400 surfaces as a typed error object, nested field errors included.
    refused = api("v1_shipping_quotes_create").sync(
        client=buyer,
        body=ShippingQuoteRequest(
            origin_country="MY",
            destination_country="KE",
            weight_kg="0.300",
            dimensions_cm=["deep", "20.0", "5.0"],
        ),
    )
    assert isinstance(refused, Error), refused
    per_item = refused["dimensions_cm"]
    assert isinstance(per_item, FieldErrors) and per_item["0"] == ["A valid number is required."]
