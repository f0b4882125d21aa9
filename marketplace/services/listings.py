"""Writes to listings and their images.

Services are keyword-only and atomic; they validate with the models' own rules (`full_clean`)
and raise `ValidationError`/`DomainError`, which views turn into form errors and the API into 4xx.

Every write moves a cache version after commit (`ewtp.versions`): `catalog` for what a listing
shows, and only `stock` for stock changes — and then only when the listing goes in or out of
stock, the one thing a cached answer (the "in stock" filter and its counts) depends on."""

from __future__ import annotations

import io
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from ewtp import versions
from ewtp.exceptions import DomainError, PermissionDenied
from marketplace import ports
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


def _within_the_network(listing: Listing) -> None:
    """A parcel no lane of the e-hub network can carry cannot be sold: say so at the weight (the
    network's largest parcel, through the shipping port; no network, no limit but the model's)."""
    largest = getattr(ports.shipping(), "largest_parcel_kg", None)
    limit = largest() if largest is not None else None
    if limit is not None and listing.weight_kg is not None and listing.weight_kg > limit:
        message = _(
            "The e-hub network carries parcels up to %(kg)s kg: lighten the parcel or split it."
        ) % {"kg": f"{limit.normalize():f}"}
        raise ValidationError({"weight_kg": [message]})


@transaction.atomic
def listing_create(*, actor: User, images: list[UploadedFile] | None = None, **fields: Any) -> Listing:
    """A seller lists goods in their own shop; price is in the shop's currency."""
    shop = _require_seller_shop(actor)
    listing = Listing(shop=shop, currency=shop.currency)
    if not fields.get("origin_country"):
        fields["origin_country"] = shop.country
    _apply_listing_fields(listing, fields)
    listing.full_clean()
    _within_the_network(listing)
    listing.fold_search_fields()
    listing.save()
    versions.bump_on_commit(versions.CATALOG)
    for upload in images or []:
        listing_image_add(listing=listing, actor=actor, upload=upload)
    return listing


class StaleStock(DomainError):
    """The seller changed the stock from a figure that orders have moved since they read it."""

    status_code = 409
    code = "stale_stock"
    current: int = 0  # the stock as it is now


def _stale_stock(current: int) -> StaleStock:
    message = _(
        "While you were editing, orders changed the stock: %(current)d left now. Check the stock "
        "and save again."
    ) % {"current": current}
    error = StaleStock(message, field_errors={"stock": [message]})
    error.current = current
    return error


def _keep_reservations(locked: Listing, fields: dict[str, Any], stock_seen: int | None) -> None:
    """`stock_seen` is the stock the seller's form or client read (None: set it as given). Stock
    the seller left as they saw it is not written — orders may have taken some since — and a
    change made from a figure that is no longer the stock is refused (`StaleStock`), since it
    would put back or take away what buyers reserved meanwhile."""
    if stock_seen is None or "stock" not in fields:
        return
    if fields["stock"] == stock_seen:
        del fields["stock"]
    elif locked.stock != stock_seen:
        raise _stale_stock(locked.stock)


@transaction.atomic
def listing_update(
    *,
    listing: Listing,
    actor: User,
    images: list[UploadedFile] | None = None,
    stock_seen: int | None = None,
    **fields: Any,
) -> Listing:
    """Edit a listing, the row locked (every stock writer locks it: an order reserving stock and
    an edit queue up). With `stock_seen`, stock follows `_keep_reservations`. A change of stock
    alone goes through `listing_stock_set`, so it leaves the cached catalog in place."""
    if set(fields) == {"stock"} and not images:
        return listing_stock_set(listing=listing, actor=actor, stock=fields["stock"], stock_seen=stock_seen)
    listing = Listing.objects.select_for_update(of=("self",)).select_related("shop").get(pk=listing.pk)
    _check_owner(listing, actor)
    fields = dict(fields)
    _keep_reservations(listing, fields, stock_seen)
    before = {name: getattr(listing, name) for name in LISTING_FIELDS}
    stock_before = listing.stock
    _apply_listing_fields(listing, fields)
    listing.full_clean()
    _within_the_network(listing)
    listing.fold_search_fields()
    listing.save()
    if any(getattr(listing, name) != value for name, value in before.items() if name != "stock"):
        versions.bump_on_commit(versions.CATALOG)
    _stock_moved(stock_before, listing.stock)
    for upload in images or []:
        listing_image_add(listing=listing, actor=actor, upload=upload)
    return listing


def _stock_moved(before: int, after: int) -> None:
    if (before > 0) != (after > 0):
        versions.bump_on_commit(versions.STOCK)


@transaction.atomic
def listing_stock_set(*, listing: Listing, actor: User, stock: int, stock_seen: int | None = None) -> Listing:
    """The seller sets how many they have. Locks the row; refuses a change made from a stock that
    orders have moved since (`stock_seen`, see `_keep_reservations`); moves the `stock` version
    only when the listing goes in or out of stock."""
    if not isinstance(stock, int) or stock < 0:
        raise ValidationError({"stock": [_("Stock is a whole number, zero or more.")]})
    locked = Listing.objects.select_for_update(of=("self",)).select_related("shop").get(pk=listing.pk)
    _check_owner(locked, actor)
    wanted = {"stock": stock}
    _keep_reservations(locked, wanted, stock_seen)
    if "stock" not in wanted:
        return locked
    before = locked.stock
    locked.stock, locked.updated_at = stock, timezone.now()
    Listing.objects.filter(pk=locked.pk).update(stock=stock, updated_at=locked.updated_at)
    _stock_moved(before, stock)
    return locked


class OutOfStock(DomainError):
    code = "out_of_stock"


@transaction.atomic
def listing_stock_adjust(*, listing_id: int, delta: int) -> int:
    """Add `delta` to a listing's stock (negative: take goods) in one conditional UPDATE, and
    return the stock left. Concurrent takers never drive it below zero: a take larger than what
    is left raises `OutOfStock` and changes nothing. For checkout and returns (no actor check)."""
    taken = Listing.objects.filter(pk=listing_id, stock__gte=max(-delta, 0)).update(
        stock=F("stock") + delta, updated_at=timezone.now()
    )
    if not taken:
        if not Listing.objects.filter(pk=listing_id).exists():
            raise Listing.DoesNotExist(listing_id)
        raise OutOfStock(_("Not enough stock left."))
    left = Listing.objects.filter(pk=listing_id).values_list("stock", flat=True).get()
    _stock_moved(left - delta, left)
    return left


@transaction.atomic
def listings_bulk_create(*, listings: list[Listing]) -> list[Listing]:
    """Insert many prepared listings at once (demo data, imports): one INSERT, one version move.
    The caller validates (prices in the shop's currency); `bulk_create` runs no `save()`."""
    for listing in listings:
        listing.fold_search_fields()  # bulk_create skips `save()`, which keeps them otherwise
    created = Listing.objects.bulk_create(listings)
    if created:
        versions.bump_on_commit(versions.CATALOG)
    return created


@transaction.atomic
def listing_images_bulk_create(*, images: list[ListingImage]) -> list[ListingImage]:
    """Insert image rows whose files are already stored (demo pictures, imports)."""
    created = ListingImage.objects.bulk_create(images)
    if created:
        versions.bump_on_commit(versions.CATALOG)
    return created


def listing_stock_check(*, listing_id: int, stock: int, stock_seen: int | None) -> int:
    """The stock an edit should write, the row locked in the caller's transaction: `stock` as
    given, or the current stock when the edit left it as it was seen; raises `StaleStock` for a
    change made from a figure orders have moved since (`_keep_reservations`)."""
    locked = Listing.objects.select_for_update(of=("self",)).get(pk=listing_id)
    wanted = {"stock": stock}
    _keep_reservations(locked, wanted, stock_seen)
    return wanted.get("stock", locked.stock)


@transaction.atomic
def listing_admin_save(*, listing: Listing) -> Listing:
    """An operator's edit in the admin (already validated by its form, which runs `full_clean` and
    settles the stock with `listing_stock_check`), the row locked as every stock writer locks it."""
    if listing.pk is not None:
        Listing.objects.select_for_update(of=("self",)).filter(pk=listing.pk).values_list("pk").first()
    listing.fold_search_fields()
    listing.save()
    versions.bump_on_commit(versions.CATALOG)
    return listing


@transaction.atomic
def listing_admin_delete(*, listings: QuerySet[Listing]) -> int:
    """Operators delete listings (one or a selection); their image files go after commit."""
    paths = list(ListingImage.objects.filter(listing__in=listings).values_list("image", "thumbnail"))
    count, _by_model = listings.delete()
    versions.bump_on_commit(versions.CATALOG)
    transaction.on_commit(lambda: _delete_files(paths))
    return count


@transaction.atomic
def listing_image_admin_save(*, image: ListingImage) -> ListingImage:
    image.save()
    versions.bump_on_commit(versions.CATALOG)
    return image


@transaction.atomic
def listing_image_admin_delete(*, image: ListingImage) -> None:
    paths = [(image.image.name, image.thumbnail.name)]
    image.delete()
    versions.bump_on_commit(versions.CATALOG)
    transaction.on_commit(lambda: _delete_files(paths))


@transaction.atomic
def listing_set_published(*, listing: Listing, actor: User, published: bool) -> Listing:
    listing = Listing.objects.select_for_update().select_related("shop").get(pk=listing.pk)
    _check_owner(listing, actor)
    listing.is_active = published
    listing.save(update_fields=["is_active", "updated_at"])
    versions.bump_on_commit(versions.CATALOG)
    return listing


@transaction.atomic
def listing_delete(*, listing: Listing, actor: User) -> None:
    listing = Listing.objects.select_for_update().select_related("shop").get(pk=listing.pk)
    _check_owner(listing, actor)
    paths = [(img.image.name, img.thumbnail.name) for img in listing.images.all()]
    listing.delete()
    versions.bump_on_commit(versions.CATALOG)
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
    """Store a validated image, re-encoded under a name the server chooses, and its thumbnail.

    At most `EWTP_MAX_IMAGES_PER_LISTING` per listing, under concurrent uploads too: the listing
    row is locked before the images are counted, so uploads to one listing take turns, and the
    database refuses a second image at the same position or a position past the limit."""
    _check_owner(listing, actor)
    try:
        opened = validate_listing_image(upload)
    except ValidationError as exc:
        raise ValidationError({"images": exc.messages}) from None
    # Decoding and encoding happen before the lock: uploads to one listing wait only for the
    # count and the insert of one another, not for each other's pixels.
    full, extension, thumbnail = _reencode(opened)

    Listing.objects.select_for_update().only("pk").get(pk=listing.pk)
    limit = settings.EWTP_MAX_IMAGES_PER_LISTING
    taken = set(ListingImage.objects.filter(listing=listing).values_list("position", flat=True))
    free = [position for position in range(limit) if position not in taken]
    if not free:
        raise ValidationError({"images": [_("A listing has at most %d images.") % limit]})
    image = ListingImage(listing=listing, position=free[0])
    # Never the uploader's name: `poly.html` would be served as a page from our own origin.
    stem = uuid.uuid4().hex
    image.image.save(f"{stem}.{extension}", full, save=False)
    image.thumbnail.save(f"{stem}-thumb.webp", thumbnail, save=False)
    try:
        with transaction.atomic():
            image.save()
    except Exception:
        _delete_files([(image.image.name, image.thumbnail.name)])
        raise
    versions.bump_on_commit(versions.CATALOG)
    return image


@transaction.atomic
def listing_image_remove(*, image: ListingImage, actor: User) -> None:
    _check_owner(image.listing, actor)
    Listing.objects.select_for_update().only("pk").get(pk=image.listing_id)
    paths = [(image.image.name, image.thumbnail.name)]
    image.delete()
    versions.bump_on_commit(versions.CATALOG)
    transaction.on_commit(lambda: _delete_files(paths))


# What a stored listing image may be: the format Pillow detected, re-encoded into one of these.
# GIF becomes PNG (lossless, first frame); everything else keeps its format.
STORED_FORMATS = {
    "JPEG": ("JPEG", "jpg"),
    "PNG": ("PNG", "png"),
    "WEBP": ("WEBP", "webp"),
    "GIF": ("PNG", "png"),
}


def _reencode(opened: Image.Image) -> tuple[ContentFile, str, ContentFile]:
    """The pixels of an upload, and nothing else, written afresh; plus a WebP thumbnail.

    Only pixel data crosses over: comments, EXIF, XMP, ICC profiles and text chunks stay behind,
    so bytes a browser might take for HTML or script (a GIF comment holding `<script>`) are not
    stored. The orientation EXIF carried is applied to the pixels first."""
    with opened:
        target, extension = STORED_FORMATS[opened.format]
        try:
            oriented = ImageOps.exif_transpose(opened)
        except Exception:  # unreadable EXIF: keep the pixels as they come (the EXIF is dropped anyway)
            oriented = opened
        if oriented.mode.startswith("I"):  # 16/32-bit grey: scale to 8 bits, not clip at 255
            oriented = oriented.convert("I").point(lambda v: v * (1 / 256)).convert("L")
        has_alpha = oriented.mode in ("RGBA", "LA", "PA") or "transparency" in oriented.info
        mode = "RGB" if target == "JPEG" or not has_alpha else "RGBA"
        converted = oriented.convert(mode)
        clean = Image.frombytes(mode, converted.size, converted.tobytes())  # no info carried over
    buffer = io.BytesIO()
    if target == "JPEG":
        clean.save(buffer, format="JPEG", quality=90, optimize=True)
    elif target == "WEBP":
        clean.save(buffer, format="WEBP", quality=90)
    else:
        clean.save(buffer, format="PNG", optimize=True)
    # Named: a nameless file is falsy, and the ImageField would then record no width and height.
    return ContentFile(buffer.getvalue(), name=f"image.{extension}"), extension, _make_thumbnail(clean)


def _make_thumbnail(image: Image.Image) -> ContentFile:
    """A small WebP so lists stay light on slow links (from the clean RGB/RGBA pixels)."""
    small = image.copy()
    small.thumbnail(THUMBNAIL_SIZE)
    buffer = io.BytesIO()
    small.save(buffer, format="WEBP", quality=80)
    return ContentFile(buffer.getvalue())


def stock_changed(listing_ids: list[int]) -> None:
    """These listings went out of stock or came back (orders, cancellations, expiry): move the
    `stock` version when the transaction commits, so in-stock filters, counts and badges follow."""
    if listing_ids:
        versions.bump_on_commit(versions.STOCK)
