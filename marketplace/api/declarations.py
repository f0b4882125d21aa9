"""A consignment's electronic pre-declaration over the API (issue 21): the seller reads what was
lodged with the destination's customs. Another shop's, or a consignment without one: 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.models import CustomsDeclaration, DeclarationLine
from marketplace.selectors.declarations import declaration_for_seller


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
