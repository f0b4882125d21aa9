"""Domain errors raised by services; the API and views turn them into 4xx answers."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the request. Carries a user-facing message and optional field errors."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class PermissionDenied(DomainError):
    status_code = 403
    code = "permission_denied"


class InvalidTransition(DomainError):
    status_code = 409
    code = "invalid_transition"


def field_error(field: str, message: str) -> DomainError:
    """A refusal about one input field (a 400 whose `errors` name the field)."""
    return DomainError(message, field_errors={field: [message]})
