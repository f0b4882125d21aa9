"""API v1 orders: placing (idempotent), paying, cancelling, reading one's own orders, and a
seller's incoming consignments. Thin adapters over services and selectors."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ewtp.api import dict_representation, with_fields_built_once
from ewtp.exceptions import PermissionDenied
from marketplace.api.checkout import CheckoutRequestSerializer, quote_from_request
from marketplace.api.lines import (
    ConsignmentPartsSerializer,
    line_answer,
    money,
    shop_ref,
)
from marketplace.models import Consignment, Order, OrderLine
from marketplace.selectors.orders import consignments_for_seller, orders_for_buyer
from marketplace.services.idempotency import order_place_once
from marketplace.services.orders import order_cancel
from marketplace.services.payments import order_pay
from marketplace.services.placing import PlacedRows, ShipTo, order_place


class ConsignmentSerializer(ConsignmentPartsSerializer):
    """A consignment of an order: one shop's parcel, its status and its tracking number."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    currency = serializers.CharField()
    duties_paid = serializers.BooleanField()
    incoterm = serializers.CharField()
    tracking_number = serializers.CharField(
        allow_null=True, help_text="The parcel's tracking number; null until the order is paid and shipped."
    )


class ShipToOutSerializer(serializers.Serializer):
    name = serializers.CharField()
    line1 = serializers.CharField()
    city = serializers.CharField()
    postal_code = serializers.CharField()
    country = serializers.CharField()
    phone = serializers.CharField()


class OrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    currency = serializers.CharField()
    goods = serializers.CharField()
    shipping = serializers.CharField()
    duty = serializers.CharField()
    tax = serializers.CharField()
    total = serializers.CharField()
    preference = serializers.CharField()
    incoterm = serializers.CharField()
    duties_and_taxes_paid = serializers.BooleanField()
    ship_to = ShipToOutSerializer()
    rates = serializers.DictField(child=serializers.CharField())
    rates_as_of = serializers.DateField(allow_null=True)
    placed_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    consignments = ConsignmentSerializer(many=True)


def line_payload(line: OrderLine) -> dict:
    return line_answer(
        product=line.listing_id,
        title=line.title,
        hs_code=line.hs_code,
        quantity=line.quantity,
        unit_price=line.unit_price,
        line_total=line.line_total,
    )


def tracking_number(consignment: Consignment, *, order: Order) -> str | None:
    """The shipment exists once the order is paid; the selectors join it (`select_related`), and an
    unpaid order is never asked, so this costs no query."""
    if order.paid_at is None:
        return None
    shipment = getattr(consignment, "shipment", None)  # no shipment yet: the reverse accessor raises
    return shipment.tracking_number if shipment is not None else None


def consignment_payload(
    consignment: Consignment, *, order: Order, lines: list[OrderLine] | None = None
) -> dict:
    return {
        "id": consignment.pk,
        "shop": shop_ref(consignment.shop),
        "status": consignment.status,
        "lines": [line_payload(line) for line in (consignment.lines.all() if lines is None else lines)],
        **{part: money(consignment.money(part)) for part in ("goods", "shipping", "duty", "tax", "total")},
        "currency": consignment.currency,
        "estimated_delivery": consignment.estimated_delivery,
        "promised_delivery": consignment.promised_delivery,
        "route": consignment.route,
        "explanation": consignment.explanation,
        "duties_paid": consignment.duties_paid,
        "incoterm": order.incoterm,
        "tracking_number": tracking_number(consignment, order=order),
    }


# Answers are formatted by one serializer instance each, built once: a new instance deep-copies
# its declared fields (dozens, nested) on every answer. Formatting only reads the fields, so the
# instance is shared; orders go through `dict_representation` (the same conversions, without
# DRF's generic walk: every order placed answers with one).
ORDER_OUT = OrderSerializer()


@functools.cache
def _order_out() -> Callable[[dict], dict]:
    return dict_representation(ORDER_OUT)


def order_payload(order: Order, placed: PlacedRows | None = None) -> dict:
    """The order as the API shows it; `placed`: the rows just written with it (no query)."""
    return _order_out()(
        {
            "id": order.pk,
            "number": order.number,
            "status": order.status,
            "currency": order.currency,
            **{part: money(order.money(part)) for part in ("goods", "shipping", "duty", "tax", "total")},
            "preference": order.preference,
            "incoterm": order.incoterm,
            "duties_and_taxes_paid": order.paid_at is not None,
            "ship_to": {
                "name": order.ship_to_name,
                "line1": order.ship_to_line1,
                "city": order.ship_to_city,
                "postal_code": order.ship_to_postal_code,
                "country": str(order.ship_to_country),
                "phone": order.ship_to_phone,
            },
            "rates": order.rates,
            "rates_as_of": order.rates_as_of,
            "placed_at": order.placed_at,
            "expires_at": order.expires_at,
            "paid_at": order.paid_at,
            "consignments": [
                consignment_payload(consignment, order=order, lines=lines)
                for consignment, lines in (
                    placed.consignments if placed else ((c, None) for c in order.consignments.all())
                )
            ],
        }
    )


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Retry-safe placing: the same key and body return the same order (8–255 printable ASCII).",
)


class OrderListCreateView(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer

    def get_queryset(self):
        return orders_for_buyer(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([order_payload(order) for order in page])

    @extend_schema(
        request=CheckoutRequestSerializer,
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            201: OrderSerializer,
            409: OpenApiResponse(description="Not enough stock."),
            422: OpenApiResponse(description="The Idempotency-Key was used with a different body."),
        },
    )
    def post(self, request):
        serializer = with_fields_built_once(CheckoutRequestSerializer, request.data)
        serializer.is_valid(raise_exception=True)

        def place() -> Order:
            items, quote = quote_from_request(serializer)
            data = serializer.validated_data
            return order_place(
                buyer=request.user,
                items=items,
                ship_to=ShipTo(**data["ship_to"]),
                currency=data["currency"],
                preference=data["preference"],
                quote=quote,
            )

        key = request.headers.get("Idempotency-Key")
        if key is None:
            order, replayed = place(), False
        else:
            order, replayed = order_place_once(
                user=request.user,
                key=key,
                scope="order_place",
                payload=serializer.validated_data,
                place=place,
            )
        if replayed:  # the order as it is now (paid, cancelled…), as GET shows it
            body = order_payload(orders_for_buyer(request.user).get(pk=order.pk))
        else:  # as placed: from the rows just written, without reading them back
            body = order_payload(order, order.placed)
        response = Response(body, status=status.HTTP_201_CREATED)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response


class OrderDetailView(RetrieveAPIView):
    """One of the caller's orders; another buyer's order is a 404, never a 403."""

    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer
    lookup_url_kwarg = "pk"

    def get_queryset(self):
        return orders_for_buyer(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        return Response(order_payload(self.get_object()))


class PaySerializer(serializers.Serializer):
    card_number = serializers.CharField(max_length=40, help_text="Sandbox: 4242 4242 4242 4242 succeeds")


class OrderPayView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=PaySerializer,
        responses={
            200: OrderSerializer,
            402: OpenApiResponse(description="The card was declined; the order stays unpaid."),
            409: OpenApiResponse(description="The order is not awaiting payment."),
        },
    )
    def post(self, request, pk: int):
        order = get_object_or_404(orders_for_buyer(request.user), pk=pk)
        serializer = PaySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order_pay(order=order, card_number=serializer.validated_data["card_number"], actor=request.user)
        return Response(order_payload(orders_for_buyer(request.user).get(pk=pk)))


class OrderCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: OrderSerializer, 409: OpenApiResponse(description="Too late to cancel.")},
    )
    def post(self, request, pk: int):
        order = get_object_or_404(orders_for_buyer(request.user), pk=pk)
        order_cancel(order=order, actor=request.user)
        return Response(order_payload(orders_for_buyer(request.user).get(pk=pk)))


class SellerConsignmentSerializer(ConsignmentSerializer):
    order = inline_serializer(
        "ConsignmentOrderRef",
        {
            "number": serializers.CharField(),
            "status": serializers.CharField(),
            "placed_at": serializers.DateTimeField(),
            "ship_to_city": serializers.CharField(),
            "ship_to_country": serializers.CharField(),
        },
    )


SELLER_CONSIGNMENTS_OUT = SellerConsignmentSerializer(many=True)  # shared, as ORDER_OUT


class SellerConsignmentListView(ListAPIView):
    """Consignments of the caller's shop only: never another shop's lines."""

    permission_classes = [IsAuthenticated]
    serializer_class = SellerConsignmentSerializer

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):
            return Consignment.objects.none()
        if not user.is_authenticated or not user.is_seller:
            raise PermissionDenied(_("Only sellers have consignments."))
        return consignments_for_seller(user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        body = [
            {
                **consignment_payload(c, order=c.order),
                "order": {
                    "number": c.order.number,
                    "status": c.order.status,
                    "placed_at": c.order.placed_at,
                    "ship_to_city": c.order.ship_to_city,
                    "ship_to_country": str(c.order.ship_to_country),
                },
            }
            for c in page
        ]
        return self.get_paginated_response(SELLER_CONSIGNMENTS_OUT.to_representation(body))
