"""Payouts at home (issue 20): released escrow becomes the seller's available balance in the shop's
currency, and payouts move it to a wallet or a bank through the sandbox gateway — on a balanced
double-entry ledger, never twice."""

from __future__ import annotations

import csv
import io
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ewtp.exceptions import DomainError
from ewtp.models import OutboxJob
from marketplace.models import LedgerKind, Payout, PayoutStatus, SandboxPayoutTransfer
from marketplace.models.ledger import seller_account, seller_in_transit_account, seller_paid_out_account
from marketplace.selectors.ledger import account_balance, ledger_totals_by_currency
from marketplace.selectors.payouts import payout_statement, shop_balance
from marketplace.services.fulfilment import consignment_hand_over, consignment_mark_delivered
from marketplace.services.payout_methods import payout_method_add
from marketplace.services.payouts import (
    payout_minimum,
    payout_request,
    payout_send,
    payouts_sweep,
    payouts_weekly,
    retry_after,
)
from tests.checkout.test_lifecycle import paid

pytestmark = pytest.mark.django_db

ALIPAY = "+86 138 0013 8000"
ALIPAY_CLOSED = "+86 138 0013 0002"  # the sandbox refuses numbers ending in 0002


def delivered(buyer, *items):
    order = paid(buyer, *items)
    for consignment in order.consignments.all():
        consignment_hand_over(consignment=consignment, actor=consignment.shop.owner)
        consignment_mark_delivered(consignment=consignment)
    return order


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def assert_ledger_balances():
    assert all(total == 0 for total in ledger_totals_by_currency().values())


@pytest.fixture
def earned(scarf, buyer_be):
    """The Hangzhou shop (CNY) sold two scarves to a Belgian buyer (EUR); the parcel was delivered."""
    delivered(buyer_be, (scarf, 2))
    return scarf.shop


# --- The balance in the shop's money -------------------------------------------------------------


def test_the_balance_is_in_the_shops_currency_over_the_api(earned, scarf, buyer_be):
    paid(buyer_be, (scarf, 1))  # another order, paid and not yet delivered: held
    body = api(earned.owner).get("/api/v1/seller/balance/").json()
    balance = shop_balance(earned)
    assert body["currency"] == "CNY"
    assert Decimal(body["available"]) == balance.available.amount > 0
    assert Decimal(body["held"]) == balance.held.amount > 0
    assert Decimal(body["paid_out"]) == 0
    assert {"currency", "available", "held", "paid_out"} <= set(body)


def test_only_a_seller_has_a_balance(buyer_be, earned):
    assert api(buyer_be).get("/api/v1/seller/balance/").status_code == 403
    assert APIClient().get("/api/v1/seller/balance/").status_code in (401, 403)
    assert api(buyer_be).post("/api/v1/seller/payouts/", {}, format="json").status_code == 403
    assert api(buyer_be).get("/api/v1/seller/payout-methods/").status_code == 403


# --- Payout methods --------------------------------------------------------------------------------


def test_a_wallet_is_checked_by_its_country_and_currency(earned):
    client = api(earned.owner)
    response = client.post(
        "/api/v1/seller/payout-methods/", {"kind": "mobile_money", "phone": ALIPAY}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["phone"] == "+8613800138000" and body["network"] == "Alipay" and body["is_default"]
    assert body["destination"].endswith("8000")

    refusals = {
        "0712": "country code",  # not a phone number
        "+1 555 123 4567": "country code",  # not a real number
        "+44 7700 900123": "country code",
        "+254 712 345 678": "holds KES",  # an M-Pesa wallet holds shillings, the shop is paid in yuan
    }
    for phone, words in refusals.items():
        response = client.post(
            "/api/v1/seller/payout-methods/", {"kind": "mobile_money", "phone": phone}, format="json"
        )
        assert response.status_code == 400, phone
        assert words in response.json()["phone"][0], (phone, response.json())
    assert client.post("/api/v1/seller/payout-methods/", {"kind": "cheque"}, format="json").status_code == 400


def test_mobile_money_where_people_use_it(trade_data):
    from tests.marketplace.factories import ShopFactory

    for country, currency, phone, network in [
        ("KE", "KES", "+254 712 345 678", "M-Pesa"),
        ("TZ", "TZS", "+255 712 345 678", "M-Pesa"),
        ("UG", "UGX", "+256 772 123 456", "MTN MoMo"),
        ("RW", "RWF", "+250 788 123 456", "MTN MoMo"),
        ("MY", "MYR", "+60 12 345 6789", "Touch 'n Go eWallet"),
    ]:
        shop = ShopFactory(country=country, currency=currency, owner__country=country)
        method = payout_method_add(shop=shop, data={"kind": "mobile_money", "phone": phone})
        assert method.network == network and method.country == country


def test_a_bank_account_is_checked(trade_data):
    from tests.marketplace.factories import ShopFactory

    shop = ShopFactory(country="FR", currency="EUR", owner__country="FR")
    client = api(shop.owner)
    url = "/api/v1/seller/payout-methods/"
    good = {
        "kind": "bank",
        "account_holder": "Awa Diop",
        "iban": "FR76 3000 6000 0112 3456 7890 189",
        "country": "FR",
    }
    response = client.post(url, good, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["iban"] == "FR7630006000011234567890189"

    bad_digit = {**good, "iban": "FR76 3000 6000 0112 3456 7890 188"}
    assert "not valid" in client.post(url, bad_digit, format="json").json()["iban"][0]
    elsewhere = {**good, "iban": "DE89 3704 0044 0532 0130 00"}
    assert "not in" in client.post(url, elsewhere, format="json").json()["iban"][0]
    no_iban = {
        "kind": "bank",
        "account_holder": "Awa Diop",
        "account_number": "12345678",
        "bank_code": "BNPAFRPP",
    }
    assert "IBAN" in client.post(url, no_iban, format="json").json()["iban"][0]
    assert (
        "name" in client.post(url, {**good, "account_holder": " "}, format="json").json()["account_holder"][0]
    )

    kenya = ShopFactory(country="KE", currency="KES", owner__country="KE")  # no IBANs in Kenya
    response = api(kenya.owner).post(
        url,
        {
            "kind": "bank",
            "account_holder": "Wanjiru",
            "account_number": "0123456789",
            "bank_code": "KCBLKENX",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    missing_code = {"kind": "bank", "account_holder": "Wanjiru", "account_number": "0123456789"}
    assert "code" in api(kenya.owner).post(url, missing_code, format="json").json()["bank_code"][0]


# --- Payouts, end to end ---------------------------------------------------------------------------


def test_a_payout_to_a_wallet_end_to_end_with_the_ledger_balanced(earned):
    client = api(earned.owner)
    client.post("/api/v1/seller/payout-methods/", {"kind": "mobile_money", "phone": ALIPAY}, format="json")
    available = shop_balance(earned).available
    response = client.post("/api/v1/seller/payouts/", {}, format="json")  # no amount: everything available
    assert response.status_code == 202, response.json()
    body = response.json()
    assert (
        body["status"] == "pending"
        and Decimal(body["amount"]) == available.amount
        and body["currency"] == "CNY"
    )
    assert OutboxJob.objects.filter(
        task="marketplace.send_payout", args=[body["id"]]
    ).exists()  # the worker's job
    balance = shop_balance(earned)
    assert balance.available.amount == 0 and balance.in_transit == available  # off the balance at once
    assert_ledger_balances()

    assert payout_send(payout_id=body["id"]) == PayoutStatus.PAID
    assert payout_send(payout_id=body["id"]) is None  # a redelivered job does nothing
    assert SandboxPayoutTransfer.objects.count() == 1
    listed = client.get("/api/v1/seller/payouts/").json()["results"]
    assert [p["status"] for p in listed] == ["paid"]
    balance = shop_balance(earned)
    assert balance.available.amount == 0 and balance.in_transit.amount == 0 and balance.paid_out == available
    assert account_balance(seller_paid_out_account(earned.pk), "CNY") == available
    assert_ledger_balances()


def test_a_failed_payout_returns_the_money_to_the_balance(earned):
    payout_method_add(shop=earned, data={"kind": "mobile_money", "phone": ALIPAY_CLOSED})
    available = shop_balance(earned).available
    payout = payout_request(shop=earned)
    assert payout_send(payout_id=payout.pk) == PayoutStatus.FAILED
    payout.refresh_from_db()
    assert payout.failure_message and payout.settled_at
    balance = shop_balance(earned)
    assert balance.available == available and balance.in_transit.amount == 0 and balance.paid_out.amount == 0
    kinds = list(payout.ledger_transactions.values_list("kind", flat=True))
    assert kinds == [LedgerKind.PAYOUT, LedgerKind.PAYOUT_RETURNED]
    assert_ledger_balances()


def test_a_payout_asks_for_what_it_can(earned, scarf):
    client = api(earned.owner)
    response = client.post("/api/v1/seller/payouts/", {}, format="json")
    assert response.status_code == 400 and "first" in response.json()["detail"]  # no method yet
    client.post("/api/v1/seller/payout-methods/", {"kind": "mobile_money", "phone": ALIPAY}, format="json")
    available = shop_balance(earned).available
    for amount, words in [
        (str(available.amount + 1), "at most"),
        ("1", "at least"),
        ("-5", "above zero"),
        ("12.345", "decimals"),
        ("lots", "above zero"),
    ]:
        response = client.post("/api/v1/seller/payouts/", {"amount": amount}, format="json")
        assert response.status_code == 400, amount
        assert words in response.json()["amount"][0], (amount, response.json())
    assert not Payout.objects.exists()
    part = (available.amount / 2).quantize(Decimal("0.01"))
    assert part >= payout_minimum("CNY").amount
    assert client.post("/api/v1/seller/payouts/", {"amount": str(part)}, format="json").status_code == 202
    assert shop_balance(earned).available.amount == available.amount - part


def test_the_minimum_is_ten_dollars_in_the_shops_money(trade_data):
    from marketplace.selectors.fx import rates_in_force

    usd = rates_in_force().convert(__import__("ewtp.money").money.Money(Decimal("10"), "USD"), "CNY")
    assert payout_minimum("CNY").amount == usd.amount.to_integral_value(rounding="ROUND_CEILING")


@pytest.mark.django_db(transaction=True)
def test_two_payouts_at_once_never_spend_the_same_money(earned):
    """Two requests for everything available, at the same moment: one is paid, the other refused."""
    payout_method_add(shop=earned, data={"kind": "mobile_money", "phone": ALIPAY})
    available = shop_balance(earned).available
    barrier = threading.Barrier(2)
    results = []

    def ask():
        try:
            barrier.wait()
            results.append(payout_request(shop=earned))
        except DomainError as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    payouts = [r for r in results if isinstance(r, Payout)]
    assert len(payouts) == 1 and len(results) == 2
    assert Payout.objects.get().amount == available.amount
    assert account_balance(seller_account(earned.pk), "CNY").amount == 0
    assert account_balance(seller_in_transit_account(earned.pk), "CNY") == available
    assert_ledger_balances()


def test_the_sweeper_finishes_a_payout_whose_job_was_lost(earned):
    payout_method_add(shop=earned, data={"kind": "mobile_money", "phone": ALIPAY})
    payout = payout_request(shop=earned)
    OutboxJob.objects.all().delete()  # the job never reached a worker
    assert payouts_sweep() == {"finished": 0, "unavailable": 0}  # not due yet
    later = timezone.now() + retry_after() + timedelta(seconds=1)
    assert payouts_sweep(now=later)["finished"] == 1
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PAID and SandboxPayoutTransfer.objects.count() == 1
    assert_ledger_balances()


def test_a_transfer_made_before_a_crash_is_recorded_not_sent_again(earned):
    """The worker died after the gateway paid and before the record: the sweeper finds the transfer
    under the payout's reference and records it; the money is sent once."""
    from marketplace.services.payouts import SandboxPayoutGateway

    payout_method_add(shop=earned, data={"kind": "mobile_money", "phone": ALIPAY})
    payout = payout_request(shop=earned)
    SandboxPayoutGateway().send(amount=payout.money, method=payout.method, reference=payout.reference)
    later = timezone.now() + retry_after() + timedelta(seconds=1)
    assert payouts_sweep(now=later)["finished"] == 1
    assert SandboxPayoutTransfer.objects.count() == 1
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PAID
    assert_ledger_balances()


def test_weekly_payouts_pay_each_shop_once_a_week(earned, shop_my):
    payout_method_add(shop=earned, data={"kind": "mobile_money", "phone": ALIPAY})
    payout_method_add(
        shop=shop_my, data={"kind": "mobile_money", "phone": "+60 12 345 6789"}
    )  # nothing earned
    monday = date(2026, 12, 7)
    assert payouts_weekly(today=monday) == {"paid": 1, "skipped": 1}
    assert payouts_weekly(today=monday + timedelta(days=2)) == {"paid": 0, "skipped": 2}  # same week
    payout = Payout.objects.get()
    assert payout.trigger == "weekly" and payout.week == monday and payout.shop == earned
    schedule = settings.CELERY_BEAT_SCHEDULE["weekly-payouts"]
    assert schedule["task"] == "marketplace.weekly_payouts"
    assert settings.CELERY_BEAT_SCHEDULE["sweep-payouts"]["schedule"] <= 60


# --- Statements ------------------------------------------------------------------------------------


def test_a_statement_shows_each_release_with_its_rate(earned, scarf, buyer_be, client):
    payout_method_add(shop=earned, data={"kind": "mobile_money", "phone": ALIPAY})
    first = payout_request(shop=earned)
    payout_send(payout_id=first.pk)
    order = delivered(buyer_be, (scarf, 1))
    second = payout_request(shop=earned)
    statement = payout_statement(second)
    assert statement.opening.amount == 0 and statement.closing.amount == 0
    release, sent = statement.lines
    assert release.kind == LedgerKind.RELEASE and release.label == order.number
    assert release.source.currency == "EUR" and release.rate > 1 and release.amount.currency == "CNY"
    assert sent.kind == LedgerKind.PAYOUT and sent.amount.amount == -second.amount

    client.force_login(earned.owner)
    page = client.get(reverse("seller-payout-statement", args=[second.pk]))
    assert page.status_code == 200 and order.number in page.content.decode()
    response = client.get(reverse("seller-payout-statement-csv", args=[second.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["what"] for row in rows] == ["opening_balance", "release", "payout", "closing_balance"]
    assert rows[1]["reference"] == order.number and rows[1]["buyer_currency"] == "EUR" and rows[1]["rate"]


def test_another_sellers_statement_is_not_found(earned, shop_my, client):
    payout_method_add(shop=earned, data={"kind": "mobile_money", "phone": ALIPAY})
    payout = payout_request(shop=earned)
    client.force_login(shop_my.owner)
    assert client.get(reverse("seller-payout-statement", args=[payout.pk])).status_code == 404
    assert client.get(reverse("seller-payout-statement-csv", args=[payout.pk])).status_code == 404


# --- The payouts page ------------------------------------------------------------------------------


def test_the_payouts_page_adds_a_wallet_and_pays_out(earned, client):
    client.force_login(earned.owner)
    page = client.get(reverse("seller-payouts"))
    assert page.status_code == 200 and "CNY" in page.content.decode()
    bad = client.post(reverse("seller-payouts"), {"method-kind": "mobile_money", "method-phone": "12"})
    assert bad.status_code == 400 and "country code" in bad.content.decode()
    response = client.post(reverse("seller-payouts"), {"method-kind": "mobile_money", "method-phone": ALIPAY})
    assert response.status_code == 302
    response = client.post(reverse("seller-payouts"), {"payout-amount": ""})
    assert response.status_code == 302
    payout = Payout.objects.get()
    page = client.get(reverse("seller-payouts")).content.decode()
    assert payout.method.destination in page and reverse("seller-payout-statement", args=[payout.pk]) in page
