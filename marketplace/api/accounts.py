"""API v1 accounts: registration and token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.errors import as_api_error
from marketplace.models import Role
from marketplace.services.accounts import user_register
from marketplace.services.tokens import token_for_user
from marketplace.validators import validate_currency


@extend_schema_field({"type": "string", "pattern": "^([A-Za-z]{3})?$", "example": "MYR"})
class CurrencyCodeField(serializers.CharField):
    """An ISO-4217 code (any case) or empty; a code that is not one (`AAA`) is a 400 saying so."""

    def __init__(self, **kwargs):
        super().__init__(max_length=3, allow_blank=True, **kwargs)

    def to_internal_value(self, data) -> str:
        value = super().to_internal_value(data).strip().upper()
        if value:
            try:
                validate_currency(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None
        return value


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(
        write_only=True, min_length=8, max_length=128, style={"input_type": "password"}
    )
    role = serializers.ChoiceField(choices=[Role.BUYER, Role.SELLER])
    country = CountryField()
    shop_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    currency = CurrencyCodeField(
        required=False, default="", help_text="A seller's shop currency (ISO-4217); empty for a buyer"
    )

    def validate(self, attrs):
        if attrs["role"] == Role.SELLER:
            errors = {}
            if not attrs.get("shop_name", "").strip():
                errors["shop_name"] = [_("A seller must name their shop.")]
            if not attrs.get("currency"):
                errors["currency"] = [_("A seller must choose the shop's currency (ISO-4217).")]
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class RegisteredShopSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    currency = serializers.CharField(help_text="ISO-4217: the shop's prices are in it")


class RegisteredUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    role = serializers.CharField()
    country = serializers.CharField()
    shop = RegisteredShopSerializer(
        read_only=True, allow_null=True, help_text="A seller's shop; null for a buyer"
    )
    token = serializers.CharField()


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class RegisterView(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "register"
    authentication_classes: list = []

    @extend_schema(request=RegisterSerializer, responses={201: RegisteredUserSerializer}, auth=[])
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = user_register(**serializer.validated_data)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from None
        user.token = token_for_user(user=user).key
        return Response(RegisteredUserSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get_authenticate_header(self, request) -> str:
        return "Token"

    @extend_schema(
        auth=[],
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            401: OpenApiResponse(description="Unknown username or wrong password."),
            429: OpenApiResponse(
                description="Too many failed logins (`code`: `login_locked`; `Retry-After` says when to "
                "try again): per (account, address), per address across accounts, per account."
            ),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request=request, **serializer.validated_data)
        if user is None:
            raise AuthenticationFailed("Unable to log in with the username and password given.")
        token = token_for_user(user=user)
        return Response({"token": token.key})
