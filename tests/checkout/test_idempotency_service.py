"""marketplace.services.idempotency.order_place_once under concurrency: requests sharing a key
never answer 500, whatever the first of them does. (One key, one order: test_order_insert.py.)"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from ewtp.exceptions import DomainError
from marketplace.services.idempotency import order_place_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_requests_sharing_a_key_whose_first_fails_never_answer_500(buyer_be):
    """A request that collided with a claim that its failing owner then let go read the key back
    and got `DoesNotExist` (a 500: 7 of 150). Every one now ends with the work's own refusal (the
    409 it gives): the key is claimed in the work's transaction, so a failed owner leaves none."""

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
                order_place_once(user=buyer_be, key=key, scope="test", payload={"a": 1}, place=fail)
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
