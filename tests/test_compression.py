"""Pages and static files are compressed for a phone on a slow link (issue 19), in production and
in the demo alike: a client that accepts gzip gets gzip."""

from __future__ import annotations

import gzip

import pytest

pytestmark = pytest.mark.django_db


def test_a_page_is_sent_compressed_to_a_client_that_accepts_it(client):
    plain = client.get("/")
    packed = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "<html" in html and len(packed.content) < len(plain.content) / 2


# Static files in the demo (DEBUG on: WhiteNoise serves them as they are, gzip compresses them):
# tests/test_zero_config.py asks the running demo for the stylesheet with Accept-Encoding: gzip.
