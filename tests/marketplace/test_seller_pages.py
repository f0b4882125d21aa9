"""Sellers in the browser: sign-up, shop profile, listings, images, and what others may not touch."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.models import Listing, ListingImage, Role, Shop, User
from tests.marketplace.conftest import png_upload
from tests.marketplace.factories import ListingFactory

pytestmark = pytest.mark.django_db


def listing_post(cat, **overrides):
    data = {
        "title": "Batik shirt",
        "description": "Hand-drawn batik",
        "category": cat.pk,
        "price_amount": "45.00",
        "stock": "12",
        "weight_kg": "0.300",
        "length_cm": "30",
        "width_cm": "25",
        "height_cm": "3",
        "hs_code": "610910",
        "origin_country": "MY",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_signup_as_seller_opens_a_shop_and_logs_in(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "siti",
            "email": "siti@example.org",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
            "role": "seller",
            "country": "MY",
            "shop_name": "Siti Batik",
            "currency": "MYR",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="siti")
    assert user.role == Role.SELLER
    assert user.shop.name == "Siti Batik" and user.shop.currency == "MYR" and user.shop.country == "MY"
    assert client.get(reverse("seller-listings")).status_code == 200


def test_signup_as_seller_without_shop_name_is_a_form_error_and_writes_nothing(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "siti",
            "email": "siti@example.org",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
            "role": "seller",
            "country": "MY",
            "currency": "MYR",
        },
    )
    assert response.status_code == 200
    assert "A seller must name their shop." in response.content.decode()
    assert not User.objects.filter(username="siti").exists()


def test_signup_as_buyer_login_logout(client):
    client.post(
        reverse("signup"),
        {
            "username": "amina",
            "email": "amina@example.org",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
            "role": "buyer",
            "country": "KE",
        },
    )
    user = User.objects.get(username="amina")
    assert user.role == Role.BUYER and not Shop.objects.filter(owner=user).exists()
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("login"), {"username": "amina", "password": "a-long-pass-2026"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_password_reset_sends_an_email_with_a_working_link(client, buyer):
    response = client.post(reverse("password_reset"), {"email": buyer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/accounts/reset/") :].strip()
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "brand-new-pass-9", "new_password2": "brand-new-pass-9"}
    )
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert buyer.check_password("brand-new-pass-9")


def test_seller_creates_a_listing_with_an_image_and_thumbnail(client, seller_a, category):
    client.force_login(seller_a)
    data = listing_post(category)
    data["images"] = [png_upload("front.png", (1200, 900)), png_upload("back.jpg", (300, 300), fmt="JPEG")]
    response = client.post(reverse("seller-listing-create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    listing = Listing.objects.get(title="Batik shirt")
    assert listing.shop == seller_a.shop
    assert listing.currency == "MYR"
    assert listing.price_amount == Decimal("45.00")
    images = list(listing.images.all())
    assert len(images) == 2
    assert images[0].width == 1200
    assert images[0].thumbnail.name.endswith(".webp")
    from PIL import Image

    with Image.open(images[0].thumbnail.path) as thumb:
        assert max(thumb.size) <= 400


def test_origin_country_defaults_to_the_shop_country(client, seller_a, category):
    client.force_login(seller_a)
    page = client.get(reverse("seller-listing-create")).content.decode()
    assert '<option value="MY" selected>' in page


def test_my_listings_shows_stock_and_status(client, seller_a, category):
    ListingFactory(shop=seller_a.shop, category=category, title="Kaftan", stock=0, is_active=False)
    client.force_login(seller_a)
    page = client.get(reverse("seller-listings")).content.decode()
    assert "Kaftan" in page and "Unpublished" in page and "sold out" in page


def test_my_listings_empty_state(client, seller_a):
    client.force_login(seller_a)
    assert "You have not listed anything yet." in client.get(reverse("seller-listings")).content.decode()


def test_seller_edits_unpublishes_and_deletes_own_listing(client, seller_a, category):
    listing = ListingFactory(shop=seller_a.shop, category=category, title="Kaftan")
    client.force_login(seller_a)
    data = listing_post(category, title="Kaftan dress", stock="3")
    data["images"] = [png_upload("front.png", (400, 400))]  # published: a photo is needed (issue 20)
    response = client.post(reverse("seller-listing-edit", args=[listing.pk]), data)
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.title == "Kaftan dress" and listing.stock == 3

    client.post(reverse("seller-listing-publish", args=[listing.pk]), {"publish": "0"})
    listing.refresh_from_db()
    assert listing.is_active is False
    # An unpublished listing is hidden from everyone else.
    client.logout()
    assert client.get(listing.get_absolute_url()).status_code == 404
    client.force_login(seller_a)
    assert client.get(listing.get_absolute_url()).status_code == 200

    confirm = client.get(reverse("seller-listing-delete", args=[listing.pk]))
    assert "cannot be undone" in confirm.content.decode()
    client.post(reverse("seller-listing-delete", args=[listing.pk]))
    assert not Listing.objects.filter(pk=listing.pk).exists()


def test_seller_edits_shop_profile(client, seller_a):
    client.force_login(seller_a)
    response = client.post(
        reverse("seller-shop"),
        {"name": "Batik KL Studio", "country": "MY", "currency": "MYR", "description": "Since 1998"},
    )
    assert response.status_code == 302
    seller_a.shop.refresh_from_db()
    assert seller_a.shop.name == "Batik KL Studio" and seller_a.shop.description == "Since 1998"


def test_shop_currency_is_fixed_while_listings_exist(client, seller_a, category):
    ListingFactory(shop=seller_a.shop, category=category)
    client.force_login(seller_a)
    response = client.post(
        reverse("seller-shop"), {"name": "Batik KL", "country": "MY", "currency": "EUR", "description": ""}
    )
    assert response.status_code == 200
    assert "currency cannot change" in response.content.decode()
    seller_a.shop.refresh_from_db()
    assert seller_a.shop.currency == "MYR"


# --- object permissions -----------------------------------------------------------------------


def test_seller_cannot_see_edit_update_or_delete_another_sellers_listing(
    client, seller_a, listing_b, category
):
    client.force_login(seller_a)
    assert client.get(reverse("seller-listing-edit", args=[listing_b.pk])).status_code == 404
    response = client.post(
        reverse("seller-listing-edit", args=[listing_b.pk]), listing_post(category, title="Hacked")
    )
    assert response.status_code == 404
    assert (
        client.post(reverse("seller-listing-publish", args=[listing_b.pk]), {"publish": "0"}).status_code
        == 404
    )
    assert client.get(reverse("seller-listing-delete", args=[listing_b.pk])).status_code == 404
    assert client.post(reverse("seller-listing-delete", args=[listing_b.pk])).status_code == 404
    listing_b.refresh_from_db()
    assert listing_b.title == "Peace basket" and listing_b.is_active


def test_seller_cannot_delete_another_sellers_image(client, seller_a, seller_b, listing_b):
    from marketplace.services import listings as services

    image = services.listing_image_add(listing=listing_b, actor=seller_b, upload=png_upload())
    client.force_login(seller_a)
    url = reverse("seller-listing-image-delete", args=[listing_b.pk, image.pk])
    assert client.post(url).status_code == 404
    assert ListingImage.objects.filter(pk=image.pk).exists()


def test_buyer_cannot_create_listings(client, buyer, category):
    client.force_login(buyer)
    assert client.get(reverse("seller-listing-create")).status_code == 403
    response = client.post(reverse("seller-listing-create"), listing_post(category))
    assert response.status_code == 403
    assert "Only sellers" in response.content.decode()
    assert Listing.objects.count() == 0


def test_anonymous_users_are_sent_to_login_and_write_nothing(client, listing_b, category):
    for name, args in [
        ("seller-listings", []),
        ("seller-listing-create", []),
        ("seller-listing-edit", [listing_b.pk]),
        ("seller-listing-delete", [listing_b.pk]),
    ]:
        response = client.post(reverse(name, args=args), listing_post(category, title="Anon"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    listing_b.refresh_from_db()
    assert listing_b.title == "Peace basket"
    assert Listing.objects.count() == 1


# --- bad input: form errors, nothing written ---------------------------------------------------

BAD_FORM_INPUT = [
    ({"price_amount": "-5"}, "price_amount"),
    ({"price_amount": "0"}, "price_amount"),
    ({"price_amount": "45.1234"}, "price_amount"),
    ({"price_amount": "45.123"}, "price_amount"),  # MYR has 2 decimals
    ({"stock": "-1"}, "stock"),
    ({"category": "99999"}, "category"),
    ({"hs_code": "61091"}, "hs_code"),
    ({"hs_code": "ABCDEF"}, "hs_code"),
    ({"origin_country": "XX"}, "origin_country"),
    ({"title": "x" * 50_000}, "title"),
    ({"weight_kg": "0"}, "weight_kg"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_FORM_INPUT)
def test_bad_listing_input_is_a_form_error_and_nothing_is_written(
    client, seller_a, category, overrides, field
):
    client.force_login(seller_a)
    response = client.post(reverse("seller-listing-create"), listing_post(category, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert 'class="errorlist"' in response.content.decode()
    assert Listing.objects.count() == 0


def test_zero_decimal_currency_refuses_cents(client, seller_b, category):
    client.force_login(seller_b)
    response = client.post(reverse("seller-listing-create"), listing_post(category, price_amount="1500.50"))
    assert response.status_code == 200
    assert "RWF prices take at most 0 decimal places." in response.content.decode()
    assert Listing.objects.count() == 0


def test_six_megabyte_image_is_refused(client, seller_a, category):
    client.force_login(seller_a)
    big = SimpleUploadedFile(
        "huge.jpg", b"\xff\xd8\xff\xe0" + b"0" * (6 * 1024 * 1024), content_type="image/jpeg"
    )
    response = client.post(reverse("seller-listing-create"), {**listing_post(category), "images": [big]})
    assert response.status_code == 200
    assert "larger than 5 MB" in response.content.decode()
    assert Listing.objects.count() == 0 and ListingImage.objects.count() == 0


def test_text_file_renamed_jpg_is_refused(client, seller_a, category):
    client.force_login(seller_a)
    fake = SimpleUploadedFile(
        "photo.jpg", b"this is just text, not a picture\n" * 20, content_type="image/jpeg"
    )
    response = client.post(reverse("seller-listing-create"), {**listing_post(category), "images": [fake]})
    assert response.status_code == 200
    assert "is not an image we can read" in response.content.decode()
    assert Listing.objects.count() == 0


def test_image_over_4000_pixels_is_refused(client, seller_a, category):
    client.force_login(seller_a)
    response = client.post(
        reverse("seller-listing-create"),
        {**listing_post(category), "images": [png_upload("wide.png", (4001, 10))]},
    )
    assert response.status_code == 200
    assert "the limit is 4000×4000" in response.content.decode()
    assert Listing.objects.count() == 0


def test_more_than_five_images_is_refused(client, seller_a, category):
    client.force_login(seller_a)
    images = [png_upload(f"p{i}.png") for i in range(6)]
    response = client.post(reverse("seller-listing-create"), {**listing_post(category), "images": images})
    assert response.status_code == 200
    assert "at most 5 images" in response.content.decode()
    assert Listing.objects.count() == 0


# --- speed: constant queries ----------------------------------------------------------------------


def test_my_listings_query_count_does_not_grow_with_listings(
    client, seller_a, category, django_assert_max_num_queries
):
    from marketplace.services import listings as services

    client.force_login(seller_a)
    first = ListingFactory(shop=seller_a.shop, category=category)
    services.listing_image_add(listing=first, actor=seller_a, upload=png_upload())
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("seller-listings"))
    for _ in range(30):
        item = ListingFactory(shop=seller_a.shop, category=category)
        services.listing_image_add(listing=item, actor=seller_a, upload=png_upload())
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("seller-listings"))
    assert page.content.decode().count("<tr>") == 32  # header + 31 rows


def test_unknown_shop_currency_or_country_is_a_form_error(client, seller_a):
    client.force_login(seller_a)
    for data in (
        {"name": "Batik KL", "country": "MY", "currency": "XYZ", "description": ""},
        {"name": "Batik KL", "country": "XX", "currency": "MYR", "description": ""},
    ):
        response = client.post(reverse("seller-shop"), data)
        assert response.status_code == 200
        assert 'class="errorlist"' in response.content.decode()
    seller_a.shop.refresh_from_db()
    assert (seller_a.shop.currency, seller_a.shop.country) == ("MYR", "MY")


def test_edit_form_shows_the_price_as_the_currency_writes_it(client, seller_a, seller_b, category):
    myr = ListingFactory(shop=seller_a.shop, category=category, price_amount=Decimal("45.9"))
    client.force_login(seller_a)
    assert 'value="45.90"' in client.get(reverse("seller-listing-edit", args=[myr.pk])).content.decode()
    rwf = ListingFactory(shop=seller_b.shop, category=category, price_amount=Decimal("12000"))
    client.force_login(seller_b)
    assert 'value="12000"' in client.get(reverse("seller-listing-edit", args=[rwf.pk])).content.decode()
