"""API v1 for accounts, products and categories: thin adapters over services and selectors."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ewtp.authentication import token_for_user
from marketplace import selectors, services
from marketplace.api.filters import CatalogFilterBackend, CatalogPagination
from marketplace.api.permissions import IsSellerOrReadOnly
from marketplace.api.serializers import (
    CategorySerializer,
    ProductSerializer,
    RegisteredUserSerializer,
    RegisterSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from marketplace.catalog_cache import cache_get, cache_set, seen_before, shipping_origins, versioned_key

API_FIELD_NAMES = {"price_amount": "price"}


def as_api_error(exc: DjangoValidationError) -> ValidationError:
    """Service validation errors, with model field names renamed to the API's."""
    if hasattr(exc, "error_dict"):
        return ValidationError({API_FIELD_NAMES.get(k, k): v for k, v in exc.message_dict.items()})
    return ValidationError({"detail": exc.messages})


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_scope = "register"

    @extend_schema(request=RegisterSerializer, responses={201: RegisteredUserSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = services.user_register(**serializer.validated_data)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from None
        token, _ = Token.objects.get_or_create(user=user)
        user.token = token.key
        return Response(RegisteredUserSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get_authenticate_header(self, request) -> str:
        return "Token"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request=request, **serializer.validated_data)
        if user is None:
            raise AuthenticationFailed("Unable to log in with the username and password given.")
        token = token_for_user(user)
        return Response({"token": token.key})


class ProductViewSet(viewsets.ModelViewSet):
    """Listings. Anyone reads published ones; the owning seller writes."""

    serializer_class = ProductSerializer
    permission_classes = [IsSellerOrReadOnly]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filter_backends = [CatalogFilterBackend]  # search, filters, ordering: marketplace/api/filters.py
    pagination_class = CatalogPagination

    def get_queryset(self):
        if self.action == "list":
            return selectors.listings_public()
        return selectors.listings_visible_to(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        shop = (
            selectors.shop_for_user(self.request.user) if self.request.method not in ("GET", "HEAD") else None
        )
        context["currency"] = shop.currency if shop else None
        context["display_currency"] = getattr(self, "catalog_currency", None)
        context["rates"] = getattr(self, "catalog_rates", None)
        return context

    def list(self, request, *args, **kwargs):
        """Public and the same for every caller: served from the versioned catalog cache."""
        key = versioned_key(
            "api-products",
            (
                request.get_host(),
                request.is_secure(),
                get_language(),
                sorted(request.query_params.lists()),
                shipping_origins(request.query_params.get("ships_to")),
            ),
        )
        cached = cache_get(key)
        if cached is not None:
            return Response(cached)
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200 and seen_before(key):
            cache_set(key, response.data)
        return response

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            listing = services.listing_create(actor=request.user, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from None
        listing = self.get_queryset().get(pk=listing.pk)
        return Response(self.get_serializer(listing).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        listing = self.get_object()
        serializer = self.get_serializer(listing, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            services.listing_update(listing=listing, actor=request.user, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=listing.pk)).data)

    def destroy(self, request, *args, **kwargs):
        services.listing_delete(listing=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CategorySerializer
    queryset = selectors.categories()
    pagination_class = None
