"""Electronic pre-declarations (issue 21): when a consignment is paid, its customs declaration is
built from the order — per line the HS code, description, origin, quantity, unit and total value;
the incoterm (DDP), the duties and taxes collected, importer (the buyer) and exporter (the shop),
and the VAT scheme's number where the marketplace collected the tax at sale. It is checked as
customs would: a complete, duty-paid declaration whose value matches the order is `complete`, and
the destination e-hub's customs then clear the parcel in minutes (`logistics.simulation.timeline`);
anything missing or inconsistent is listed in `problems` and the parcel is always inspected."""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction

from marketplace.models import Consignment, CustomsDeclaration, DeclarationLine, Order

HS_CODE = re.compile(r"^\d{6}$")


def scheme_number(scheme: str) -> str:
    """The platform's registration number under a VAT/GST collection scheme (`EWTP_VAT_SCHEME_NUMBERS`)."""
    return str(getattr(settings, "EWTP_VAT_SCHEME_NUMBERS", {}).get(scheme, ""))


def _problems(
    consignment: Consignment, lines: list[DeclarationLine], declaration: CustomsDeclaration
) -> list[str]:
    """What customs would refuse, in English codes the admin and the API show as they are."""
    problems = []
    for line in lines:
        if not HS_CODE.match(line.hs_code):
            problems.append(f"line {line.position}: no 6-digit HS code")
        if not line.description.strip():
            problems.append(f"line {line.position}: no description")
        if line.quantity <= 0 or line.total_value <= 0:
            problems.append(f"line {line.position}: no quantity or value")
    if not lines:
        problems.append("no lines")
    if declaration.declared_value != consignment.goods_amount:
        problems.append("declared value differs from the order")
    if not declaration.duties_paid:
        problems.append("duties and taxes not paid")
    if not declaration.importer_name.strip() or not declaration.exporter_name.strip():
        problems.append("importer or exporter not named")
    if declaration.vat_scheme and not declaration.vat_scheme_number:
        problems.append(f"no registration number for {declaration.vat_scheme}")
    return problems


def declaration_build(*, order: Order, consignment: Consignment) -> CustomsDeclaration | None:
    """The consignment's declaration (once: a second call returns the first). None for a parcel that
    stays in its country: nothing to declare."""
    destination = str(order.ship_to_country)
    if str(consignment.origin_country) == destination:
        return None
    existing = CustomsDeclaration.objects.filter(consignment=consignment).first()
    if existing is not None:
        return existing
    currency = consignment.currency
    lines = [
        DeclarationLine(
            position=position,
            hs_code=line.hs_code,
            description=line.title[:200],
            origin_country=str(consignment.origin_country),
            quantity=line.quantity,
            unit_value=(line.line_total_amount / line.quantity).quantize(Decimal("0.001"))
            if line.quantity
            else 0,
            total_value=line.line_total_amount,
            currency=currency,
        )
        for position, line in enumerate(consignment.lines.order_by("pk"), start=1)
    ]
    shop = consignment.shop
    declaration = CustomsDeclaration(
        consignment=consignment,
        number=f"EWD{consignment.pk:09d}",
        currency=currency,
        declared_value=sum((line.total_value for line in lines), Decimal(0)),
        duties_and_taxes=consignment.duty_amount + consignment.tax_amount,
        duties_paid=consignment.duties_paid,
        importer_name=order.ship_to_name,
        importer_country=destination,
        exporter_name=shop.name,
        exporter_country=str(shop.country),
        origin_country=str(consignment.origin_country),
        destination_country=destination,
        vat_scheme=consignment.vat_scheme,
        vat_scheme_number=scheme_number(consignment.vat_scheme) if consignment.vat_scheme else "",
    )
    declaration.problems = _problems(consignment, lines, declaration)
    declaration.complete = not declaration.problems
    try:
        with transaction.atomic():
            declaration.save()
            for line in lines:
                line.declaration = declaration
            DeclarationLine.objects.bulk_create(lines)
    except IntegrityError:  # built at the same moment by another call: the first one stands
        return CustomsDeclaration.objects.get(consignment=consignment)
    return declaration


def declarations_build(*, order: Order, consignments: list[Consignment]) -> list[CustomsDeclaration]:
    """Every paid consignment's declaration, in the payment's transaction."""
    return [d for c in consignments if (d := declaration_build(order=order, consignment=c)) is not None]
