"""Helpers for checkout tests: addresses, order bodies, the sandbox cards."""

from __future__ import annotations

CARD_OK = "4242 4242 4242 4242"
CARD_DECLINED = "4000 0000 0000 0002"


def ship_to(country: str = "BE") -> dict:
    return {
        "name": "Lotte Peeters",
        "line1": "Rue Léopold 1",
        "city": "Liège",
        "postal_code": "4000",
        "country": country,
        "phone": "+32 4 123 45 67",
    }


def order_body(*items, country: str = "BE", currency: str = "EUR", preference: str = "cheapest") -> dict:
    return {
        "items": [{"product": listing.pk, "quantity": quantity} for listing, quantity in items],
        "ship_to": ship_to(country),
        "currency": currency,
        "preference": preference,
    }


def released_to_shop(consignment):
    """What a consignment's release paid into the seller's balance: the goods less the commission,
    changed into the shop's currency at the rate the release recorded (issue 20)."""
    from decimal import Decimal

    from ewtp.money import Money, quantize
    from marketplace.models import LedgerKind
    from marketplace.models.ledger import commission_rate

    goods = consignment.money("goods")
    share = goods - Money(goods.amount * commission_rate(), goods.currency).quantized()
    release = consignment.ledger_transactions.get(kind=LedgerKind.RELEASE)
    if not release.fx_rate:
        return share
    return Money(quantize(share.amount * Decimal(release.fx_rate), release.fx_to), release.fx_to)
