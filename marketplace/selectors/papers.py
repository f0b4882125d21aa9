"""The parcel's papers: a commercial invoice and a packing slip per consignment, as PDF.

Rendered by WeasyPrint from Django templates (`templates/papers/`), every label in English and,
beside it, in the shop's language (`Shop.language`) — the border reads English, the seller reads
their own. The figures are the customs declaration's (the same HS codes, origins, quantities and
values customs were sent), so the papers and the pre-declaration never disagree. Nothing is
fetched while rendering (`_no_fetching`): a seller's text cannot make the renderer reach out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_countries import countries

from ewtp.money import Money
from marketplace import ports
from marketplace.models import Consignment, User

LABELS = {
    "invoice": gettext_noop("Commercial invoice"),
    "packing_slip": gettext_noop("Packing slip"),
    "invoice_number": gettext_noop("Invoice number"),
    "date": gettext_noop("Date"),
    "order": gettext_noop("Order"),
    "tracking_number": gettext_noop("Tracking number"),
    "declaration": gettext_noop("Customs declaration"),
    "exporter": gettext_noop("Exporter (seller)"),
    "importer": gettext_noop("Importer (buyer, consignee)"),
    "incoterm": gettext_noop("Terms of delivery"),
    "reason": gettext_noop("Reason for export"),
    "sale": gettext_noop("Sale of goods"),
    "hs_code": gettext_noop("HS code"),
    "description": gettext_noop("Description"),
    "origin": gettext_noop("Origin"),
    "quantity": gettext_noop("Quantity"),
    "unit_value": gettext_noop("Unit value"),
    "total_value": gettext_noop("Total value"),
    "goods": gettext_noop("Goods"),
    "shipping": gettext_noop("Shipping"),
    "duties_taxes": gettext_noop("Duties and taxes collected"),
    "total": gettext_noop("Total paid"),
    "vat_scheme": gettext_noop("VAT collected at sale under"),
    "weight": gettext_noop("Weight"),
    "drop_off": gettext_noop("Drop-off e-hub"),
    "ship_to": gettext_noop("Ship to"),
    "ship_from": gettext_noop("Ship from"),
    "checked": gettext_noop("Packed"),
    "statement": gettext_noop(
        "I declare that the information on this invoice is true and correct, and that the goods are "
        "of the origin shown."
    ),
    "ddp_note": gettext_noop(
        "Duties and taxes paid at checkout (DDP): nothing to collect from the consignee."
    ),
}


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"papers fetch nothing: {url[:80]}")


def _country(code: str) -> str:
    with translation.override("en"):
        return f"{countries.name(code) or code} ({code})"


@dataclass(frozen=True)
class Line:
    position: int
    hs_code: str
    description: str
    origin: str
    quantity: int
    unit_value: str
    total_value: str


def bilingual(language: str) -> Callable[[str], str]:
    """'English / the shop's words' (English alone when they are the same)."""

    def label(message: str) -> str:
        with translation.override(language):
            theirs = _(message)
        return message if theirs == message or language == "en" else f"{message} / {theirs}"

    return label


def consignment_for_papers(*, user: User, consignment_id: int) -> Consignment | None:
    """A paid consignment of the user's own shop (or any, for operators); None otherwise (a 404)."""
    if not user.is_authenticated:
        return None
    found = Consignment.objects.select_related("order", "shop", "declaration").filter(
        pk=consignment_id, order__paid_at__isnull=False
    )
    if not user.is_staff:
        found = found.filter(shop__owner=user)
    return found.first()


def _context(consignment: Consignment) -> dict:
    order, shop = consignment.order, consignment.shop
    declaration = getattr(consignment, "declaration", None)
    label = bilingual(shop.language)
    currency = consignment.currency

    def money(amount: Decimal) -> str:
        return Money(amount, currency).format("en")

    if declaration is not None:
        lines = [
            Line(d.position, d.hs_code, d.description, _country(d.origin_country), d.quantity,
                 money(d.unit_value), money(d.total_value))
            for d in declaration.lines.order_by("position")
        ]  # fmt: skip
    else:  # not paid before pre-declarations existed: the order's own lines
        lines = [
            Line(n, line.hs_code, line.title, _country(str(consignment.origin_country)), line.quantity,
                 money(line.line_total_amount / line.quantity), money(line.line_total_amount))
            for n, line in enumerate(consignment.lines.order_by("pk"), start=1)
        ]  # fmt: skip
    parcel = ports.parcels_for_consignments([consignment.pk]).get(consignment.pk)
    return {
        "L": {key: label(message) for key, message in LABELS.items()},
        "language": shop.language,
        "consignment": consignment,
        "order": order,
        "shop": shop,
        "shop_country": _country(str(shop.country)),
        "ship_to_country": _country(str(order.ship_to_country)),
        "declaration": declaration,
        "invoice_number": f"INV-{order.number}-{consignment.pk}",
        "lines": lines,
        "goods": money(consignment.goods_amount),
        "shipping": money(consignment.shipping_amount),
        "duties_taxes": money(consignment.duty_amount + consignment.tax_amount),
        "total": money(consignment.total_amount),
        "tracking_number": parcel.tracking_number if parcel else "",
        "drop_off": f"{parcel.drop_off_city} ({parcel.drop_off_code})"
        if parcel and parcel.drop_off_code
        else "",
    }


def _pdf(template: str, consignment: Consignment) -> bytes:
    from weasyprint import HTML  # imported on use: a heavy import most processes never need

    with translation.override("en"):
        html = render_to_string(template, _context(consignment))
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf()


def commercial_invoice_pdf(consignment: Consignment) -> bytes:
    return _pdf("papers/commercial_invoice.html", consignment)


def packing_slip_pdf(consignment: Consignment) -> bytes:
    return _pdf("papers/packing_slip.html", consignment)
