"""What the API's orders and quotes share: amounts as decimal strings in their currency's minor
unit, order lines, and the shop a consignment comes from."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ewtp.money import Money
from marketplace.models import Shop


@extend_schema_field(OpenApiTypes.DECIMAL)
class AmountField(serializers.CharField):
    """A decimal string with its currency's ISO-4217 exponent, as given ("40.00" in KES, "40" in
    JPY): a DecimalField would pad every amount to one fixed number of places."""


class MoneyField(serializers.Serializer):
    amount = AmountField(help_text="Decimal string in the currency's minor unit (ISO-4217 exponent)")
    currency = serializers.CharField()


def money(value: Money) -> str:
    """API amounts are decimal strings in the currency's minor unit."""
    return str(value.quantized().amount)


class LineSerializer(serializers.Serializer):
    product = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    hs_code = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = MoneyField()
    line_total = serializers.CharField()


class ShopRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField()


class ConsignmentPartsSerializer(serializers.Serializer):
    """What a consignment of an order and one of a quote both show: the shop, the lines, the
    landed cost's parts, the delivery estimate and route, and how the duty and tax were worked out."""

    shop = ShopRefSerializer()
    lines = LineSerializer(many=True)
    goods = serializers.CharField()
    shipping = serializers.CharField()
    duty = serializers.CharField()
    tax = serializers.CharField()
    total = serializers.CharField()
    estimated_delivery = serializers.DateTimeField(help_text="The route's own ETA when quoted.")
    promised_delivery = serializers.DateTimeField(
        help_text="The date the buyer is promised (the ETA plus the network's buffer, to the end of "
        "that day in the destination): the shipment's `promised_delivery` once paid."
    )
    route = serializers.ListField(child=serializers.CharField())
    explanation = serializers.ListField(child=serializers.CharField())


def shop_ref(shop: Shop) -> dict:
    return {"slug": shop.slug, "name": shop.name, "country": str(shop.country)}


def line_answer(
    *, product: int | None, title: str, hs_code: str, quantity: int, unit_price: Money, line_total: Money
) -> dict:
    """One line of an order or a quote, as `LineSerializer` declares it."""
    return {
        "product": product,
        "title": title,
        "hs_code": hs_code,
        "quantity": quantity,
        "unit_price": {"amount": money(unit_price), "currency": unit_price.currency},
        "line_total": money(line_total),
    }
