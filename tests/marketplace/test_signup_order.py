"""Sign-up in the right order (issue 20): buyer or seller first, the shop's fields only for a
seller (hidden by CSS until "sell" is chosen, no JavaScript), the shop's currency preset from the
country."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from marketplace.models import Shop, User

pytestmark = pytest.mark.django_db


def seller(**overrides) -> dict:
    data = {
        "username": "wanjiru",
        "email": "wanjiru@example.org",
        "password1": "a-long-pass-2026",
        "password2": "a-long-pass-2026",
        "role": "seller",
        "country": "KE",
        "shop_name": "Wanjiru Weaves",
    }
    data.update(overrides)
    return data


def test_the_form_asks_buyer_or_seller_first_and_groups_the_shop(client):
    page = client.get(reverse("signup")).content.decode()
    assert page.index('name="role"') < page.index('name="username"') < page.index('name="password1"')
    shop = page[page.index('<fieldset class="shop-fields">') :]
    assert 'name="shop_name"' in shop and 'name="currency"' in shop
    css = (Path(settings.BASE_DIR) / "static" / "css" / "ewtp.css").read_text()
    assert '.signup:not(:has(input[name="role"][value="seller"]:checked))' in css  # hidden till "sell"


def test_a_sellers_shop_currency_follows_the_country_unless_chosen(client):
    assert client.post(reverse("signup"), seller()).status_code == 302
    assert User.objects.get(username="wanjiru").shop.currency == "KES"
    client.logout()
    response = client.post(
        reverse("signup"), seller(username="amina", email="amina@example.org", currency="USD")
    )
    assert response.status_code == 302
    assert User.objects.get(username="amina").shop.currency == "USD"


def test_a_buyer_needs_no_shop(client):
    data = seller(role="buyer", shop_name="")
    assert client.post(reverse("signup"), data).status_code == 302
    user = User.objects.get(username="wanjiru")
    assert user.role == "buyer" and not Shop.objects.filter(owner=user).exists()
