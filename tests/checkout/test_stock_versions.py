"""Orders keep stock-dependent catalog answers fresh: the `stock` version moves when an order sells a
listing out or a cancellation/expiry brings it back — and not on every order (the catalog stays cached)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ewtp import versions
from marketplace.services.orders import order_cancel, orders_expire_due
from tests.checkout.test_lifecycle import paid, place

pytestmark = pytest.mark.django_db


def moved(callbacks_capture, write) -> set[str]:
    before = {name: versions.current(name) for name in versions.NAMES}
    with callbacks_capture(execute=True):
        result = write()
    after = {name: versions.current(name) for name in versions.NAMES}
    return {name for name in versions.NAMES if after[name] != before[name]}, result


def test_an_order_that_leaves_stock_moves_nothing(scarf, buyer_be, django_capture_on_commit_callbacks):
    changed, _order = moved(django_capture_on_commit_callbacks, lambda: place(buyer_be, (scarf, 2)))
    assert changed == set()


def test_selling_out_and_cancelling_move_the_stock_version(
    scarf, buyer_be, django_capture_on_commit_callbacks
):
    """Guards `stock_changed(sold_out)` in order_place and in order_cancel."""
    changed, order = moved(django_capture_on_commit_callbacks, lambda: paid(buyer_be, (scarf, 5)))
    assert changed == {versions.STOCK}
    changed, _ = moved(django_capture_on_commit_callbacks, lambda: order_cancel(order=order, actor=buyer_be))
    assert changed == {versions.STOCK}


def test_expiry_bringing_stock_back_moves_the_stock_version(
    scarf, buyer_be, django_capture_on_commit_callbacks
):
    """Guards `stock_changed` in orders_expire_due."""
    order = place(buyer_be, (scarf, 5))
    changed, count = moved(
        django_capture_on_commit_callbacks,
        lambda: orders_expire_due(now=order.expires_at + timedelta(seconds=1)),
    )
    assert count == 1 and changed == {versions.STOCK}
