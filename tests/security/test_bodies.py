"""Huge and hostile request bodies: refused before parsing, never echoed back, never a 500."""

from __future__ import annotations

import io
import json
import time
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.django_db

QUOTES = "/api/v1/shipping/quotes/"


def test_a_10_mb_json_body_is_refused_unread_with_413(api_client):
    body = json.dumps(
        {
            "origin_country": "CN",
            "destination_country": "KE",
            "weight_kg": "1",
            "dimensions_cm": [1] * 5_000_000,
        }
    )
    assert len(body) > 10_000_000
    started = time.monotonic()
    answer = api_client.generic("POST", QUOTES, body, content_type="application/json")
    assert answer.status_code == 413
    assert answer["Content-Type"] == "application/json"
    assert "too large" in answer.json()["detail"]
    assert time.monotonic() - started < 2


def chunked(client, path, body: bytes, content_type="application/json"):
    """What gunicorn hands over for `Transfer-Encoding: chunked`: no length, a terminated stream."""
    return client.generic(
        "POST",
        path,
        body,
        content_type=content_type,
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True},
    )


def test_a_chunked_body_over_the_limit_is_refused(api_client):
    answer = chunked(api_client, QUOTES, b"[" + b"1," * 600_000 + b"1]")
    assert answer.status_code == 413


def test_a_chunked_body_within_the_limit_reaches_the_view(api_client):
    answer = chunked(api_client, QUOTES, json.dumps({"origin_country": "CN"}).encode())
    assert answer.status_code == 400
    assert "destination_country" in answer.json()  # the body was parsed: field errors


def test_the_limit_is_configurable(api_client, settings):
    settings.EWTP_MAX_BODY_BYTES = 100
    answer = api_client.post(QUOTES, {"origin_country": "CN", "note": "x" * 200}, format="json")
    assert answer.status_code == 413


def test_multipart_uploads_keep_their_own_larger_limit(api_client):
    """A 2 MB multipart body is over the JSON limit but under the upload limit: it is read (and
    answered by the view: 415 here, the endpoint takes JSON) rather than refused for its size."""
    answer = api_client.post(
        "/api/v1/auth/register/", {"username": "u", "bio": "x" * 2_000_000}, format="multipart"
    )
    assert answer.status_code == 415


def test_an_oversized_web_form_is_refused_too(client):
    form = urlencode({"username": "x" * 1_100_000, "password": "x"})
    answer = client.post("/accounts/login/", form, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 413


def test_a_refused_value_is_not_echoed_back_whole(api_client):
    huge = "x" * 900_000
    answer = api_client.post(
        QUOTES,
        {"origin_country": "CN", "destination_country": "KE", "weight_kg": "1", "preference": huge},
        format="json",
    )
    assert answer.status_code == 400
    assert "preference" in answer.json()
    assert len(answer.content) < 2_000


def test_json_nested_100000_deep_is_a_400_not_a_500(api_client):
    body = "[" * 100_000 + "]" * 100_000
    answer = api_client.generic("POST", QUOTES, body, content_type="application/json")
    assert answer.status_code == 400
    assert "nested too deeply" in answer.json()["detail"]


def test_json_nested_past_the_depth_bound_is_refused_and_shallow_json_is_not(api_client):
    deep = {"origin_country": "CN", "dimensions_cm": json.loads("[" * 40 + "]" * 40)}
    assert api_client.post(QUOTES, deep, format="json").status_code == 400
    assert "nested too deeply" in api_client.post(QUOTES, deep, format="json").json()["detail"]
    shallow = {"origin_country": "CN", "dimensions_cm": [10, 20, 30]}
    answer = api_client.post(QUOTES, shallow, format="json").json()
    assert "destination_country" in answer  # parsed and validated field by field
