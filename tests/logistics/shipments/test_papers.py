"""The parcel's papers (issue 21): a commercial invoice and a packing slip per consignment as PDF,
in English and the shop's language, carrying the declaration's figures; the seller's own and the
operators' only."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from ewtp.money import Money
from logistics.services.routing import shipment_route
from marketplace.models import Shop
from tests.logistics.shipments.conftest import pay
from tests.marketplace.factories import UserFactory

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))  # it opens
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def paid(scarf, batik, buyer_be):
    Shop.objects.filter(pk=scarf.shop.pk).update(
        language="zh-hans",
        address_line1="88 Wensan Road",
        address_city="Hangzhou",
        address_postal_code="310012",
    )
    order = pay(buyer_be, (scarf, 2), (batik, 1))
    consignment = order.consignments.get(shop=scarf.shop)
    shipment_route(shipment_id=consignment.shipment.pk)
    consignment.refresh_from_db()
    return consignment


def test_the_invoice_opens_and_carries_the_declarations_figures(paid):
    declaration = paid.declaration
    text = pdf_text(api(paid.shop.owner).get(f"/api/v1/seller/consignments/{paid.pk}/invoice.pdf"))
    assert "Commercial invoice / 商业发票" in text  # English and the shop's language
    assert declaration.number in text and paid.order.number in text
    assert paid.shipment.tracking_number in text
    for line in declaration.lines.all():
        assert line.hs_code in text and str(line.quantity) in text
        assert Money(line.total_value, declaration.currency).format("en") in text
        assert Money(line.unit_value, declaration.currency).format("en") in text
    assert Money(declaration.declared_value, declaration.currency).format("en") in text
    assert Money(declaration.duties_and_taxes, declaration.currency).format("en") in text
    assert Money(paid.total_amount, paid.currency).format("en") in text
    assert "DDP" in text and declaration.vat_scheme_number in text  # Belgium: IOSS
    assert "88 Wensan Road" in text and "Hangzhou" in text and paid.order.ship_to_name in text


def test_the_packing_slip_lists_what_is_in_the_box(paid):
    response = api(paid.shop.owner).get(f"/api/v1/seller/consignments/{paid.pk}/packing-slip.pdf")
    assert 'attachment; filename="packing-slip-' in response["Content-Disposition"]
    text = pdf_text(response)
    assert "Packing slip / 装箱单" in text and paid.shipment.tracking_number in text
    for line in paid.lines.all():
        assert line.title in text
    assert "€" not in text  # no prices on a packing slip


def test_an_english_shop_prints_english_alone(paid, batik):
    consignment = paid.order.consignments.get(shop=batik.shop)
    text = pdf_text(api(batik.shop.owner).get(f"/api/v1/seller/consignments/{consignment.pk}/invoice.pdf"))
    assert "Commercial invoice" in text and " / " not in text.split("\n")[0]


def test_papers_are_the_sellers_and_the_operators_only(paid, batik, buyer_be):
    for path in ("invoice.pdf", "packing-slip.pdf"):
        url = f"/api/v1/seller/consignments/{paid.pk}/{path}"
        assert api(batik.shop.owner).get(url).status_code == 404  # another shop's
        assert api(buyer_be).get(url).status_code == 404
        assert api(None).get(url).status_code in (401, 403)
        assert api(UserFactory(is_staff=True)).get(url).status_code == 200  # operators
        assert api(paid.shop.owner).get(url, HTTP_ACCEPT="application/pdf").status_code == 200


def test_a_user_supplied_title_cannot_make_the_renderer_fetch(scarf, buyer_be):
    scarf.title = '<img src="http://169.254.169.254/latest/meta-data/"> Silk <b>scarf</b>'
    scarf.save(update_fields=["title"])
    order = pay(buyer_be, (scarf, 1))
    consignment = order.consignments.get()
    text = pdf_text(api(scarf.shop.owner).get(f"/api/v1/seller/consignments/{consignment.pk}/invoice.pdf"))
    assert "<img" in text  # printed as text, never fetched or rendered as markup


def test_operators_find_the_papers_beside_the_declaration_in_the_admin(paid, admin_client):
    page = admin_client.get("/admin/marketplace/customsdeclaration/").content.decode()
    assert f"/api/v1/seller/consignments/{paid.pk}/invoice.pdf" in page
    assert f"/api/v1/seller/consignments/{paid.pk}/packing-slip.pdf" in page
    assert pdf_text(admin_client.get(f"/api/v1/seller/consignments/{paid.pk}/invoice.pdf"))
