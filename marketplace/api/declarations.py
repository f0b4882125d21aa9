"""A consignment's electronic pre-declaration over the API (issue 21): the seller reads what was
lodged with the destination's customs, and downloads the parcel's papers (commercial invoice,
packing slip) as PDF. Another shop's, or a consignment without one: 404."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.models import CustomsDeclaration, DeclarationLine
from marketplace.selectors.declarations import declaration_for_seller
from marketplace.selectors.papers import commercial_invoice_pdf, consignment_for_papers, packing_slip_pdf


class DeclarationLineSerializer(serializers.ModelSerializer):
    origin = serializers.CharField(source="origin_country", read_only=True)

    class Meta:
        model = DeclarationLine
        fields = [
            "position",
            "hs_code",
            "description",
            "origin",
            "origin_country",
            "quantity",
            "unit_value",
            "total_value",
            "currency",
        ]
        read_only_fields = fields


class PartySerializer(serializers.Serializer):
    name = serializers.CharField()
    country = serializers.CharField()


class DeclarationSerializer(serializers.ModelSerializer):
    consignment = serializers.IntegerField(source="consignment_id", read_only=True)
    importer = serializers.SerializerMethodField()
    exporter = serializers.SerializerMethodField()
    lines = DeclarationLineSerializer(many=True, read_only=True)

    class Meta:
        model = CustomsDeclaration
        fields = [
            "number",
            "consignment",
            "incoterm",
            "currency",
            "declared_value",
            "duties_and_taxes",
            "duties_paid",
            "importer",
            "exporter",
            "origin_country",
            "destination_country",
            "vat_scheme",
            "vat_scheme_number",
            "complete",
            "problems",
            "created_at",
            "lines",
        ]
        read_only_fields = fields

    def get_importer(self, declaration) -> dict:
        return PartySerializer(
            {"name": declaration.importer_name, "country": declaration.importer_country}
        ).data

    def get_exporter(self, declaration) -> dict:
        return PartySerializer(
            {"name": declaration.exporter_name, "country": declaration.exporter_country}
        ).data


class SellerDeclarationView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: DeclarationSerializer, 404: OpenApiResponse(description="Not your consignment.")}
    )
    def get(self, request, pk: int):
        declaration = declaration_for_seller(user=request.user, consignment_id=pk)
        if declaration is None:
            raise Http404(_("No declaration for a consignment of yours with this id."))
        return Response(DeclarationSerializer(declaration).data)


class PapersNegotiation(BaseContentNegotiation):
    """The papers answer a PDF, or a JSON error: whatever the client accepts (no 406)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class _PapersView(APIView):
    """One of a consignment's papers as a PDF download: its seller's, or any for operators."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]  # for errors; the PDF is an HttpResponse of its own
    content_negotiation_class = PapersNegotiation
    kind = ""
    render_pdf = staticmethod(commercial_invoice_pdf)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(response=OpenApiTypes.BINARY, description="The PDF."),
            404: OpenApiResponse(description="Not your consignment, or not paid."),
        }
    )
    def get(self, request, pk: int):
        consignment = consignment_for_papers(user=request.user, consignment_id=pk)
        if consignment is None:
            raise Http404(_("No paid consignment of yours with this id."))
        response = HttpResponse(self.render_pdf(consignment), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.kind}-{consignment.order.number}-{pk}.pdf"'
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class CommercialInvoiceView(_PapersView):
    kind = "invoice"
    render_pdf = staticmethod(commercial_invoice_pdf)


class PackingSlipView(_PapersView):
    kind = "packing-slip"
    render_pdf = staticmethod(packing_slip_pdf)
