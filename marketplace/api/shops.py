"""API v1 shops: list and detail with their listings."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from marketplace.api.catalog import ShopSummarySerializer
from marketplace.api.listings import ProductSerializer
from marketplace.models import Shop
from marketplace.selectors.catalog import listings_public

SHOP_LISTINGS_SHOWN = 24


class ShopSerializer(ShopSummarySerializer):
    listing_count = serializers.IntegerField(read_only=True)
    listings_url = serializers.SerializerMethodField()

    class Meta(ShopSummarySerializer.Meta):
        fields = [
            *ShopSummarySerializer.Meta.fields,
            "description",
            "currency",
            "listing_count",
            "listings_url",
        ]

    def get_listings_url(self, shop) -> str:
        url = f"{reverse('product-list')}?shop={shop.slug}"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ShopDetailSerializer(ShopSerializer):
    listings = serializers.SerializerMethodField()

    class Meta(ShopSerializer.Meta):
        fields = [*ShopSerializer.Meta.fields, "listings"]

    @extend_schema_field(ProductSerializer(many=True))
    def get_listings(self, shop) -> list[dict]:
        """The newest published listings; page through all of them with `listings_url`."""
        listings = listings_public().filter(shop=shop).order_by("-created_at", "-id")
        return ProductSerializer(listings[:SHOP_LISTINGS_SHOWN], many=True, context=self.context).data


class ShopViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Shops with how many published listings they have; the detail includes the newest listings."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"  # a shop slug; anything else (a NUL byte) is a 404, not a query
    filter_backends: list = []

    def get_queryset(self):
        return Shop.objects.annotate(
            listing_count=Count("listings", filter=Q(listings__is_active=True))
        ).order_by("name", "id")

    def get_serializer_class(self):
        return ShopDetailSerializer if self.action == "retrieve" else ShopSerializer
