"""Writes to listings and their images.

Services are keyword-only and atomic; they validate with the models' own rules (`full_clean`)
and raise `ValidationError`/`DomainError`, which views turn into form errors and the API into 4xx."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from ewtp.exceptions import DomainError, PermissionDenied
from marketplace.models import Category, Listing, ListingImage, Role, Shop, User
from marketplace.validators import validate_listing_image

THUMBNAIL_SIZE = (400, 400)


LISTING_FIELDS = (
    "title",
    "description",
    "category",
    "price_amount",
    "stock",
    "weight_kg",
    "length_cm",
    "width_cm",
    "height_cm",
    "hs_code",
    "origin_country",
    "is_active",
)


def _require_seller_shop(actor: User) -> Shop:
    if not actor.is_authenticated or actor.role != Role.SELLER:
        raise PermissionDenied(_("Only sellers can list goods."))
    try:
        return actor.shop
    except Shop.DoesNotExist:
        raise PermissionDenied(_("Open a shop before listing goods.")) from None


@transaction.atomic
def listing_create(*, actor: User, images: list[UploadedFile] | None = None, **fields: Any) -> Listing:
    """A seller lists goods in their own shop; price is in the shop's currency."""
    shop = _require_seller_shop(actor)
    listing = Listing(shop=shop, currency=shop.currency)
    if not fields.get("origin_country"):
        fields["origin_country"] = shop.country
    _apply_listing_fields(listing, fields)
    listing.full_clean()
    listing.save()
    for upload in images or []:
        listing_image_add(listing=listing, actor=actor, upload=upload)
    return listing


@transaction.atomic
def listing_update(
    *, listing: Listing, actor: User, images: list[UploadedFile] | None = None, **fields: Any
) -> Listing:
    listing = Listing.objects.select_for_update().select_related("shop").get(pk=listing.pk)
    _check_owner(listing, actor)
    _apply_listing_fields(listing, fields)
    listing.full_clean()
    listing.save()
    for upload in images or []:
        listing_image_add(listing=listing, actor=actor, upload=upload)
    return listing


@transaction.atomic
def listing_set_published(*, listing: Listing, actor: User, published: bool) -> Listing:
    listing = Listing.objects.select_for_update().select_related("shop").get(pk=listing.pk)
    _check_owner(listing, actor)
    listing.is_active = published
    listing.save(update_fields=["is_active", "updated_at"])
    return listing


@transaction.atomic
def listing_delete(*, listing: Listing, actor: User) -> None:
    listing = Listing.objects.select_for_update().select_related("shop").get(pk=listing.pk)
    _check_owner(listing, actor)
    paths = [(img.image.name, img.thumbnail.name) for img in listing.images.all()]
    listing.delete()
    transaction.on_commit(lambda: _delete_files(paths))


def _delete_files(paths: list[tuple[str, str]]) -> None:
    from django.core.files.storage import default_storage

    for pair in paths:
        for name in pair:
            if name:
                default_storage.delete(name)


def _check_owner(listing: Listing, actor: User) -> None:
    if not actor.is_authenticated or listing.shop.owner_id != actor.pk:
        raise PermissionDenied(_("You can only change listings of your own shop."))


def _apply_listing_fields(listing: Listing, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(LISTING_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set: %s") % ", ".join(sorted(unknown)))
    for name, value in fields.items():
        if name == "category" and isinstance(value, str):
            try:
                value = Category.objects.get(slug=value)
            except Category.DoesNotExist:
                raise ValidationError({"category": [_("Unknown category “%s”.") % value]}) from None
        if name in {"price_amount", "weight_kg"} and value is not None and not isinstance(value, Decimal):
            raise DomainError(_("%s must be a decimal number.") % name)
        setattr(listing, name, value)


@transaction.atomic
def listing_image_add(*, listing: Listing, actor: User, upload: UploadedFile) -> ListingImage:
    """Store a validated image and its thumbnail; at most 5 per listing."""
    _check_owner(listing, actor)
    count = ListingImage.objects.filter(listing=listing).count()
    if count >= settings.EWTP_MAX_IMAGES_PER_LISTING:
        raise ValidationError(
            {"images": [_("A listing has at most %d images.") % settings.EWTP_MAX_IMAGES_PER_LISTING]}
        )
    try:
        opened = validate_listing_image(upload)
    except ValidationError as exc:
        raise ValidationError({"images": exc.messages}) from None
    image = ListingImage(listing=listing, position=count)
    upload.seek(0)
    try:
        image.image.save(upload.name, upload, save=False)
    except SuspiciousFileOperation:
        # The storage could not fit the name (e.g. a 200-character extension) in the column.
        raise ValidationError(
            {
                "images": [
                    _("“%(name)s…”: the file name is too long; rename the file.") % {"name": upload.name[:40]}
                ]
            }
        ) from None
    image.thumbnail.save(_thumbnail_name(upload.name), _make_thumbnail(opened), save=False)
    image.save()
    return image


@transaction.atomic
def listing_image_remove(*, image: ListingImage, actor: User) -> None:
    _check_owner(image.listing, actor)
    paths = [(image.image.name, image.thumbnail.name)]
    image.delete()
    transaction.on_commit(lambda: _delete_files(paths))


def _thumbnail_name(name: str) -> str:
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0][:80]
    return f"thumb-{stem}.webp"


def _make_thumbnail(image: Image.Image) -> ContentFile:
    """A small WebP so lists stay light on slow links."""
    with image:
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        image.thumbnail(THUMBNAIL_SIZE)
        buffer = io.BytesIO()
        image.save(buffer, format="WEBP", quality=80)
    return ContentFile(buffer.getvalue())


def stock_changed(listing_ids: list[int]) -> None:
    """Stock of these listings moved (orders, cancellations, expiry): keep stock-dependent catalog
    answers fresh. Called in `transaction.on_commit` by the services that move stock."""
    from marketplace.cache import bump_catalog_version

    if listing_ids:
        bump_catalog_version()
