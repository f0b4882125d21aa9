"""Listing images over the API: multipart upload and removal, owner only."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace import selectors, services
from marketplace.api.serializers import ListingImageSerializer
from marketplace.models import ListingImage


class ImageUploadSerializer(serializers.Serializer):
    image = serializers.FileField()


def _own_listing(request, pk: int):
    listing = get_object_or_404(selectors.listings_visible_to(request.user), pk=pk)
    if listing.shop.owner_id != request.user.pk:
        raise PermissionDenied("You can only change listings of your own shop.")
    return listing


class ListingImageUploadView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ImageUploadSerializer}, responses={201: ListingImageSerializer}
    )
    def post(self, request, pk: int):
        listing = _own_listing(request, pk)
        serializer = ImageUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            image = services.listing_image_add(
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
        services.listing_image_remove(image=image, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
