"""The OpenAPI schema says what the API does, closely enough for a generated client to be trusted
(issue 8: JSON-only writes, no defaults on PATCH, typed bodies, security, page limits)."""

from __future__ import annotations

import re

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def component(schema: dict, name: str) -> dict:
    return schema["components"]["schemas"][name]


def resolve(schema: dict, node: dict) -> dict:
    """A property's schema with a `$ref` (or drf-spectacular's `allOf: [$ref]` wrapper) followed."""
    if "allOf" in node:
        node = node["allOf"][0]
    if "$ref" in node:
        return component(schema, node["$ref"].rsplit("/", 1)[1])
    return node


def test_every_write_takes_json_only_except_the_image_upload_which_takes_multipart(schema):
    bodies = {
        (path, method): sorted(operation["requestBody"]["content"])
        for path, method, operation in operations(schema)
        if "requestBody" in operation
    }
    upload = ("/api/v1/products/{id}/images/", "post")
    assert bodies.pop(upload) == ["multipart/form-data"]
    assert bodies and all(types == ["application/json"] for types in bodies.values()), bodies


def test_patch_components_declare_no_defaults(schema):
    """PATCH `{"stock": 7}` from a generated client also sent `is_active: true` (the default)."""
    patched = {name: c for name, c in schema["components"]["schemas"].items() if name.startswith("Patched")}
    assert "PatchedProductRequest" in patched
    for name, patch in patched.items():
        for field, prop in patch["properties"].items():
            assert "default" not in prop and all("default" not in part for part in prop.get("allOf", [])), (
                name,
                field,
            )
        assert not patch.get("required"), name


def test_answers_list_every_field_they_always_send_as_required(schema):
    product = component(schema, "Product")
    assert set(product["required"]) == set(product["properties"]) - {"display_price"}
    for name in ("Shop", "ShopDetail", "Hub", "Lane", "Quote", "RegisteredUser", "PaginatedProductList"):
        c = component(schema, name)
        assert set(c["required"]) == set(c["properties"]), name


def test_bodies_are_typed(schema):
    product = component(schema, "Product")["properties"]
    assert set(resolve(schema, product["display_price"])["properties"]) == {"amount", "currency"}
    assert product["display_price"]["nullable"] is True
    shop = component(schema, "RegisteredUser")["properties"]["shop"]
    assert set(resolve(schema, shop)["properties"]) == {"id", "name", "slug", "country", "currency"}
    listings = component(schema, "ShopDetail")["properties"]["listings"]
    assert listings["items"] == {"$ref": "#/components/schemas/Product"}
    preference = resolve(schema, component(schema, "Quote")["properties"]["preference"])
    assert preference["enum"] == ["fastest", "cheapest", "balanced"]


def test_every_documented_error_has_the_error_body(schema):
    quote = schema["paths"]["/api/v1/shipping/quotes/"]["post"]["responses"]
    token = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert token["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                assert response["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"
                }, (path, method, status)
    assert "400" in quote


def test_the_error_schema_describes_nested_field_errors(schema):
    """`{"dimensions_cm": {"0": ["…"]}}` is what a list field's errors look like."""
    error = {"$ref": "#/components/schemas/Error", "components": schema["components"]}
    for body in (
        {"detail": "Not found."},
        {"detail": ["One message"], "code": "no_route"},
        {"weight_kg": ["A valid number is required."]},
        {"dimensions_cm": {"0": ["Every dimension must be more than 0 cm."]}},
        {"items": {"2": {"sku": ["Unknown."]}}},
    ):
        jsonschema.validate(body, error)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"weight_kg": "not a list"}, error)


def test_security_registration_and_token_need_none_and_public_reads_make_it_optional(schema):
    paths = schema["paths"]
    assert paths["/api/v1/auth/register/"]["post"]["security"] == []
    assert paths["/api/v1/auth/token/"]["post"]["security"] == []
    for path in ("/api/v1/products/", "/api/v1/products/{id}/", "/api/v1/shops/", "/api/v1/hubs/"):
        assert {} in paths[path]["get"]["security"], path
    assert {} not in paths["/api/v1/products/"]["post"]["security"]


def test_page_and_page_size_are_bounded_in_the_schema(schema):
    seen = 0
    for path, _method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "page":
                assert parameter["schema"]["minimum"] == 1, path
                seen += 1
            if parameter["name"] == "page_size":
                # served as 100 when larger (a maximum would promise a 400 the API does not give)
                assert parameter["schema"]["minimum"] == 1 and "at most 100" in parameter["description"], path
    assert seen >= 4


def test_request_decimals_are_documented_as_what_the_api_accepts(schema):
    """drf-spectacular's decimal pattern admitted "", "." and "-5" for a weight above zero."""
    for name in ("ProductRequest", "ShippingQuoteRequest"):
        pattern = re.compile(component(schema, name)["properties"]["weight_kg"]["pattern"])
        assert pattern.match("0.3") and pattern.match("12"), name
        for refused in ("", ".", "-5", "0", "0.000", "1.2345"):
            assert not pattern.match(refused), (name, refused)
