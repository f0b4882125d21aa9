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


def test_a_claim_abandoned_by_a_dead_worker_is_taken_over_and_a_slow_one_is_fenced_off(
    api_client, scarf, buyer_be
):
    """A worker that died after claiming its key left it in progress: retries got 409 for ever.
    After `CLAIM_TIMEOUT` a retry takes the claim over and places the order. Should the old
    worker only have been slow, its placing statement finds its claim gone and writes nothing:
    one order, never two."""
    from datetime import timedelta

    from django.utils import timezone

    from marketplace.api.orders import CheckoutRequestSerializer
    from marketplace.models import Order
    from marketplace.selectors.checkout import CheckoutItem
    from marketplace.services.idempotency import (
        CLAIM_TIMEOUT,
        IdempotencyClaimLost,
        _claim,
        request_fingerprint,
    )
    from marketplace.services.orders import ShipTo, order_place
    from tests.checkout.helpers import order_body, ship_to

    api_client.force_authenticate(buyer_be)
    body = order_body((scarf, 1))
    key = "abandoned-claim-1"
    serializer = CheckoutRequestSerializer(data=body)  # the claim a worker made, then died
    assert serializer.is_valid()
    fingerprint = request_fingerprint(serializer.validated_data)
    old_claim = _claim(user=buyer_be, key=key, scope="order_place", fingerprint=fingerprint)

    fresh = api_client.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert fresh.status_code == 409  # in progress, and not old enough to be taken for dead

    long_ago = timezone.now() - CLAIM_TIMEOUT - timedelta(seconds=1)
    IdempotencyKey.objects.filter(pk=old_claim).update(created_at=long_ago)
    taken_over = api_client.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert taken_over.status_code == 201, taken_over.content
    assert not IdempotencyKey.objects.filter(pk=old_claim).exists()

    # The "dead" worker was only slow: it now tries to place the order under its old claim.
    stock = type(scarf).objects.get(pk=scarf.pk).stock
    with pytest.raises(IdempotencyClaimLost):
        order_place(
            buyer=buyer_be, items=[CheckoutItem(listing=scarf, quantity=1)], ship_to=ShipTo(**ship_to("BE")),
            currency="EUR", preference="cheapest", idempotency_key_id=old_claim,
        )
    assert Order.objects.filter(buyer=buyer_be).count() == 1
    assert type(scarf).objects.get(pk=scarf.pk).stock == stock  # nothing reserved either
    replay = api_client.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert replay.status_code == 201 and replay.json()["id"] == taken_over.json()["id"]


def test_a_stored_answer_for_a_claim_taken_over_rolls_the_work_back(buyer_be):
    """The stored-answer mode (the web checkout) is fenced the same way: the answer's UPDATE finds
    its claim gone, and the work's transaction rolls back."""
    from marketplace.services.idempotency import IdempotencyClaimLost

    def work():
        Category.objects.create(slug="slow-work", name="Slow work")
        IdempotencyKey.objects.filter(key="taken-over-12").delete()  # a retry took the claim over
        return 201, {"x": 1}

    with pytest.raises(IdempotencyClaimLost):
        run_once(user=buyer_be, key="taken-over-12", scope="test", payload={}, run=work)
    assert not Category.objects.filter(slug="slow-work").exists()


def test_parallel_requests_sharing_a_key_whose_first_fails_never_answer_500(buyer_be):
    """A request that collided with a claim that its failing owner then deleted read the key back
    and got `DoesNotExist` (a 500: 7 of 150). Every one now ends with the work's own refusal (the
    409 it gives) or 409 "in use"."""
    import threading

    from django.db import connection

    from ewtp.exceptions import DomainError

    class OutOfStock(DomainError):
        status_code = 409

    def fail():
        raise OutOfStock("no stock")

    outcomes: list = []
    for round_ in range(5):
        barrier = threading.Barrier(30)

        def request(key=f"shared-key-{round_:04d}", barrier=barrier):
            try:
                barrier.wait()
                run_once(user=buyer_be, key=key, scope="test", payload={"a": 1}, run=fail)
            except DomainError as exc:
                outcomes.append(exc.status_code)
            except Exception as exc:  # noqa: BLE001 — what the API would answer 500
                outcomes.append(repr(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=request) for _ in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert len(outcomes) == 150
    assert set(outcomes) <= {409, 422}, [o for o in outcomes if o not in (409, 422)][:3]
