"""Where a seller is paid: a mobile-money wallet where people use one (`data/payout_wallets.csv`),
a bank account elsewhere. Numbers are checked with the libraries made for it — phone numbers with
`phonenumbers` (Google's libphonenumber data), IBANs with `schwifty` — and every refusal says what
to fix in the seller's language."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import phonenumbers
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from schwifty.registry import get_iban_spec

from ewtp.countries import country_name
from ewtp.exceptions import DomainError, field_error
from marketplace.models import PayoutMethod, PayoutMethodKind, Shop

WALLETS_CSV = Path(__file__).resolve().parent.parent / "data" / "payout_wallets.csv"
ACCOUNT_NUMBER = re.compile(r"^[A-Z0-9]{4,34}$")
BANK_CODE = re.compile(r"^[A-Z0-9]{2,20}$")
MAX_METHODS = 10


@dataclass(frozen=True)
class Wallet:
    country: str
    currency: str
    network: str


@cache
def wallets() -> dict[str, Wallet]:
    """The wallet network per country, from the reference data."""
    with WALLETS_CSV.open(newline="", encoding="utf-8") as f:
        return {
            row["country"]: Wallet(row["country"], row["currency"], row["network"])
            for row in csv.DictReader(f)
        }



def _uses_iban(country: str) -> bool:
    try:
        get_iban_spec(country)
    except SchwiftyException:
        return False
    return True


def wallet_for_phone(raw: str, shop: Shop) -> tuple[str, Wallet]:
    """The number in E.164 and its country's wallet network; refused when the number is not a real
    mobile number, its country has no wallet we pay to, or the wallet holds another currency."""
    try:
        number = phonenumbers.parse(str(raw)[:40], str(shop.country) or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise field_error(
            "phone", _("Enter the wallet's phone number with its country code, like +254 712 345 678.")
        )
    region = phonenumbers.region_code_for_number(number)
    wallet = wallets().get(region)
    if wallet is None:
        places = ", ".join(country_name(code) for code in wallets())
        raise field_error(
            "phone",
            _("We pay to mobile wallets in %(places)s. Add a bank account instead.") % {"places": places},
        )
    if wallet.currency != shop.currency:
        raise field_error(
            "phone",
            _("A %(network)s wallet holds %(wallet)s, but your shop is paid in %(shop)s.")
            % {"network": wallet.network, "wallet": wallet.currency, "shop": shop.currency}
            + " "
            + _("Add a bank account instead."),
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), wallet


def _bank_fields(data: dict, shop: Shop) -> dict:
    holder = str(data.get("account_holder") or "").strip()
    if not holder:
        raise field_error("account_holder", _("Enter the name on the bank account."))
    if len(holder) > 120:
        raise field_error("account_holder", _("The account holder's name can be at most 120 characters."))
    country = str(data.get("country") or shop.country).upper()
    if country not in countries:
        raise field_error("country", _("Choose the bank's country."))
    iban_raw = str(data.get("iban") or "").replace(" ", "").upper()
    if iban_raw:
        try:
            iban = IBAN(iban_raw[:40])
        except SchwiftyException:
            raise field_error(
                "iban", _("This IBAN is not valid: check each character against your bank's papers.")
            ) from None
        if iban.country_code != country:
            raise field_error(
                "iban",
                _("This IBAN belongs to a bank in %(iban)s, not in %(country)s.")
                % {"iban": country_name(iban.country_code), "country": country_name(country)},
            )
        return {"account_holder": holder, "iban": iban.compact, "country": country}
    if _uses_iban(country):
        raise field_error(
            "iban", _("Banks in %(country)s use an IBAN: enter it.") % {"country": country_name(country)}
        )
    number = str(data.get("account_number") or "").replace(" ", "").replace("-", "").upper()
    if not ACCOUNT_NUMBER.match(number):
        raise field_error("account_number", _("Enter the account number: 4 to 34 letters and digits."))
    code = str(data.get("bank_code") or "").replace(" ", "").replace("-", "").upper()
    if not BANK_CODE.match(code):
        raise field_error(
            "bank_code",
            _("Enter the bank's code (its SWIFT/BIC or routing code): 2 to 20 letters and digits."),
        )
    return {"account_holder": holder, "account_number": number, "bank_code": code, "country": country}


@transaction.atomic
def payout_method_add(*, shop: Shop, data: dict) -> PayoutMethod:
    """A new payout method for the shop, the default one (the previous default stays, not default)."""
    kind = str(data.get("kind") or "")
    if kind == PayoutMethodKind.MOBILE_MONEY:
        phone, wallet = wallet_for_phone(str(data.get("phone") or ""), shop)
        fields = {"phone": phone, "network": wallet.network, "country": wallet.country}
    elif kind == PayoutMethodKind.BANK:
        fields = _bank_fields(data, shop)
    else:
        raise field_error("kind", _("Choose mobile money or a bank transfer."))
    Shop.objects.select_for_update().get(pk=shop.pk)  # one change of default at a time
    if shop.payout_methods.filter(is_active=True).count() >= MAX_METHODS:
        raise DomainError(
            _("A shop can keep at most %(n)d payout methods: remove one first.") % {"n": MAX_METHODS}
        )
    shop.payout_methods.filter(is_active=True, is_default=True).update(is_default=False)
    return PayoutMethod.objects.create(shop=shop, kind=kind, is_default=True, **fields)


def payout_method_remove(*, shop: Shop, method_id: int) -> None:
    """Made inactive, never deleted (payouts point at it); another one becomes the default."""
    with transaction.atomic():
        Shop.objects.select_for_update().get(pk=shop.pk)
        method = shop.payout_methods.filter(pk=method_id, is_active=True).first()
        if method is None:
            raise DomainError(_("No such payout method."))
        method.is_active, method.is_default = False, False
        method.save(update_fields=["is_active", "is_default"])
        successor = shop.payout_methods.filter(is_active=True).order_by("-created_at", "-id").first()
        if successor is not None and not shop.payout_methods.filter(is_active=True, is_default=True).exists():
            successor.is_default = True
            successor.save(update_fields=["is_default"])


def default_payout_method(shop: Shop) -> PayoutMethod | None:
    return shop.payout_methods.filter(is_active=True, is_default=True).first()
