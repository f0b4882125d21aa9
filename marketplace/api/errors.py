"""Service validation errors as API errors."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError

API_FIELD_NAMES = {"price_amount": "price"}


def as_api_error(exc: DjangoValidationError) -> ValidationError:
    """Service validation errors, with model field names renamed to the API's."""
    if hasattr(exc, "error_dict"):
        return ValidationError({API_FIELD_NAMES.get(k, k): v for k, v in exc.message_dict.items()})
    return ValidationError({"detail": exc.messages})
