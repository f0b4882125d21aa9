"""The seller's money over the API: the balance in the shop's currency, payout methods, payouts.
Each answers for the caller's own shop only; anyone else gets 403."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ewtp.money import Money
from marketplace.models import Payout, PayoutMethod, Shop
from marketplace.selectors.payouts import payouts_for_shop, shop_balance
from marketplace.selectors.shops import shop_for_user
from marketplace.services.payout_methods import payout_method_add
from marketplace.services.payouts import payout_request


def callers_shop(request) -> Shop:
    user = request.user
    shop = shop_for_user(user) if user.is_authenticated and user.is_seller else None
    if shop is None:
        raise PermissionDenied(_("Only sellers with a shop have a balance and payouts."))
    return shop


def amount(money: Money) -> str:
    return str(money.quantized().amount)


class BalanceSerializer(serializers.Serializer):
    currency = serializers.CharField(help_text="The shop's currency (ISO 4217)")
    available = serializers.CharField(
        help_text="Released to the seller and not paid out: a payout can take it"
    )
    held = serializers.CharField(help_text="Paid by buyers, in escrow until delivery, at today's rate")
    in_transit = serializers.CharField(help_text="Payouts sent and not yet confirmed")
    paid_out = serializers.CharField(help_text="Payouts the gateway confirmed")
    rates_as_of = serializers.DateField(allow_null=True)


class BalanceView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: BalanceSerializer, 403: OpenApiResponse(description="Not a seller.")})
    def get(self, request):
        balance = shop_balance(callers_shop(request))
        return Response(
            {
                "currency": balance.currency,
                "available": amount(balance.available),
                "held": amount(balance.held),
                "in_transit": amount(balance.in_transit),
                "paid_out": amount(balance.paid_out),
                "rates_as_of": balance.rates_as_of,
            }
        )


class PayoutMethodSerializer(serializers.ModelSerializer):
    destination = serializers.CharField(read_only=True)

    class Meta:
        model = PayoutMethod
        fields = [
            "id",
            "kind",
            "destination",
            "phone",
            "network",
            "account_holder",
            "iban",
            "account_number",
            "bank_code",
            "country",
            "is_default",
            "created_at",
        ]
        read_only_fields = fields


class PayoutMethodInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["mobile_money", "bank"])
    phone = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="mobile_money: +2547…"
    )
    account_holder = serializers.CharField(required=False, allow_blank=True, max_length=200)
    iban = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="bank, where the country uses IBANs"
    )
    account_number = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="bank, elsewhere"
    )
    bank_code = serializers.CharField(
        required=False, allow_blank=True, max_length=30, help_text="with account_number: SWIFT/BIC"
    )
    country = serializers.CharField(
        required=False, allow_blank=True, max_length=2, help_text="bank: ISO 3166 (default: the shop's)"
    )


class PayoutMethodListCreateView(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = PayoutMethodSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PayoutMethod.objects.none()
        return callers_shop(self.request).payout_methods.filter(is_active=True)

    @extend_schema(
        request=PayoutMethodInSerializer,
        responses={
            201: PayoutMethodSerializer,
            400: OpenApiResponse(
                description="Not a real phone number, a wallet in another currency, a bad IBAN."
            ),
        },
    )
    def post(self, request):
        shop = callers_shop(request)
        given = PayoutMethodInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        method = payout_method_add(shop=shop, data=given.validated_data)
        return Response(PayoutMethodSerializer(method).data, status=status.HTTP_201_CREATED)


class PayoutSerializer(serializers.ModelSerializer):
    destination = serializers.CharField(source="method.destination", read_only=True)
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Payout
        fields = [
            "id",
            "reference",
            "amount",
            "currency",
            "status",
            "trigger",
            "destination",
            "failure_message",
            "created_at",
            "settled_at",
        ]
        read_only_fields = fields


class PayoutInSerializer(serializers.Serializer):
    # A string, checked by the service (above zero, the currency's decimals, balance, minimum) so the
    # seller reads what to fix in their words.
    amount = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text="A decimal amount; default: all available"
    )


class PayoutListCreateView(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = PayoutSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Payout.objects.none()
        return payouts_for_shop(callers_shop(self.request))

    @extend_schema(
        request=PayoutInSerializer,
        responses={
            202: PayoutSerializer,
            400: OpenApiResponse(
                description="No payout method, or the amount is above the balance or below the minimum."
            ),
        },
    )
    def post(self, request):
        shop = callers_shop(request)
        given = PayoutInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        payout = payout_request(shop=shop, amount=given.validated_data.get("amount"))
        return Response(PayoutSerializer(payout).data, status=status.HTTP_202_ACCEPTED)
