"""marketplace.services.idempotency.run_once: the work and its stored answer commit together."""

from __future__ import annotations

import pytest

from marketplace.models import Category, IdempotencyKey
from marketplace.services.idempotency import run_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_answer_that_cannot_be_stored_undoes_the_work_and_frees_the_key(buyer_be):
    """Were the answer stored after the work committed, a failure in between would leave the
    work done and the key in progress (every retry a 409). Here the answer cannot be stored (not
    JSON): the work is rolled back with it and the key is free for a retry."""

    def work(answer):
        def run():
            Category.objects.create(slug="written-by-the-work", name="Written by the work")
            return 201, answer

        return run

    with pytest.raises(TypeError):
        run_once(user=buyer_be, key="key-12345678", scope="test", payload={"a": 1}, run=work({"x": object()}))
    assert not Category.objects.filter(slug="written-by-the-work").exists()
    assert not IdempotencyKey.objects.filter(key="key-12345678").exists()

    first = run_once(user=buyer_be, key="key-12345678", scope="test", payload={"a": 1}, run=work({"x": 1}))
    assert first == (201, {"x": 1}, False)
    assert Category.objects.filter(slug="written-by-the-work").count() == 1
    replay = run_once(user=buyer_be, key="key-12345678", scope="test", payload={"a": 1}, run=work({"x": 2}))
    assert replay == (201, {"x": 1}, True)
    assert Category.objects.filter(slug="written-by-the-work").count() == 1
