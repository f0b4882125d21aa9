"""API v1 checkout: the cart's landed cost (`POST /api/v1/checkout/quote/`), and the request
serializers placing an order shares with it. Thin adapters over `marketplace.selectors.checkout`."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ewtp.api import with_fields_built_once
from marketplace.api.lines import (
    ConsignmentPartsSerializer,
    line_answer,
    money,
    shop_ref,
)
from marketplace.models.checkout import MAX_LINE_QUANTITY
from marketplace.selectors.checkout import (
    PREFERENCES,
    CheckoutError,
    CheckoutItem,
    CheckoutQuote,
    checkout_quote,
    orderable_listings,
)

MAX_ITEMS = 50


class ItemSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1, max_value=2**53)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_LINE_QUANTITY)


class ShipToSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    line1 = serializers.CharField(max_length=200)
    city = serializers.CharField(max_length=120)
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    country = serializers.CharField(min_length=2, max_length=2, help_text="ISO 3166-1 alpha-2")
    phone = serializers.RegexField(r"^\+?[0-9 ()\-]{6,30}$", max_length=30)

    def validate_country(self, value: str) -> str:
        code = value.upper()
        if code not in countries:
            raise ValidationError(
                _("“%(code)s” is not an ISO 3166-1 alpha-2 country code.") % {"code": value[:8]}
            )
        return code


class QuoteShipToSerializer(ShipToSerializer):
    """For a quote only the country matters; the rest of the address may come later."""

    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    line1 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    phone = serializers.RegexField(
        r"^\+?[0-9 ()\-]{6,30}$", max_length=30, required=False, allow_blank=True, default=""
    )


class CheckoutRequestSerializer(serializers.Serializer):
    items = ItemSerializer(many=True, min_length=1, max_length=MAX_ITEMS)
    ship_to = ShipToSerializer()
    currency = serializers.RegexField(r"^[A-Z]{3}$", help_text="ISO-4217 code the buyer pays in")
    preference = serializers.ChoiceField(choices=list(PREFERENCES), default="balanced")

    def validate_items(self, items: list[dict]) -> list[dict]:
        merged: dict[int, int] = {}
        for item in items:
            merged[item["product"]] = merged.get(item["product"], 0) + item["quantity"]
        if any(quantity > MAX_LINE_QUANTITY for quantity in merged.values()):
            raise ValidationError(
                _("At most %(max)d units of one product per order.") % {"max": MAX_LINE_QUANTITY}
            )
        return [{"product": product, "quantity": quantity} for product, quantity in merged.items()]

    def checkout_items(self) -> list[CheckoutItem]:
        wanted = self.validated_data["items"]
        listings = orderable_listings([item["product"] for item in wanted])
        missing = [str(item["product"]) for item in wanted if item["product"] not in listings]
        if missing:
            message = _("Unknown or unavailable product: %(ids)s.") % {"ids": ", ".join(missing)}
            raise CheckoutError(message, field_errors={"items": [message]})
        return [CheckoutItem(listing=listings[item["product"]], quantity=item["quantity"]) for item in wanted]


class QuoteRequestSerializer(CheckoutRequestSerializer):
    ship_to = QuoteShipToSerializer()


def quote_payload(quote: CheckoutQuote) -> dict:
    return {
        "currency": quote.currency,
        "destination": quote.destination,
        "preference": quote.preference,
        "rates_as_of": quote.rates.as_of,
        "rates": quote.rates_used(),
        **{part: money(getattr(quote, part)) for part in ("goods", "shipping", "duty", "tax", "total")},
        "incoterm": "DDP",
        "consignments": [
            {
                "shop": shop_ref(c.shop),
                "lines": [
                    line_answer(
                        product=line.listing.pk,
                        title=line.listing.title,
                        hs_code=line.listing.hs_code,
                        quantity=line.quantity,
                        unit_price=line.unit_price,
                        line_total=line.line_total,
                    )
                    for line in c.lines
                ],
                **{part: money(getattr(c, part)) for part in ("goods", "shipping", "duty", "tax", "total")},
                "estimated_delivery": c.shipping_quote.estimated_delivery,
                "promised_delivery": c.shipping_quote.promised_delivery,
                "route": list(c.shipping_quote.hubs),
                "shipping_quote": {"id": c.shipping_quote.id, "valid_until": c.shipping_quote.valid_until},
                "explanation": list(c.explanation),
            }
            for c in quote.consignments
        ],
    }


class QuoteConsignmentSerializer(ConsignmentPartsSerializer):
    """A consignment of a quote: one shop's parcel, priced, with the shipping quote it holds to."""

    shipping_quote = inline_serializer(
        "ShippingQuoteRef", {"id": serializers.CharField(), "valid_until": serializers.DateTimeField()}
    )


class CheckoutQuoteSerializer(serializers.Serializer):
    currency = serializers.CharField()
    destination = serializers.CharField()
    preference = serializers.CharField()
    rates_as_of = serializers.DateField(allow_null=True)
    rates = serializers.DictField(child=serializers.CharField())
    goods = serializers.CharField()
    shipping = serializers.CharField()
    duty = serializers.CharField()
    tax = serializers.CharField()
    total = serializers.CharField()
    incoterm = serializers.CharField()
    consignments = QuoteConsignmentSerializer(many=True)


def quote_from_request(serializer: CheckoutRequestSerializer) -> tuple[list[CheckoutItem], CheckoutQuote]:
    items = serializer.checkout_items()
    data = serializer.validated_data
    quote = checkout_quote(
        items=items,
        destination=data["ship_to"]["country"],
        currency=data["currency"],
        preference=data["preference"],
    )
    return items, quote


class CheckoutQuoteView(APIView):
    """The landed cost of a cart before paying: per consignment goods, shipping, duty, tax, total."""

    permission_classes: list = []

    @extend_schema(
        request=QuoteRequestSerializer,
        responses={200: CheckoutQuoteSerializer, 409: OpenApiResponse(description="Not enough stock.")},
    )
    def post(self, request):
        serializer = with_fields_built_once(QuoteRequestSerializer, request.data)
        serializer.is_valid(raise_exception=True)
        _items, quote = quote_from_request(serializer)
        return Response(quote_payload(quote))
