"""Order e-mails: a job written with the payment (the outbox), sent by a real worker (here, to
files), each e-mail once however often the job runs."""

from __future__ import annotations

import time

import pytest
import redis
from django.conf import settings

from ewtp.models import OutboxJob
from marketplace.models import OrderEmail
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


def test_a_retry_after_one_sellers_mail_failed_sends_only_what_is_unsent(
    scarf, batik, buyer_be, mailoutbox, monkeypatch
):
    """A retry after the second seller's mail failed resent the buyer's and the first seller's."""
    from django.core import mail

    order = paid(buyer_be, (scarf, 1), (batik, 1))
    real_send = mail.backends.locmem.EmailBackend.send_messages

    def refuse_batik(self, messages):
        if any(batik.shop.owner.email in m.to for m in messages):
            raise ConnectionRefusedError("mail server down")
        return real_send(self, messages)

    monkeypatch.setattr(mail.backends.locmem.EmailBackend, "send_messages", refuse_batik)
    with pytest.raises(ConnectionRefusedError):
        order_email_send(kind="order_paid", order_id=order.pk)
    assert len(mailoutbox) == 2  # the buyer's and the first shop's
    monkeypatch.setattr(mail.backends.locmem.EmailBackend, "send_messages", real_send)
    assert order_email_send(kind="order_paid", order_id=order.pk) == 1  # the retry: only batik's
    assert order_email_send(kind="order_paid", order_id=order.pk) == 0  # a redelivery: nothing
    assert [m.to for m in mailoutbox].count([buyer_be.email]) == 1
    assert OrderEmail.objects.filter(order=order, kind="order_paid").count() == 3


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
    assert broker.llen("default") == 0  # paying never waits on the broker: the job is in the outbox
    assert OutboxJob.objects.filter(task="marketplace.send_order_email").count() == 1
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
