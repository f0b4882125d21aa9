"""Shared API plumbing: pagination and one JSON error shape for every 4xx."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import status
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.serializers import ListSerializer, Serializer
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

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        """`page` and `page_size` from 1 up. A larger `page_size` than `max_page_size` is served as
        `max_page_size` (clients rely on that), so it is described, not declared a `maximum`:
        a schema maximum would promise a 400 the API does not give."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] in (self.page_query_param, self.page_size_query_param):
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Results per page, {self.page_size} by default; at most {self.max_page_size} "
                    "(a larger size is served as that)."
                )
        return parameters

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Every key of a page is always there (`next`/`previous` are null at the ends)."""
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["count", "next", "previous", "results"]
        return paginated

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


class DecimalStringExtension(OpenApiSerializerFieldExtension):
    """Request decimals documented as what the field accepts. drf-spectacular's pattern
    (`^-?\\d{0,N}(?:\\.\\d{0,D})?$`) also admits "", "." and "-5" for a weight that must be above
    zero: a client (or the fuzzer) following the schema met 400s. Answers keep the default."""

    target_class = "rest_framework.fields.DecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        if direction != "request" or schema.get("type") != "string":
            return schema
        places = field.decimal_places
        whole = "[0-9]+" if field.max_digits is None else f"[0-9]{{1,{max(field.max_digits - places, 1)}}}"
        fraction = f"(?:\\.[0-9]{{1,{places}}})?" if places else ""
        minimum = field.min_value
        sign = "-?" if minimum is None or minimum < 0 else ""
        # above zero: some digit is not 0 (the smallest step, 10^-places, is the least such value)
        nonzero = "(?=[-0-9.]*[1-9])" if minimum is not None and minimum > 0 else ""
        schema["pattern"] = f"^{nonzero}{sign}{whole}{fraction}$"
        return schema


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


def server_error(request: HttpRequest) -> HttpResponse:
    """An unhandled error: JSON for API clients (never an HTML page under /api/), the site's 500
    page elsewhere. The error itself is logged by Django before this runs."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Something went wrong on our side. Try again in a moment."), "code": "server_error"},
            status=500,
        )
    return defaults.server_error(request)


MESSAGES = {"type": "array", "items": {"type": "string"}}

# One field's errors: a list of messages or, for a list or object field, its errors per item index
# or key (`{"dimensions_cm": {"0": ["…"]}}`), as deep as the field nests. The recursion goes through
# an object component (generated clients handle self-referencing models, not self-referencing unions).
FIELD_ERROR = {"oneOf": [MESSAGES, {"$ref": "#/components/schemas/FieldErrors"}]}

FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": 'Errors per item index or key of a list or object field (`{"0": ["…"]}`).',
    "additionalProperties": FIELD_ERROR,
}

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: `detail` (and `code` for business rules), or messages per field.",
    "properties": {
        "detail": {
            "description": "What went wrong: a message, or a list of messages not tied to one field.",
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        },
        "code": {"type": "string", "description": "A machine-readable reason for business-rule errors."},
    },
    "additionalProperties": FIELD_ERROR,
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular documents success answers only; add the JSON errors every client meets.

    A 4xx documented with a description only (`OpenApiResponse(description=...)`) gets the error
    body too, so every error a client can meet has a type."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["FieldErrors"] = copy.deepcopy(FIELD_ERRORS_SCHEMA)
    schemas["Error"] = copy.deepcopy(ERROR_SCHEMA)
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})

            def add(status_code: str, text: str, responses=responses) -> None:
                responses.setdefault(status_code, {"description": text, "content": error})

            # No authentication at all (`auth=[]`) is said explicitly, so generated clients do not
            # ask for a token there; `{}` among the schemes means a token is optional.
            security = operation.setdefault("security", [])
            writes = method in ("post", "put", "patch", "delete")
            if method in ("post", "put", "patch") or operation.get("parameters"):
                add("400", "Invalid input: messages per field, or `detail`.")
            if security != []:
                # Wherever a token is read, a wrong, expired or revoked one is a 401 (reads too).
                add("401", "Not authenticated, or the token is invalid, expired or revoked.")
            if security not in ([], [{}]) or (writes and security != []):
                add("403", "Not allowed for this account or object.")
            if "{" in path:
                add("404", "Not found.")
            add("429", "Too many requests (throttled, or sign-in locked out): retry after `Retry-After` s.")
            for status_code, response in responses.items():
                if status_code.startswith("4") and "content" not in response:
                    response["content"] = error
    return result


def empty_query_values_allowed(result, generator, request, public):
    """Throughout the API an empty query value (`?category=`, `?page=`) means the parameter was not
    given, as HTML forms send it; say so (`allowEmptyValue`), or a pattern or enum would promise a
    400 for it."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
    return result


def _drop_defaults(schema: dict[str, Any]) -> None:
    schema.pop("default", None)
    for part in schema.get("allOf", []):
        if isinstance(part, dict):
            part.pop("default", None)


def no_defaults_on_patch(result, generator, request, public):
    """A PATCH body changes only what it names: a default in `PatchedXRequest` makes generated
    clients send it (PATCH `{"stock": 7}` also sent `is_active: true` and re-published a listing)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.startswith("Patched"):
            for prop in component.get("properties", {}).values():
                _drop_defaults(prop)
    return result


OPTIONAL_IN_RESPONSE = "x-optional-in-response"


def require_response_fields(result, generator, request, public):
    """Every field of an answer is always present, so response components list them all as
    `required` (drf-spectacular leaves out fields a request may omit, such as those with model
    defaults). A serializer names the exceptions with
    `@extend_schema_serializer(extensions={"x-optional-in-response": ["field", ...]})`; the marker
    is consumed here and not published."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        optional = set(component.pop(OPTIONAL_IN_RESPONSE, ()))
        if name.endswith("Request") or name in ("Error", "FieldErrors") or "properties" not in component:
            continue
        component["required"] = sorted(set(component["properties"]) - optional)
    return result


def _refs(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)
    return found


def drop_unused_components(result, generator, request, public):
    """drf-spectacular also emits request components for read-only nested serializers
    (`ShopSummaryRequest`, …) that no operation uses; generated clients would carry them as models."""
    schemas = result.get("components", {}).get("schemas", {})
    used = _refs(result.get("paths", {}), set())
    pending = list(used)
    while pending:
        name = pending.pop()
        for ref in _refs(schemas.get(name, {}), set()) - used:
            used.add(ref)
            pending.append(ref)
    for name in [name for name in schemas if name not in used]:
        del schemas[name]
    return result


def dict_representation(serializer: Serializer) -> Callable[[dict], dict]:
    """`serializer.to_representation` for plain dicts, with the field list walked once.

    DRF's generic walk (`_readable_fields`, `get_attribute`, `SkipField` checks) cost ~0.3 ms per
    order answer, the fields' own conversions a fraction of it. This calls the same conversions
    (each field's `to_representation`, nested serializers and `many=True` lists alike) with the
    same rule for None, reading each value by its key; `tests/checkout/test_order_insert.py`
    compares it with DRF's on real orders. Only for dicts that hold every readable field."""
    plan: list[tuple[str, Callable[[Any], Any]]] = []
    for field in serializer.fields.values():
        if field.write_only:
            continue
        if field.source == "*" or "." in field.source:
            raise ValueError(f"{field.field_name}: only plain keys are supported")
        if isinstance(field, ListSerializer):
            child = dict_representation(field.child)
            convert: Callable[[Any], Any] = lambda items, child=child: [child(item) for item in items]  # noqa: E731
        elif isinstance(field, Serializer):
            convert = dict_representation(field)
        else:
            convert = field.to_representation
        plan.append((field.field_name, convert))

    def represent(data: dict) -> dict:
        return {name: None if data[name] is None else convert(data[name]) for name, convert in plan}

    return represent


_field_sets = threading.local()


def with_fields_built_once(serializer_class: type[Serializer], data: Any) -> Serializer:
    """`serializer_class(data=data)` whose fields were built once in this thread.

    A new serializer deep-copies its declared fields, nested serializers' too: ~0.3 ms for the
    order body, on every order. Validation only reads the fields (DRF 3.18: `validate_<field>`
    methods are looked up on the serializer validating, nested children are not written to), so
    one set per thread serves every request of that thread; no two threads share one."""
    cache = _field_sets.__dict__
    fields = cache.get(serializer_class)
    if fields is None:
        fields = cache[serializer_class] = serializer_class().fields
    serializer = serializer_class(data=data)
    serializer.__dict__["fields"] = fields  # the cached_property's slot
    return serializer
