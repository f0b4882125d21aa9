from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import slug_re
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from ewtp.money import quantize
from marketplace.models import Category, Listing, ListingImage, Role, Shop
from marketplace.pricing import display_price_payload
from marketplace.validators import validate_currency, validate_price_for_currency


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(
        write_only=True, min_length=8, max_length=128, style={"input_type": "password"}
    )
    role = serializers.ChoiceField(choices=[Role.BUYER, Role.SELLER])
    country = CountryField()
    shop_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True, default="")

    def validate_currency(self, value: str) -> str:
        value = value.strip().upper()
        if value:
            try:
                validate_currency(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None
        return value

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


class RegisteredUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    role = serializers.CharField()
    country = serializers.CharField()
    shop = serializers.SerializerMethodField()
    token = serializers.CharField()

    def get_shop(self, user) -> dict | None:
        shop = getattr(user, "shop", None)
        if shop is None:
            return None
        return {
            "id": shop.id,
            "name": shop.name,
            "slug": shop.slug,
            "country": str(shop.country),
            "currency": shop.currency,
        }


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name"]


class ShopSummarySerializer(serializers.ModelSerializer):
    country = CountryField()

    class Meta:
        model = Shop
        fields = ["id", "name", "slug", "country", "is_verified"]


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


class ProductSerializer(serializers.ModelSerializer):
    """A listing as integrators see it. `currency` follows the shop and is read-only."""

    category = CategorySlugField(slug_field="slug", queryset=Category.objects.all())
    price = serializers.DecimalField(
        source="price_amount", max_digits=15, decimal_places=3, min_value=Decimal("0.001")
    )
    weight_kg = serializers.DecimalField(max_digits=8, decimal_places=3, min_value=Decimal("0.001"))
    origin_country = CountryField(required=False)
    shop = ShopSummarySerializer(read_only=True)
    images = ListingImageSerializer(many=True, read_only=True)
    is_active = serializers.BooleanField(required=False, default=True)

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
            "images",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "currency", "shop", "images", "created_at", "updated_at"]
        extra_kwargs = {
            "stock": {"min_value": 0, "max_value": 2_147_483_647},
            "length_cm": {"min_value": Decimal("0.1")},
            "width_cm": {"min_value": Decimal("0.1")},
            "height_cm": {"min_value": Decimal("0.1")},
        }

    def get_fields(self):
        fields = super().get_fields()
        fields["category"].error_messages["does_not_exist"] = _("Unknown category “{value}”.")
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["price"] = str(quantize(instance.price_amount, instance.currency))
        if self.context.get("display_currency"):  # `?currency=` asked for
            data["display_price"] = display_price_payload(
                instance.price, self.context["display_currency"], self.context["rates"]
            )
        return data

    def validate(self, attrs):
        currency = self.context.get("currency")
        if currency and "price_amount" in attrs:
            try:
                validate_price_for_currency(attrs["price_amount"], currency)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"price": exc.messages}) from None
        return attrs


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
