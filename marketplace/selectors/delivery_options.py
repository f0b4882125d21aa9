"""The delivery choice at checkout: Fastest, Cheapest and Balanced, each with its price and date,
and any that come to the same thing shown as one (issue 19: three options that all gave the same
total and dates, with no price on any of them).

Each preference is priced the way the order would be (`checkout_quote`); two preferences are the
same option when they ship by the same routes, for the same total, by the same promised date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from ewtp.exceptions import DomainError
from ewtp.money import Money
from marketplace.models import Preference
from marketplace.selectors.checkout import CheckoutItem, CheckoutQuote, checkout_quote


@dataclass(frozen=True)
class DeliveryOption:
    preferences: tuple[str, ...]  # the preferences this option stands for, in the order offered
    shipping: Money
    total: Money
    promised: datetime  # the latest promise of its parcels: everything has arrived by then

    @property
    def name(self) -> str:
        labels = dict(Preference.choices)
        return " · ".join(str(labels[preference]) for preference in self.preferences)


def _same(quote: CheckoutQuote) -> tuple:
    return (
        quote.total.amount,
        tuple((c.shipping_quote.hubs, c.shipping_quote.promised_delivery) for c in quote.consignments),
    )


def delivery_options(
    *, items: list[CheckoutItem], destination: str, currency: str, chosen: CheckoutQuote
) -> list[DeliveryOption]:
    """The options for the cart, the buyer's `chosen` quote reused; preferences that cannot be
    priced are left out (the chosen one always can, or there is no quote to choose from)."""
    quotes: dict[str, CheckoutQuote] = {chosen.preference: chosen}
    for preference in Preference.values:
        if preference in quotes:
            continue
        try:
            quotes[preference] = checkout_quote(
                items=items, destination=destination, currency=currency, preference=preference
            )
        except DomainError:
            continue
    groups: dict[tuple, list[str]] = {}
    for preference in Preference.values:
        if preference in quotes:
            groups.setdefault(_same(quotes[preference]), []).append(preference)
    options = []
    for members in groups.values():
        # The buyer's own choice names its group, so the price shown is the price placed.
        lead = chosen.preference if chosen.preference in members else members[0]
        quote = quotes[lead]
        ordered = (lead, *(p for p in members if p != lead))
        promised = max(c.shipping_quote.promised_delivery for c in quote.consignments)
        options.append(DeliveryOption(ordered, quote.shipping, quote.total, promised))
    return options


def option_label(option: DeliveryOption, *, money, date) -> str:
    """ "Fastest — shipping €12.30, delivery by 15 Dec" (`money` and `date` format for the page)."""
    return _("%(name)s — shipping %(shipping)s, delivery by %(date)s") % {
        "name": option.name,
        "shipping": money(option.shipping),
        "date": date(option.promised),
    }
