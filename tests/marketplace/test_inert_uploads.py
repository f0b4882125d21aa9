"""Issue 8, stored script through an upload: a valid 10×10 GIF named `poly.html` with a `<script>`
in its comment was stored under that name and served from our own origin as text/html.

Uploaded images are now re-encoded by Pillow (pixels only), stored under a name the server
chooses with the extension of the detected format, and served as images only, with `nosniff`
and a sandboxing policy. The real-browser check is `tests/browser/test_inert_uploads.py`."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from marketplace.models import Listing, ListingImage
from marketplace.services.listings import listing_image_add
from tests.marketplace.api_helpers import auth
from tests.marketplace.factories import ListingFactory
from tests.marketplace.test_seller_pages import listing_post

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>document.title='pwned';window.pwned=1</script>"
ACTIVE_NAMES = ["poly.html", "poly.svg", "poly.xhtml", "poly.js", "poly.htm", "poly.png.html", "poly"]


def polyglot_gif(comment: bytes = SCRIPT) -> bytes:
    """A valid 10×10 GIF whose comment block holds a script: HTML to a browser that sniffs."""
    buffer = io.BytesIO()
    Image.new("P", (10, 10), 3).save(buffer, format="GIF", comment=comment)
    data = buffer.getvalue()
    assert comment in data
    return data


def upload(name: str, data: bytes, content_type: str = "text/html") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def media_get(client, image: ListingImage):
    response = client.get(image.image.url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def assert_served_inert(response, content_type: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == "inline"


def assert_stored_clean(image: ListingImage, extension: str = ".png") -> bytes:
    name = image.image.name.rsplit("/", 1)[-1]
    assert name.endswith(extension) and name.count(".") == 1, name
    assert "poly" not in image.image.name and "html" not in image.image.name
    assert "poly" not in image.thumbnail.name and image.thumbnail.name.endswith(".webp")
    data = image.image.read()
    image.image.close()
    assert b"<script" not in data.lower() and b"pwned" not in data
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == {".png": "PNG", ".jpg": "JPEG", ".webp": "WEBP"}[extension]
        assert stored.size == (10, 10)
    return data


def test_polyglot_gif_through_the_seller_page_is_stored_as_a_clean_png_and_served_inert(
    client, seller_a, category
):
    client.force_login(seller_a)
    data = {**listing_post(category), "images": [upload("poly.html", polyglot_gif())]}
    response = client.post(reverse("seller-listing-create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Listing.objects.get(title="Batik shirt").images.get()
    stored = assert_stored_clean(image)

    client.logout()
    response, body = media_get(client, image)
    assert_served_inert(response, "image/png")
    assert body == stored
    thumb = client.get(image.thumbnail.url)
    assert_served_inert(thumb, "image/webp")


@pytest.mark.parametrize("name", ACTIVE_NAMES)
def test_polyglot_gif_through_the_api_is_stored_as_a_clean_png_and_served_inert(
    api_client, seller_a, category, name
):
    item = ListingFactory(shop=seller_a.shop, category=category)
    response = auth(api_client, seller_a).post(
        f"/api/v1/products/{item.pk}/images/", {"image": upload(name, polyglot_gif())}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["url"].endswith(".png")
    image = item.images.get()
    stored = assert_stored_clean(image)

    api_client.credentials()
    served = api_client.get(image.image.url)
    assert_served_inert(served, "image/png")
    assert b"".join(served.streaming_content) == stored


@pytest.mark.parametrize(
    ("fmt", "extension", "extra"),
    [
        ("JPEG", ".jpg", {"comment": SCRIPT}),
        ("PNG", ".png", {"pnginfo": "text"}),
        ("WEBP", ".webp", {"exif": "description", "xmp": SCRIPT}),
        ("GIF", ".png", {"comment": SCRIPT}),
    ],
)
def test_every_format_keeps_its_pixels_and_loses_its_metadata(seller_a, category, fmt, extension, extra):
    if extra.get("pnginfo") == "text":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", SCRIPT.decode())
        extra = {"pnginfo": info}
    if extra.get("exif") == "description":
        exif = Image.Exif()
        exif[0x010E] = SCRIPT.decode()  # ImageDescription
        extra = {**extra, "exif": exif}
    buffer = io.BytesIO()
    Image.new("RGB" if fmt != "GIF" else "P", (10, 10), (200, 80, 40) if fmt != "GIF" else 3).save(
        buffer, format=fmt, **extra
    )
    assert SCRIPT in buffer.getvalue()
    item = ListingFactory(shop=seller_a.shop, category=category)
    image = listing_image_add(
        listing=item, actor=seller_a, upload=upload("poly.html", buffer.getvalue(), "image/png")
    )
    assert_stored_clean(image, extension)
    if fmt != "GIF":
        with Image.open(image.image.path) as stored:
            red, green, blue = stored.convert("RGB").getpixel((5, 5))
            assert abs(red - 200) < 8 and abs(green - 80) < 8 and abs(blue - 40) < 8


def test_transparency_survives_and_exif_orientation_is_applied(seller_a, category):
    item = ListingFactory(shop=seller_a.shop, category=category)
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, format="PNG")
    image = listing_image_add(listing=item, actor=seller_a, upload=upload("clear.png", buffer.getvalue()))
    with Image.open(image.image.path) as stored:
        assert stored.mode == "RGBA" and stored.getpixel((1, 1))[3] == 0

    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (10, 20, 30)).save(buffer, format="JPEG", exif=exif)
    image = listing_image_add(listing=item, actor=seller_a, upload=upload("turned.jpg", buffer.getvalue()))
    assert (image.width, image.height) == (20, 40)
    with Image.open(image.image.path) as stored:
        assert stored.size == (20, 40) and not stored.getexif()


def test_an_image_with_broken_exif_is_stored_without_it(seller_a, category):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), (200, 80, 40)).save(buffer, format="WEBP", exif=b"Exif\x00\x00" + SCRIPT)
    item = ListingFactory(shop=seller_a.shop, category=category)
    image = listing_image_add(listing=item, actor=seller_a, upload=upload("poly.html", buffer.getvalue()))
    assert_stored_clean(image, ".webp")


def test_svg_is_refused_as_an_image(api_client, seller_a, category):
    item = ListingFactory(shop=seller_a.shop, category=category)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
    response = auth(api_client, seller_a).post(
        f"/api/v1/products/{item.pk}/images/",
        {"image": upload("x.svg", svg, "image/svg+xml")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "is not an image we can read" in response.json()["image"][0]
    assert not ListingImage.objects.exists()


def test_a_cut_short_image_is_a_validation_error_not_a_500(api_client, seller_a, category):
    item = ListingFactory(shop=seller_a.shop, category=category)
    buffer = io.BytesIO()
    Image.effect_noise((300, 300), 60).convert("RGB").save(buffer, format="PNG")
    response = auth(api_client, seller_a).post(
        f"/api/v1/products/{item.pk}/images/",
        {"image": upload("cut.png", buffer.getvalue()[:-2000], "image/png")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "is not an image we can read" in response.json()["image"][0]


def test_an_error_quotes_at_most_sixty_characters_of_the_file_name(api_client, seller_a, category):
    item = ListingFactory(shop=seller_a.shop, category=category)
    response = auth(api_client, seller_a).post(
        f"/api/v1/products/{item.pk}/images/",
        {"image": upload("n" * 5000 + ".png", b"not an image")},
        format="multipart",
    )
    assert response.status_code == 400
    message = response.json()["image"][0]
    assert "n" * 60 + "…" in message and "n" * 61 not in message


# --- files already on disk (stored before uploads were renamed) -----------------------------------


@pytest.mark.parametrize(
    "name",
    ["poly.html", "poly.HTM", "poly.svg", "poly.xhtml", "poly.js", "poly.gif", "poly", "poly.png.html"],
)
def test_a_legacy_file_with_an_active_name_is_never_served(client, settings, name):
    folder = settings.MEDIA_ROOT / "listings" / "1"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(polyglot_gif())
    response = client.get(f"/media/listings/1/{name}")
    assert response.status_code == 404
    assert SCRIPT not in response.content


def test_a_legacy_file_with_an_image_name_is_served_as_that_image_type_only(client, settings):
    """`evil.png` holding HTML stays an image to the browser: declared type, no sniffing, sandboxed."""
    folder = settings.MEDIA_ROOT / "listings" / "1"
    folder.mkdir(parents=True)
    (folder / "evil.PNG").write_bytes(b"<html><body>" + SCRIPT + b"</body></html>")
    response = client.get("/media/listings/1/evil.PNG")
    assert_served_inert(response, "image/png")


def test_missing_media_is_a_404(client):
    assert client.get("/media/listings/1/nothing.png").status_code == 404
    assert client.get("/media/listings/1/" + "a" * 300 + ".png").status_code == 404
