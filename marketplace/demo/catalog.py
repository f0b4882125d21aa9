"""Demo data for the marketplace: accounts for every role, shops in many countries,
categories and 200+ listings, written through the services (so caches move as for any write).
Idempotent: rows are found by natural keys and never duplicated, so running `seed_demo` twice
changes nothing.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from decimal import Decimal
from itertools import zip_longest

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from marketplace.models import BadgeClaim, Category, Listing, ListingImage, Role, Shop, User
from marketplace.search_words import category_names
from marketplace.services.accounts import user_ensure
from marketplace.services.badges import badge_decide
from marketplace.services.catalog import category_ensure
from marketplace.services.listings import listing_images_bulk_create, listings_bulk_create
from marketplace.services.shops import shop_create, shop_set_verified

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

# Demo shops verified as women-owned or youth-led (issue 20): the home page features them and
# the catalogue filters by them.
DEMO_BADGES = {
    "seller-ke2": ["women_owned"],
    "seller-rw": ["women_owned"],
    "seller-my": ["youth_led"],
    "seller-th": ["youth_led", "women_owned"],
}

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
        "seller-id",
        "Bali Rattan Works",
        "ID",
        "IDR",
        "Denpasar",
        ["crafts", "coffee-tea"],
        ["rattan shoulder bag", "teak salad bowl", "Kintamani coffee", "seagrass basket", "batik tote bag"],
    ),
]

QUALIFIERS = ["", "Handmade ", "Organic ", "Premium ", "Classic "]
VARIANTS = ["", " — small", " — large", " (gift set)", " — indigo", " — natural"]

# Believable base prices in each currency (RWF has no minor unit; IDR is priced in whole rupiah).
BASE_PRICE = {
    "CNY": Decimal("58.00"),
    "MYR": Decimal("39.90"),
    "KES": Decimal("1290.00"),
    "RWF": Decimal("12000"),
    "THB": Decimal("390.00"),
    "ETB": Decimal("1450.00"),
    "EUR": Decimal("12.50"),
    "IDR": Decimal("185000"),
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
    return user_ensure(
        username=username,
        password=DEMO_PASSWORD,
        role=role,
        country=country,
        email=f"{username}@demo.ewtp.localhost",
        **extra,
    )


@transaction.atomic
def seed_marketplace(log: Callable[[str], None]) -> None:
    categories = {
        slug: category_ensure(slug=slug, name=name, position=position, names=category_names().get(slug))
        for position, (slug, name, _hs) in enumerate(CATEGORIES)
    }
    if not settings.EWTP_DEMO_ACCOUNTS:
        # Production-like: no account with a published password, no pretend shops or goods.
        log("DEBUG is off: categories only; no demo accounts, shops or listings")
        return
    operator = _user("operator", role=Role.OPERATOR, country="CN", is_staff=True, is_superuser=True)
    for username, country, currency in DEMO_USERS:
        _user(username, role=Role.BUYER, country=country, display_currency=currency)
    hs_by_category = {slug: hs for slug, _name, hs in CATEGORIES}

    per_shop: list[list[Listing]] = []
    for username, shop_name, country, currency, city, cat_slugs, nouns in SHOPS:
        owner = _user(username, role=Role.SELLER, country=country)
        shop = Shop.objects.filter(owner=owner).first()
        if shop is None:
            shop = shop_create(
                owner=owner,
                name=shop_name,
                # ASCII like every shop slug (`be-liege`, not `be-liège`): URLs and `?shop=` take no other.
                slug=slugify(username.removeprefix("seller-") + "-" + shop_name.split()[0]),
                country=country,
                currency=currency,
                description=f"A small business in {city} selling to buyers worldwide through eWTP.",
                address_line1="1 Market Street (demo address)",
                address_city=city,
            )
            shop_set_verified(shops=Shop.objects.filter(pk=shop.pk), verified=True)
        for badge in DEMO_BADGES.get(username, []):
            if not shop.badge_claims.filter(badge=badge).exists():
                claim = BadgeClaim.objects.create(
                    shop=shop, badge=badge, statement="Demo shop: checked when the demo was seeded."
                )
                badge_decide(claim=claim, operator=operator, verified=True, note="Demo data")
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
                        Decimal(1) if currency in ("RWF", "IDR") else Decimal("0.01")
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
        per_shop.append(new_rows)
    # Interleave the shops so the newest listings on the home page come from many countries.
    mixed = [row for batch in zip_longest(*per_shop) for row in batch if row is not None]
    created = len(listings_bulk_create(listings=mixed))
    pictured = _picture_listings()
    log(
        f"marketplace: {Shop.objects.count()} shops, {Category.objects.count()} categories, "
        f"{Listing.objects.count()} listings ({created} new, {pictured} pictures drawn)"
    )


CATEGORY_COLOURS = {
    "textiles": (122, 46, 88),
    "coffee-tea": (94, 60, 36),
    "beauty": (176, 92, 120),
    "crafts": (160, 104, 40),
    "electronics": (40, 72, 120),
    "food": (150, 60, 40),
    "jewellery": (30, 110, 100),
    "leather": (110, 70, 40),
}


def _draw_picture(product: str, caption: str, colour: tuple[int, int, int]) -> tuple[bytes, bytes]:
    """A plain demo picture (JPEG) and its thumbnail (WebP): the product's name on its category's
    colour. Drawn locally so the demo needs no downloads."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (480, 480), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([28, 28, 452, 452], outline=(255, 255, 255), width=4)
    words, lines = product.split(), [""]
    for word in words:  # wrap at ~16 characters
        if lines[-1] and len(lines[-1]) + len(word) > 16:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    font = ImageFont.load_default(size=38)
    small = ImageFont.load_default(size=20)
    top = 230 - 24 * (len(lines) - 1)
    for i, line in enumerate(lines):
        draw.text((240, top + 48 * i), line, fill="white", anchor="mm", font=font)
    draw.text((240, 415), caption[:32], fill=(235, 235, 235), anchor="mm", font=small)
    full, thumb = io.BytesIO(), io.BytesIO()
    image.save(full, format="JPEG", quality=82)
    image.thumbnail((400, 400))
    image.save(thumb, format="WEBP", quality=80)
    return full.getvalue(), thumb.getvalue()


def _picture_listings() -> int:
    """Give every demo listing without an image one picture; one drawing per product and shop."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    bare = (
        Listing.objects.filter(images__isnull=True, shop__owner__username__in=[row[0] for row in SHOPS])
        .select_related("shop", "category")
        .order_by("id")
    )
    drawings: dict[tuple[int, str], tuple[bytes, bytes]] = {}
    images = []
    for listing in bare:
        product = listing.title.split(" — ")[0].split(" (")[0]
        for qualifier in QUALIFIERS:
            if qualifier and product.startswith(qualifier):
                product = product[len(qualifier) :]
        product = product[0].upper() + product[1:]
        key = (listing.shop_id, product)
        if key not in drawings:
            colour = CATEGORY_COLOURS.get(listing.category.slug, (11, 110, 79))
            drawings[key] = _draw_picture(product, listing.shop.name, colour)
        full, thumb = drawings[key]
        folder = f"listings/{listing.pk}"
        images.append(
            ListingImage(
                listing=listing,
                position=0,
                image=default_storage.save(f"{folder}/demo-{listing.pk}.jpg", ContentFile(full)),
                thumbnail=default_storage.save(f"{folder}/thumb-demo-{listing.pk}.webp", ContentFile(thumb)),
                width=480,
                height=480,
            )
        )
    return len(listing_images_bulk_create(images=images))
