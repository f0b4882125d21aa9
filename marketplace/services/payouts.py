"""Payouts: the seller's available balance sent home, through a payout gateway (a small interface
a real provider could implement; `SandboxPayoutGateway` for demos and tests).

Never the same money twice. Asking for a payout locks the shop's row, checks the balance covers
it and moves the amount off the balance onto "payouts in transit" in the same transaction, so two
requests at once cannot both spend it. The transfer is made by a worker (`jobs.send_payout`) under
the payout's own reference (`po_<id>`): the gateway answers a repeated reference with its first
transfer, so a retried or duplicated job, or the sweeper after a worker died between the transfer
and its record, never pays twice. The answer is recorded with a conditional update (`pending` →
`paid` or `failed`) and one settlement on the ledger (in transit → paid out, or back to the
balance), which a database constraint allows once.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ewtp.exceptions import DomainError
from ewtp.money import Money, decimal_places, minor_unit, quantize
from marketplace import jobs
from marketplace.models import (
    Payout,
    PayoutMethod,
    PayoutMethodKind,
    PayoutStatus,
    PayoutTrigger,
    SandboxPayoutTransfer,
    Shop,
)
from marketplace.models.ledger import seller_account
from marketplace.selectors.buyers import babel_locale
from marketplace.selectors.fx import rates_in_force
from marketplace.selectors.ledger import account_balance
from marketplace.services.ledger import ledger_payout_send, ledger_payout_settle
from marketplace.services.payout_methods import default_payout_method

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TransferResult:
    succeeded: bool
    transfer_id: str  # the gateway's own id of the transfer
    message: str = ""


class PayoutGatewayUnavailable(Exception):
    """The gateway could not be asked (network, outage): ask again later, nothing was decided."""


class PayoutGateway(Protocol):
    name: str

    def send(self, *, amount: Money, method: PayoutMethod, reference: str) -> TransferResult:
        """Send `amount` to `method` under our `reference`; a refused transfer is a result, not an
        error. Sending a reference twice must not send the money twice."""
        ...

    def lookup(self, reference: str) -> TransferResult | None:
        """What became of the transfer under `reference`, or None when none was made."""
        ...


class SandboxPayoutGateway:
    """A pretend wallet and bank network — no money moves. Every transfer succeeds except to a
    number or account ending in 0002 (refused, as a closed account is). Keeps its transfers
    (`SandboxPayoutTransfer`, committed at once, as a provider's books are) to answer `lookup`."""

    name = "sandbox"
    REFUSED_SUFFIX = "0002"

    def send(self, *, amount: Money, method: PayoutMethod, reference: str) -> TransferResult:
        known = self.lookup(reference)
        if known is not None:
            return known
        number = (
            method.phone
            if method.kind == PayoutMethodKind.MOBILE_MONEY
            else method.iban or method.account_number
        )
        transfer_id = "sbt_" + secrets.token_hex(8)
        if number.endswith(self.REFUSED_SUFFIX):
            result = TransferResult(
                False, transfer_id, _("The receiving account is closed. Add another payout method.")
            )
        else:
            result = TransferResult(True, transfer_id)
        try:
            with transaction.atomic():
                SandboxPayoutTransfer.objects.create(
                    reference=reference,
                    transfer_id=result.transfer_id,
                    succeeded=result.succeeded,
                    amount=amount.amount,
                    currency=amount.currency,
                    destination=method.destination,
                    message=result.message,
                )
        except IntegrityError:  # the same reference sent at the same moment: the first one stands
            return self.lookup(reference) or result
        return result

    def lookup(self, reference: str) -> TransferResult | None:
        transfer = SandboxPayoutTransfer.objects.filter(reference=reference).first()
        if transfer is None:
            return None
        return TransferResult(transfer.succeeded, transfer.transfer_id, transfer.message)


def payout_gateway() -> PayoutGateway:
    path = getattr(settings, "EWTP_PAYOUT_GATEWAY", "marketplace.services.payouts.SandboxPayoutGateway")
    return import_string(path)()


def payout_minimum(currency: str) -> Money:
    """The smallest payout on demand: `EWTP_PAYOUT_MINIMUM_USD` (default 10) in the shop's currency
    at today's rate (rounded up to a whole unit), or that many units when no rate is known."""
    usd = Decimal(str(getattr(settings, "EWTP_PAYOUT_MINIMUM_USD", "10")))
    converted = rates_in_force().convert(Money(usd, "USD"), currency)
    amount = converted.amount if converted is not None else usd
    return Money(amount.to_integral_value(rounding="ROUND_CEILING"), currency)


def _amount(raw, currency: str) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        amount = Decimal(str(raw).strip()[:32])
    except InvalidOperation:
        amount = None
    if (
        amount is None
        or not amount.is_finite()
        or amount <= 0
        or decimal_places(amount) > minor_unit(currency)
    ):
        message = _("Enter an amount above zero in %(currency)s, with at most %(places)d decimals.") % {
            "currency": currency,
            "places": minor_unit(currency),
        }
        raise DomainError(message, field_errors={"amount": [message]})
    return amount


def payout_request(
    *, shop: Shop, amount=None, trigger: str = PayoutTrigger.ON_DEMAND, week: date | None = None
) -> Payout:
    """A payout of `amount` (default: everything available) to the shop's default method. On demand
    it must reach `payout_minimum`; the weekly one pays whatever is there above it, once a week."""
    asked = _amount(amount, shop.currency)
    with transaction.atomic():
        Shop.objects.select_for_update().get(pk=shop.pk)  # one payout decision per shop at a time
        method = default_payout_method(shop)
        if method is None:
            raise DomainError(_("Add a mobile-money wallet or a bank account to be paid to first."))
        available = account_balance(seller_account(shop.pk), shop.currency)
        money = (
            Money(quantize(asked, shop.currency), shop.currency)
            if asked is not None
            else available.quantized()
        )
        minimum = payout_minimum(shop.currency)
        if money.amount > available.amount:
            message = _("You can be paid at most %(available)s now.") % {
                "available": available.format(babel_locale())
            }
            raise DomainError(message, field_errors={"amount": [message]})
        if money < minimum:
            message = _("A payout must be at least %(minimum)s; your balance grows with each delivery.") % {
                "minimum": minimum.format(babel_locale())
            }
            raise DomainError(message, field_errors={"amount": [message]})
        payout = Payout.objects.create(
            shop=shop, method=method, amount=money.amount, currency=money.currency, trigger=trigger, week=week
        )
        ledger_payout_send(payout=payout)
        jobs.send_payout(payout.pk)
    return payout


def payout_send(*, payout_id: int) -> str | None:
    """The worker's part: make the transfer (under the payout's reference) and record the answer.
    Returns the payout's status, or None when there was nothing to do."""
    payout = Payout.objects.select_related("method").filter(pk=payout_id).first()
    if payout is None or payout.status != PayoutStatus.PENDING:
        return None
    provider = payout_gateway()
    Payout.objects.filter(pk=payout.pk).update(
        attempts=F("attempts") + 1, sent_at=timezone.now(), gateway=provider.name
    )
    result = provider.send(
        amount=Money(payout.amount, payout.currency), method=payout.method, reference=payout.reference
    )
    return payout_finish(payout_id=payout.pk, result=result)


@transaction.atomic
def payout_finish(*, payout_id: int, result: TransferResult) -> str | None:
    """Record the gateway's answer once: paid (in transit → paid out) or failed (back to the
    balance). Whoever records first wins; a later answer changes nothing. Under the shop's lock,
    as every change of a seller's balance is (shop, then payout: one order, no deadlock)."""
    shop_id = Payout.objects.values_list("shop_id", flat=True).get(pk=payout_id)
    Shop.objects.select_for_update().filter(pk=shop_id).first()
    payout = Payout.objects.select_for_update().get(pk=payout_id)
    if payout.status != PayoutStatus.PENDING:
        return None
    payout.status = PayoutStatus.PAID if result.succeeded else PayoutStatus.FAILED
    payout.transfer_id, payout.failure_message = result.transfer_id, result.message[:240]
    payout.settled_at = timezone.now()
    payout.save(update_fields=["status", "transfer_id", "failure_message", "settled_at"])
    ledger_payout_settle(payout=payout, paid=result.succeeded)
    return payout.status


def retry_after() -> timedelta:
    """How long a payout may stay pending before the sweeper asks the gateway: longer than any
    transfer takes, `EWTP_PAYOUT_RETRY_MINUTES` (default 2)."""
    return timedelta(minutes=float(getattr(settings, "EWTP_PAYOUT_RETRY_MINUTES", 2)))


def payouts_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Beat: finish payouts a crash, a lost job or a gateway outage left pending. Each is asked
    about at the gateway under its reference and sent (again) only when no transfer was made."""
    cutoff = (now or timezone.now()) - retry_after()
    stuck = Payout.objects.filter(status=PayoutStatus.PENDING, created_at__lt=cutoff).exclude(
        sent_at__gte=cutoff
    )
    done = {"finished": 0, "unavailable": 0}
    for payout_id in stuck.values_list("pk", flat=True)[:500]:
        try:
            status = payout_send(payout_id=payout_id)
        except PayoutGatewayUnavailable:
            done["unavailable"] += 1
            continue
        if status is not None:
            done["finished"] += 1
    return done


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def payouts_weekly(*, today: date | None = None) -> dict[str, int]:
    """Beat, each Monday: every shop with a payout method and at least the minimum available is
    paid all of it. At most once a week per shop (a constraint), however often this runs."""
    week = week_of(today or timezone.localdate())
    counts = {"paid": 0, "skipped": 0}
    shops = Shop.objects.filter(payout_methods__is_active=True, payout_methods__is_default=True).distinct()
    for shop in shops.order_by("pk"):
        try:
            payout_request(shop=shop, trigger=PayoutTrigger.WEEKLY, week=week)
        except (DomainError, IntegrityError):
            counts["skipped"] += 1  # below the minimum, or already paid this week
        else:
            counts["paid"] += 1
    return counts
