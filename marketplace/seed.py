"""Demo data for the marketplace: accounts for every role, shops in many countries,
categories and 200+ listings. Idempotent: rows are found by natural keys and never
duplicated, so running `seed_demo` twice changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from marketplace.catalog_cache import catalog_changed
from marketplace.models import Category, Listing, Role, Shop, User

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - documented demo credential

CATEGORIES = [
    # slug, name, HS code used for goods in it
    ("textiles", "Textiles & clothing", "610910"),
    ("coffee-tea", "Coffee & tea", "090121"),
    ("beauty", "Beauty & skin care", "330499"),
    ("crafts", "Handicrafts & home", "442090"),
    ("electronics", "Phones & electronics", "851762"),
    ("food", "Food & spices", "091099"),
    ("jewellery", "Jewellery & accessories", "711719"),
    ("leather", "Leather goods", "420221"),
]

# username, shop name, country, currency, city blurb, category slugs, product nouns
SHOPS = [
    (
        "seller-cn",
        "Hangzhou Silk Co.",
        "CN",
        "CNY",
        "Hangzhou",
        ["textiles", "crafts"],
        ["silk scarf", "silk pyjamas", "embroidered cushion cover", "silk eye mask", "tea-dyed table runner"],
    ),
    (
        "seller-cn2",
        "Shenzhen Maker Electronics",
        "CN",
        "CNY",
        "Shenzhen",
        ["electronics"],
        ["USB-C power bank", "Bluetooth earbuds", "solar phone charger", "smart LED bulb", "feature phone"],
    ),
    (
        "seller-my",
        "Batik Kuala Lumpur",
        "MY",
        "MYR",
        "Kuala Lumpur",
        ["textiles", "beauty"],
        ["batik sarong", "batik shirt", "kaftan dress", "coconut oil soap", "pandan body lotion"],
    ),
    (
        "seller-ke",
        "Nairobi Roasters",
        "KE",
        "KES",
        "Nairobi",
        ["coffee-tea", "food"],
        ["AA coffee beans", "Kenyan black tea", "macadamia nuts", "coffee cherry tea", "peri-peri spice mix"],
    ),
    (
        "seller-ke2",
        "Maasai Market Crafts",
        "KE",
        "KES",
        "Nairobi",
        ["jewellery", "crafts"],
        ["beaded bracelet", "beaded necklace", "soapstone bowl", "kiondo basket", "wooden salad servers"],
    ),
    (
        "seller-rw",
        "Kigali Weavers Cooperative",
        "RW",
        "RWF",
        "Kigali",
        ["crafts", "coffee-tea"],
        [
            "agaseke peace basket",
            "sisal wall bowl",
            "Rwanda bourbon coffee",
            "banana-leaf card set",
            "woven placemats",
        ],
    ),
    (
        "seller-th",
        "Chiang Mai Artisans",
        "TH",
        "THB",
        "Chiang Mai",
        ["crafts", "textiles", "beauty"],
        [
            "celadon tea cup",
            "hill-tribe cotton bag",
            "elephant pants",
            "jasmine rice soap",
            "lemongrass essential oil",
        ],
    ),
    (
        "seller-et",
        "Addis Leather & Coffee",
        "ET",
        "ETB",
        "Addis Ababa",
        ["leather", "coffee-tea"],
        [
            "leather messenger bag",
            "leather wallet",
            "Yirgacheffe coffee beans",
            "jebena coffee pot",
            "leather sandals",
        ],
    ),
    (
        "seller-be",
        "Liège Chocolatiers",
        "BE",
        "EUR",
        "Liège",
        ["food"],
        ["praline assortment", "dark chocolate bar", "speculoos biscuits", "waffle mix", "chocolate spread"],
    ),
    (
        "seller-vn",
        "Hoi An Lantern House",
        "VN",
        "VND",
        "Hoi An",
        ["crafts", "textiles"],
        ["silk lantern", "bamboo lamp", "ao dai tunic", "lacquer box", "embroidered pillow"],
    ),
]

QUALIFIERS = ["", "Handmade ", "Organic ", "Premium ", "Classic "]
VARIANTS = ["", " — small", " — large", " (gift set)", " — indigo", " — natural"]

# Believable base prices in each currency (minor units respected: RWF and VND have none).
BASE_PRICE = {
    "CNY": Decimal("58.00"),
    "MYR": Decimal("39.90"),
    "KES": Decimal("1290.00"),
    "RWF": Decimal("12000"),
    "THB": Decimal("390.00"),
    "ETB": Decimal("1450.00"),
    "EUR": Decimal("12.50"),
    "VND": Decimal("250000"),
}

DEMO_USERS = [
    ("buyer-ke", "KE", "KES"),
    ("buyer-be", "BE", "EUR"),
    ("buyer-my", "MY", "MYR"),
]


def _factor(key: str) -> Decimal:
    """A stable pseudo-random factor in [0.6, 2.5] from a key, so seeding is deterministic."""
    n = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)
    return Decimal(60 + n % 190) / Decimal(100)


def _user(username: str, *, role: str, country: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"role": role, "country": country, "email": f"{username}@demo.ewtp.localhost", **extra},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_marketplace(log: Callable[[str], None]) -> None:
    _user("operator", role=Role.OPERATOR, country="CN", is_staff=True, is_superuser=True)
    for username, country, currency in DEMO_USERS:
        _user(username, role=Role.BUYER, country=country, display_currency=currency)

    categories = {}
    for position, (slug, name, _hs) in enumerate(CATEGORIES):
        categories[slug], _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    hs_by_category = {slug: hs for slug, _name, hs in CATEGORIES}

    created = 0
    for username, shop_name, country, currency, city, cat_slugs, nouns in SHOPS:
        owner = _user(username, role=Role.SELLER, country=country)
        shop, _ = Shop.objects.get_or_create(
            owner=owner,
            defaults={
                "name": shop_name,
                # ASCII like every shop slug (`be-liege`, not `be-liège`): URLs and `?shop=` take no other.
                "slug": slugify(username.removeprefix("seller-") + "-" + shop_name.split()[0]),
                "country": country,
                "currency": currency,
                "description": f"A small business in {city} selling to buyers worldwide through eWTP.",
                "is_verified": True,
            },
        )
        existing = set(shop.listings.values_list("title", flat=True))
        new_rows = []
        for i, noun in enumerate(nouns):
            cat_slug = cat_slugs[i % len(cat_slugs)]
            for q in QUALIFIERS:
                for v in VARIANTS[: 1 + (i % 3)]:
                    title = f"{q}{noun}{v}".strip()
                    title = title[0].upper() + title[1:]
                    if title in existing:
                        continue
                    factor = _factor(f"{shop_name}/{title}")
                    price = (BASE_PRICE[currency] * factor).quantize(
                        Decimal(1) if currency in ("RWF", "VND") else Decimal("0.01")
                    )
                    new_rows.append(
                        Listing(
                            shop=shop,
                            title=title,
                            description=(
                                f"{title} from {city}, made by {shop_name}. "
                                f"Packed for international shipping through the eWTP e-hub network."
                            ),
                            category=categories[cat_slug],
                            price_amount=price,
                            currency=currency,
                            stock=int(factor * 40) % 60,
                            weight_kg=(Decimal("0.15") * factor).quantize(Decimal("0.001")),
                            length_cm=Decimal("25.0"),
                            width_cm=Decimal("20.0"),
                            height_cm=(Decimal("4") * factor).quantize(Decimal("0.1")),
                            hs_code=hs_by_category[cat_slug],
                            origin_country=country,
                        )
                    )
                    existing.add(title)
        Listing.objects.bulk_create(new_rows)
        created += len(new_rows)
    if created:
        catalog_changed()  # bulk_create sends no signals
    log(
        f"marketplace: {Shop.objects.count()} shops, {Category.objects.count()} categories, "
        f"{Listing.objects.count()} listings ({created} new)"
    )
