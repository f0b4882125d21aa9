"""Shared API plumbing: pagination and one JSON error shape for every 4xx."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import status
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from ewtp.exceptions import DomainError


def _positive_int(raw: str | None, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw[:20])
    except ValueError:
        raise ValidationError({name: [_("Use a whole number from 1 upwards.")]}) from None
    if value < 1:
        raise ValidationError({name: [_("Use a whole number from 1 upwards.")]})
    return value


class Pagination(PageNumberPagination):
    """Page numbers are checked: malformed, zero or negative → 400; past the last page → an empty
    `results` list (not a 404), the same on every list of the API."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        size = _positive_int(
            request.query_params.get(self.page_size_query_param), "page_size", self.page_size
        )
        return min(size, self.max_page_size)

    def make_paginator(self, queryset, page_size: int, view=None) -> Paginator:
        return self.django_paginator_class(queryset, page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        number = _positive_int(request.query_params.get(self.page_query_param), "page", 1)
        paginator = self.make_paginator(queryset, page_size, view)
        if number > max(paginator.num_pages, 1):
            self.page = Page([], number, paginator)
        else:
            self.page = paginator.page(number)
        return list(self.page)

    def get_previous_link(self):
        paginator = self.page.paginator
        if self.page.number > paginator.num_pages:
            if paginator.num_pages < 1:
                return None
            url = self.request.build_absolute_uri()
            return replace_query_param(url, self.page_query_param, paginator.num_pages)
        return super().get_previous_link()


# Error messages are cut here: DRF quotes the refused value in some ("\"…\" is not a valid
# choice."), and a 5 MB string came back whole.
MAX_ERROR_MESSAGE = 300


def bounded(data: Any) -> Any:
    """Error data with every message cut to `MAX_ERROR_MESSAGE` characters (codes kept)."""
    if isinstance(data, dict):
        return {key: bounded(value) for key, value in data.items()}
    if isinstance(data, list):
        return [bounded(value) for value in data]
    if isinstance(data, str) and len(data) > MAX_ERROR_MESSAGE:
        cut = data[: MAX_ERROR_MESSAGE - 1] + "…"
        return ErrorDetail(cut, code=getattr(data, "code", None)) if isinstance(data, ErrorDetail) else cut
    return data


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler plus domain errors and Django validation errors as 4xx JSON.

    Errors keep DRF's shape (`{"field": ["message"]}` or `{"detail": "message"}`) so clients
    see field messages; a domain error adds `detail` and `code`.
    """
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": exc.message, "code": exc.code}
        body.update(exc.field_errors)
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        response.data = {"detail": str(exc)}
    if response is not None:
        response.data = bounded(response.data)
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A URL that matches no route: JSON for API clients (a slug that cannot be one, `/api/v1/nope/`)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: `detail` (and `code` for business rules), or a list of messages per field.",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular documents success answers only; add the JSON errors every client meets."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})

            def add(status_code: str, text: str, responses=responses) -> None:
                responses.setdefault(status_code, {"description": text, "content": error})

            writes = method in ("post", "put", "patch", "delete")
            if method in ("post", "put", "patch") or operation.get("parameters"):
                add("400", "Invalid input: messages per field, or `detail`.")
            if writes and operation.get("security") != [{}]:
                add("401", "Not authenticated: send `Authorization: Token <token>`.")
                add("403", "Not allowed for this account or object.")
            if "{" in path:
                add("404", "Not found.")
            # Throttles on every operation, the login lock-out on the token endpoint.
            add("429", "Too many requests: wait the seconds `Retry-After` gives, then try again.")
    return result
