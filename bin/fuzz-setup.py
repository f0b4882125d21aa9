"""Data for bin/fuzz-api: the e-hub network, exchange rates, a few categories, a buyer and two
sellers with listings; prints the buyer's and the first seller's API tokens as JSON.

Run against the fuzz database only (`DATABASE_URL`): it creates accounts with random passwords.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ewtp.test_settings")

import django  # noqa: E402

django.setup()

from rest_framework.authtoken.models import Token  # noqa: E402

from logistics.demo.network import seed_network  # noqa: E402
from marketplace.demo.rates import seed_exchange_rates  # noqa: E402
from marketplace.models import Category, User  # noqa: E402
from marketplace.services.accounts import user_register  # noqa: E402
from marketplace.services.listings import listing_create  # noqa: E402

CATEGORIES = {"textiles": "Textiles", "coffee-tea": "Coffee & tea", "crafts": "Crafts"}


def account(username: str, **fields) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_register(
            username=username,
            email=f"{username}@fuzz.ewtp.localhost",
            password=secrets.token_urlsafe(24),
            **fields,
        )
    return user


def main() -> None:
    seed_network(lambda message: None)
    seed_exchange_rates()
    categories = {
        slug: Category.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in CATEGORIES.items()
    }
    buyer = account("fuzz-buyer", role="buyer", country="KE")
    seller = account("fuzz-seller", role="seller", country="MY", shop_name="Fuzz Batik", currency="MYR")
    other = account("fuzz-other", role="seller", country="RW", shop_name="Fuzz Baskets", currency="RWF")
    for owner, price in ((seller, "45.00"), (other, "12000")):
        if owner.shop.listings.exists():
            continue
        for number, category in enumerate(categories.values()):
            listing_create(
                actor=owner,
                title=f"{owner.shop.name} item {number}",
                description="Made for the fuzzer",
                category=category,
                price_amount=Decimal(price),
                stock=number,
                weight_kg=Decimal("0.500"),
                hs_code="610910",
                is_active=number != 2,  # one unpublished listing each
            )
    tokens = {
        name: Token.objects.get_or_create(user=user)[0].key
        for name, user in (("buyer", buyer), ("seller", seller))
    }
    print(json.dumps(tokens))


if __name__ == "__main__":
    main()
