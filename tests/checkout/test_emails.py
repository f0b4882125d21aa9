"""Order e-mails go through Celery after commit: a real worker sends them (here, to files)."""

from __future__ import annotations

import time

import pytest
import redis
from django.conf import settings

from marketplace.services.notifications import order_email_send
from tests.celery_worker import running_worker
from tests.checkout.test_lifecycle import paid, place

pytestmark = pytest.mark.django_db


def test_paying_sends_the_buyer_a_confirmation_and_each_seller_their_consignment(
    scarf, batik, buyer_be, mailoutbox
):
    order = paid(buyer_be, (scarf, 1), (batik, 1))
    assert order_email_send(kind="order_paid", order_id=order.pk) == 3
    buyer_mail, *seller_mails = mailoutbox
    assert buyer_mail.to == ["lotte@example.org"] and order.number in buyer_mail.subject
    assert "Silk scarf" in buyer_mail.body and "duties and taxes included" in buyer_mail.body
    assert sorted(m.to[0] for m in seller_mails) == sorted([scarf.shop.owner.email, batik.shop.owner.email])
    scarf_mail = next(m for m in seller_mails if m.to == [scarf.shop.owner.email])
    assert "Silk scarf" in scarf_mail.body and "Batik shirt" not in scarf_mail.body  # only their own lines
    assert "Rue Léopold" not in scarf_mail.body  # the seller learns the city, not the street


def test_cancelling_tells_the_buyer_and_the_sellers(scarf, buyer_be, mailoutbox):
    from marketplace.services.orders import order_cancel

    order = paid(buyer_be, (scarf, 1))
    order_cancel(order=order, actor=buyer_be)
    assert order_email_send(kind="order_cancelled", order_id=order.pk) == 2
    assert "refunded" in mailoutbox[0].body
    assert "Do not ship" in mailoutbox[1].body


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_emails_after_the_payment_commits(scarf, buyer_be, tmp_path):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("default")
    order = place(buyer_be, (scarf, 1))
    assert broker.llen("default") == 0  # placing sends nothing
    from marketplace.services.payments import order_pay
    from tests.checkout.helpers import CARD_OK

    order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
    assert broker.llen("default") == 1  # enqueued once the payment committed
    with running_worker(
        EWTP_TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path),
    ):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(list(tmp_path.iterdir())) == 0:
            time.sleep(0.2)
        time.sleep(1)
    written = "".join(path.read_text() for path in tmp_path.iterdir())
    assert f"Order {order.number} confirmed" in written
    assert "New consignment to ship" in written
