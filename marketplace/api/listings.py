"""API v1 products (listings) and their images: thin adapters over services and selectors."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import slug_re
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.fields import SkipField
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ewtp.money import quantize
from marketplace.api.catalog import (
    CatalogFilterBackend,
    CatalogPagination,
    ShopSummarySerializer,
    badges_field,
)
from marketplace.api.errors import as_api_error
from marketplace.api.permissions import IsSellerOrReadOnly
from marketplace.models import Category, Listing, ListingImage
from marketplace.models.catalog import MAX_SIDE_CM, MAX_STOCK
from marketplace.pricing.fx import display_price_payload
from marketplace.selectors.catalog import listings_public, listings_visible_to
from marketplace.selectors.shops import shop_for_user
from marketplace.services.listings import (
    listing_create,
    listing_delete,
    listing_image_add,
    listing_image_remove,
    listing_update,
)
from marketplace.validators import validate_price_for_currency


class ListingImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ListingImage
        fields = ["id", "url", "thumbnail_url", "width", "height"]

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_url(self, obj) -> str:
        return self._absolute(obj.image.url)

    def get_thumbnail_url(self, obj) -> str | None:
        return self._absolute(obj.thumbnail.url) if obj.thumbnail else None


class CategorySlugField(serializers.SlugRelatedField):
    """A category by its slug. A value that cannot be a slug (a NUL byte, spaces, 5,000 characters)
    is an unknown category, answered without a query: PostgreSQL refuses NUL in text (was a 500)."""

    max_length = Category._meta.get_field("slug").max_length

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if len(data) > self.max_length or not slug_re.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data[: self.max_length])
        return super().to_internal_value(data)


class DisplayPriceSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=20, decimal_places=3, help_text="In `currency`, rounded to its minor unit"
    )
    currency = serializers.CharField(help_text="ISO-4217, the `?currency=` asked for")


@extend_schema_field(DisplayPriceSerializer)
class DisplayPriceField(serializers.Field):
    """The price converted into `?currency=` at the rate in force: only when a currency was asked
    for (left out otherwise), null when there is no rate for it."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def get_attribute(self, instance):
        currency = self.context.get("display_currency")
        if not currency:
            raise SkipField()
        return display_price_payload(instance.price, currency, self.context["rates"])

    def to_representation(self, value):
        return value


@extend_schema_serializer(extensions={"x-optional-in-response": ["display_price"]})
class ProductSerializer(serializers.ModelSerializer):
    """A listing as integrators see it. `currency` follows the shop and is read-only."""

    category = CategorySlugField(slug_field="slug", queryset=Category.objects.all())
    price = serializers.DecimalField(
        source="price_amount", max_digits=15, decimal_places=3, min_value=Decimal("0.001")
    )
    weight_kg = serializers.DecimalField(max_digits=8, decimal_places=3, min_value=Decimal("0.001"))
    origin_country = CountryField(required=False)
    shop = ShopSummarySerializer(read_only=True)
    badges = badges_field(source="shop.badges")
    images = ListingImageSerializer(many=True, read_only=True)
    is_active = serializers.BooleanField(required=False, default=True)
    display_price = DisplayPriceField(
        help_text="The price in `?currency=` at the rate in force: only when a currency is asked for, "
        "null when there is no rate for it."
    )

    class Meta:
        model = Listing
        fields = [
            "id",
            "title",
            "description",
            "category",
            "price",
            "currency",
            "stock",
            "weight_kg",
            "length_cm",
            "width_cm",
            "height_cm",
            "hs_code",
            "origin_country",
            "shop",
            "badges",
            "images",
            "is_active",
            "display_price",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "currency", "shop", "badges", "images", "created_at", "updated_at"]
        extra_kwargs = {
            "stock": {
                "min_value": 0,
                "max_value": MAX_STOCK,
                "error_messages": {"max_value": _("Stock is at most 100,000 units: list what you can ship.")},
            },
            **{
                side: {
                    "min_value": Decimal("0.1"),
                    "max_value": MAX_SIDE_CM,
                    "error_messages": {
                        "min_value": _("Each side is more than 0 cm."),
                        "max_value": _(
                            "Each side is at most 300 cm: the largest parcel the e-hub network takes."
                        ),
                    },
                }
                for side in ("length_cm", "width_cm", "height_cm")
            },
        }

    def get_fields(self):
        fields = super().get_fields()
        fields["category"].error_messages["does_not_exist"] = _("Unknown category “{value}”.")
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["price"] = str(quantize(instance.price_amount, instance.currency))
        return data

    def validate(self, attrs):
        currency = self.context.get("currency")
        if currency and "price_amount" in attrs:
            try:
                validate_price_for_currency(attrs["price_amount"], currency)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"price": exc.messages}) from None
        return attrs


PUBLIC_READ = [{"tokenAuth": []}, {"cookieAuth": []}, {}]


def product_etag(listing: Listing) -> str:
    """The product's entity tag: the stock it shows, then a digest of the row's version (it
    changes with every save and every stock move). `If-Match` on a PATCH of `stock` names the
    stock the client read (see `stock_seen_from`)."""
    version = f"{listing.pk}:{listing.stock}:{listing.updated_at.isoformat()}"
    return f'"{listing.stock}.{hashlib.sha256(version.encode()).hexdigest()[:16]}"'


def stock_seen_from(if_match: str | None) -> int | None:
    """The stock a client read, from its `If-Match` (one of our ETags); None when it sent none or
    `*` (then `stock` is set as given). Anything else is refused (412)."""
    if if_match is None or if_match.strip() == "*":
        return None
    match = ETAG.fullmatch(if_match.strip())
    if match is None:
        raise PreconditionFailed()
    return int(match.group(1))


ETAG = re.compile(r'(?:W/)?"(\d{1,10})\.[0-9a-f]{16}"')


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = _("If-Match must be an ETag this API gave for the product.")
    default_code = "precondition_failed"


@extend_schema_view(
    list=extend_schema(auth=PUBLIC_READ),
    retrieve=extend_schema(
        auth=PUBLIC_READ,
        responses={200: OpenApiResponse(ProductSerializer, description="With an `ETag` header.")},
    ),
    partial_update=extend_schema(
        parameters=[
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                description="The product's ETag as read. With `stock` in the body, a stock that orders "
                "have moved since answers 409 `stale_stock`; stock left as read keeps what orders "
                "made it. Without it, `stock` is set as given.",
            )
        ],
        responses={
            200: ProductSerializer,
            409: OpenApiResponse(description="`code`: `stale_stock` — the stock changed since it was read"),
            412: OpenApiResponse(description="If-Match is not an ETag of this API"),
        },
    ),
)
class ProductViewSet(viewsets.ModelViewSet):
    """Listings. Anyone reads published ones; the owning seller writes."""

    serializer_class = ProductSerializer
    permission_classes = [IsSellerOrReadOnly]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filter_backends = [CatalogFilterBackend]  # search, filters, ordering: marketplace/api/filters.py
    pagination_class = CatalogPagination

    def get_queryset(self):
        if self.action == "list":
            return listings_public()
        return listings_visible_to(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        shop = shop_for_user(self.request.user) if self.request.method not in ("GET", "HEAD") else None
        context["currency"] = shop.currency if shop else None
        context["display_currency"] = getattr(self, "catalog_currency", None)
        context["rates"] = getattr(self, "catalog_rates", None)
        return context

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            listing = listing_create(actor=request.user, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from None
        listing = self.get_queryset().get(pk=listing.pk)
        return Response(self.get_serializer(listing).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, *args, **kwargs):
        listing = self.get_object()
        return Response(self.get_serializer(listing).data, headers={"ETag": product_etag(listing)})

    def update(self, request, *args, **kwargs):
        listing = self.get_object()
        stock_seen = stock_seen_from(request.headers.get("If-Match"))
        serializer = self.get_serializer(listing, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            listing_update(
                listing=listing, actor=request.user, stock_seen=stock_seen, **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise as_api_error(exc) from None
        listing = self.get_queryset().get(pk=listing.pk)
        return Response(self.get_serializer(listing).data, headers={"ETag": product_etag(listing)})

    def destroy(self, request, *args, **kwargs):
        listing_delete(listing=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ImageUploadSerializer(serializers.Serializer):
    image = serializers.FileField()


def _own_listing(request, pk: int):
    listing = get_object_or_404(listings_visible_to(request.user), pk=pk)
    if listing.shop.owner_id != request.user.pk:
        raise PermissionDenied("You can only change listings of your own shop.")
    return listing


class ListingImageUploadView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": ImageUploadSerializer}, responses={201: ListingImageSerializer}
    )
    def post(self, request, pk: int):
        listing = _own_listing(request, pk)
        serializer = ImageUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            image = listing_image_add(
                listing=listing, actor=request.user, upload=serializer.validated_data["image"]
            )
        except DjangoValidationError as exc:
            messages = (
                exc.message_dict.get("images", exc.messages) if hasattr(exc, "error_dict") else exc.messages
            )
            raise ValidationError({"image": messages}) from None
        return Response(
            ListingImageSerializer(image, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class ListingImageDeleteView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int, image_id: int):
        listing = _own_listing(request, pk)
        image = get_object_or_404(ListingImage, pk=image_id, listing=listing)
        listing_image_remove(image=image, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
