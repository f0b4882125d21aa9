"""ewtp.api's fast paths for the order endpoint: a request serializer with fields built once per
thread validates exactly as a fresh one does, and threads never share a set of fields."""

from __future__ import annotations

import threading

import pytest

from ewtp.api import with_fields_built_once
from marketplace.api.checkout import CheckoutRequestSerializer, QuoteRequestSerializer
from tests.checkout.helpers import ship_to

GOOD = {
    "items": [{"product": 7, "quantity": 2}, {"product": 9, "quantity": 1}, {"product": 7, "quantity": 1}],
    "ship_to": {**ship_to("be"), "name": "  Lotte  "},
    "currency": "EUR",
}
BODIES = [
    GOOD,
    {**GOOD, "preference": "fastest"},
    {**GOOD, "items": []},
    {**GOOD, "items": [{"product": 7, "quantity": 0}]},
    {**GOOD, "items": [{"product": "x", "quantity": 10**9}]},
    {**GOOD, "items": [{"product": 7, "quantity": 600}, {"product": 7, "quantity": 600}]},
    {**GOOD, "ship_to": {**ship_to(), "country": "XX", "phone": "call me"}},
    {**GOOD, "ship_to": {"country": "BE"}},
    {**GOOD, "currency": "euro", "preference": "slowest"},
    {"items": "nope"},
    [],
    "text",
]


def outcome(serializer) -> tuple:
    valid = serializer.is_valid()
    return valid, serializer.validated_data if valid else serializer.errors


@pytest.mark.parametrize("serializer_class", [CheckoutRequestSerializer, QuoteRequestSerializer])
@pytest.mark.parametrize("body", BODIES)
def test_fields_built_once_validate_as_a_fresh_serializer_does(serializer_class, body):
    for _ in range(2):  # the second time with the fields of the first
        assert outcome(with_fields_built_once(serializer_class, body)) == outcome(serializer_class(data=body))


def test_fields_are_built_once_per_thread_and_never_shared_across_threads():
    here = [with_fields_built_once(CheckoutRequestSerializer, GOOD).fields for _ in range(2)]
    assert here[0] is here[1]
    there = []
    thread = threading.Thread(
        target=lambda: there.append(with_fields_built_once(CheckoutRequestSerializer, GOOD).fields)
    )
    thread.start()
    thread.join()
    assert there[0] is not here[0]
