"""Electronic pre-declarations (issue 21): paying a consignment builds its customs declaration from
the order; it is lodged with the destination e-hub's customs before the parcel arrives, and a
complete one lets the parcel clear in minutes where one without is always inspected."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from marketplace.models import CustomsDeclaration
from marketplace.services.declarations import declaration_build
from tests.logistics.shipments.conftest import pay
from tests.logistics.shipments.test_tracking_page import advance_until, handed_over, page
from tests.marketplace.factories import UserFactory

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_paying_builds_a_complete_declaration_from_the_order(scarf, batik, buyer_be, settings):
    order = pay(buyer_be, (scarf, 2), (batik, 1))  # two shops: a declaration each
    for consignment in order.consignments.select_related("shop"):
        declaration = consignment.declaration
        lines = list(declaration.lines.all())
        order_lines = list(consignment.lines.order_by("pk"))
        assert declaration.complete and declaration.problems == []
        assert declaration.incoterm == "DDP" and declaration.duties_paid
        assert declaration.currency == consignment.currency == "EUR"
        assert (
            declaration.declared_value == consignment.goods_amount == sum(line.total_value for line in lines)
        )
        assert declaration.duties_and_taxes == consignment.duty_amount + consignment.tax_amount
        assert (declaration.importer_name, declaration.importer_country) == (order.ship_to_name, "BE")
        assert (declaration.exporter_name, declaration.exporter_country) == (
            consignment.shop.name,
            str(consignment.shop.country),
        )
        for line, ordered in zip(lines, order_lines, strict=True):
            assert line.hs_code == ordered.hs_code and len(line.hs_code) == 6
            assert line.description == ordered.title and line.quantity == ordered.quantity
            assert line.origin_country == str(consignment.origin_country)
            assert line.total_value == ordered.line_total_amount
            assert line.unit_value == (ordered.line_total_amount / ordered.quantity).quantize(
                Decimal("0.001")
            )
        # Belgium: the EU's VAT collected at sale through IOSS, and the scheme's number on the papers.
        assert declaration.vat_scheme == "IOSS"
        assert declaration.vat_scheme_number == settings.EWTP_VAT_SCHEME_NUMBERS["IOSS"]
    # Built once: a second call returns the first.
    consignment = order.consignments.first()
    assert declaration_build(order=order, consignment=consignment).pk == consignment.declaration.pk
    assert CustomsDeclaration.objects.count() == 2


def test_the_seller_reads_the_declaration_over_the_api_and_no_one_else(scarf, batik, buyer_be):
    order = pay(buyer_be, (scarf, 1), (batik, 1))
    mine = order.consignments.get(shop=scarf.shop)
    url = f"/api/v1/seller/consignments/{mine.pk}/declaration/"
    body = api(scarf.shop.owner).get(url).json()
    assert body["number"] == mine.declaration.number and body["consignment"] == mine.pk
    assert body["incoterm"] == "DDP" and body["complete"] is True and body["problems"] == []
    assert body["importer"] == {"name": order.ship_to_name, "country": "BE"}
    assert body["exporter"] == {"name": scarf.shop.name, "country": "CN"}
    assert Decimal(body["duties_and_taxes"]) == mine.duty_amount + mine.tax_amount
    assert body["vat_scheme_number"]
    (line,) = body["lines"]
    assert line["hs_code"] == scarf.hs_code and line["quantity"] == 1 and line["origin"] == "CN"
    assert line["description"] == "Silk scarf" and line["currency"] == "EUR"
    assert {"unit_value", "total_value"} <= set(line)
    assert api(batik.shop.owner).get(url).status_code == 404  # another shop's
    assert api(buyer_be).get(url).status_code == 404
    assert APIClient().get(url).status_code in (401, 403)
    assert api(scarf.shop.owner).get("/api/v1/seller/consignments/999999/declaration/").status_code == 404
    operator = UserFactory(username="customs-officer", is_staff=True)
    assert api(operator).get(url).status_code == 200


def test_a_complete_declaration_clears_in_minutes_one_without_is_inspected(client, scarf, buyer_be, settings):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0  # no random inspection: only the declaration decides
    _order, declared = handed_over(buyer_be, scarf)
    _order, undeclared = handed_over(UserFactory(username="lotte2", country="BE"), scarf)
    CustomsDeclaration.objects.filter(consignment=undeclared.consignment).update(
        complete=False, problems=["declared value differs from the order"]
    )
    # The pre-declaration is lodged as the parcel leaves its first e-hub; the buyer sees it.
    declared = advance_until(declared, "pre_declared", step=timedelta(hours=1))
    assert 'class="customs customs-pre_cleared">Pre-cleared' in page(client, declared)
    declared = advance_until(declared, "released", step=timedelta(hours=1))
    undeclared = advance_until(undeclared, "released", step=timedelta(hours=1))
    assert not undeclared.events.filter(substatus="pre_declared").exists()

    def clearance(shipment) -> timedelta:
        presented = shipment.events.get(substatus="import_presented").occurred_at
        return shipment.events.get(substatus="released").occurred_at - presented

    assert clearance(declared) <= timedelta(minutes=15)
    assert not declared.events.filter(substatus="held").exists()
    assert clearance(undeclared) >= timedelta(days=1)  # always inspected: held 1–3 days
    assert undeclared.events.filter(substatus="held").exists()
