"""Operators see orders and the ledger in the admin but change them only through services."""

import pytest
from django.urls import reverse

from marketplace.models import OrderStatus
from tests.checkout.test_lifecycle import paid

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client, django_user_model):
    operator = django_user_model.objects.create_superuser(
        username="op", email="op@example.org", password="pw-operator-2026", role="operator"
    )
    client.force_login(operator)
    return client


def test_operators_read_orders_and_cancel_through_the_service(operator_client, scarf, buyer_be):
    order = paid(buyer_be, (scarf, 1))
    page = operator_client.get(reverse("admin:marketplace_order_changelist"))
    assert page.status_code == 200 and order.number in page.content.decode()
    detail = operator_client.get(reverse("admin:marketplace_order_change", args=[order.pk]))
    assert detail.status_code == 200 and "Hangzhou Silk" in detail.content.decode()
    response = operator_client.post(
        reverse("admin:marketplace_order_changelist"),
        {"action": "cancel_orders", "_selected_action": [order.pk]},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.ledger_transactions.filter(kind="refund").exists()


def test_the_ledger_cannot_be_edited_in_the_admin(operator_client, scarf, buyer_be):
    order = paid(buyer_be, (scarf, 1))
    txn = order.ledger_transactions.get()
    url = reverse("admin:marketplace_ledgertransaction_change", args=[txn.pk])
    assert operator_client.get(url).status_code == 200  # readable
    assert operator_client.post(url, {"memo": "edited"}).status_code == 403
    assert (
        operator_client.post(reverse("admin:marketplace_ledgertransaction_delete", args=[txn.pk])).status_code
        == 403
    )
