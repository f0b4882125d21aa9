"""Input rules shared by the browser forms and the API, so both refuse the same things."""

from __future__ import annotations

import io
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from ewtp.money import decimal_places, is_currency, minor_unit

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_currency(code: str) -> None:
    if not is_currency(code):
        raise ValidationError(
            _("“%(code)s” is not an ISO-4217 currency code (e.g. KES, CNY, EUR).") % {"code": code},
            code="invalid_currency",
        )


def validate_price_for_currency(amount: Decimal, currency: str) -> None:
    """A price must be positive and use no more decimals than the currency has (0 for RWF)."""
    if amount is None:
        return
    if amount <= 0:
        raise ValidationError(_("The price must be greater than zero."), code="min_value")
    if is_currency(currency):
        allowed = minor_unit(currency)
        if decimal_places(amount) > allowed:
            raise ValidationError(
                _("%(currency)s prices take at most %(n)d decimal places.")
                % {"currency": currency, "n": allowed},
                code="max_decimal_places",
            )


def _shown_name(upload: UploadedFile) -> str:
    """The uploader's file name as an error message may quote it: bounded, never stored."""
    name = upload.name or ""
    return name if len(name) <= 60 else name[:60] + "…"


def validate_listing_image(upload: UploadedFile) -> Image.Image:
    """Refuse anything that is not a real image within the size limits; return it decoded.

    The pixels are decoded here, so a file whose header is fine but whose data is not (cut
    short, corrupt) is refused like any other unreadable file rather than failing later."""
    name = _shown_name(upload)
    max_bytes = settings.EWTP_MAX_IMAGE_BYTES
    max_px = settings.EWTP_MAX_IMAGE_PIXELS
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is larger than %(mb)d MB.") % {"name": name, "mb": max_bytes // (1024 * 1024)},
            code="file_too_large",
        )
    upload.seek(0)
    data = io.BytesIO(upload.read())
    upload.seek(0)
    try:
        with Image.open(data) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("“%(name)s” is not an image we can read (use JPEG, PNG, WebP or GIF).") % {"name": name},
            code="invalid_image",
        ) from None
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            _("“%(name)s” is a %(format)s file; use JPEG, PNG, WebP or GIF.")
            % {"name": name, "format": image_format},
            code="invalid_image",
        )
    if width > max_px or height > max_px:
        raise ValidationError(
            _("“%(name)s” is %(w)d×%(h)d pixels; the limit is %(max)d×%(max)d.")
            % {"name": name, "w": width, "h": height, "max": max_px},
            code="image_too_large",
        )
    data.seek(0)
    image = Image.open(data)
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        image.close()
        raise ValidationError(
            _("“%(name)s” is not an image we can read (use JPEG, PNG, WebP or GIF).") % {"name": name},
            code="invalid_image",
        ) from None
    return image
