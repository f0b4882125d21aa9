"""Webhooks over the API: sellers (for their shop) and operators (for every shop) register
endpoints, read each endpoint's delivery log and replay a delivery. An endpoint is its owner's
alone: anyone else gets 404. The signing secret is in the 201 answer only."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from marketplace.services.webhooks import (
    endpoint_scope,
    webhook_delivery_replay,
    webhook_endpoint_delete,
    webhook_endpoint_register,
    webhook_endpoint_update,
)


class EndpointSerializer(serializers.ModelSerializer):
    shop = serializers.CharField(source="shop.slug", allow_null=True, read_only=True)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "events",
            "description",
            "shop",
            "active",
            "disabled_at",
            "disabled_reason",
            "failure_streak",
            "created_at",
        ]
        read_only_fields = fields


class EndpointCreatedSerializer(EndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="whsec_…: verify signatures with it. Shown this once, never again."
    )

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class EndpointInSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500, help_text="https:// (plain http to loopback with DEBUG only)")
    events = serializers.ListField(
        child=serializers.CharField(max_length=40),
        max_length=len(WebhookEvent.values),
        help_text=", ".join(WebhookEvent.values),
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EndpointPatchSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500, required=False)
    events = serializers.ListField(
        child=serializers.CharField(max_length=40), max_length=len(WebhookEvent.values), required=False
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False, help_text="true turns a disabled endpoint back on")


def own_endpoints(request):
    return WebhookEndpoint.objects.filter(owner=request.user).select_related("shop")


class EndpointListCreateView(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = EndpointSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WebhookEndpoint.objects.none()
        endpoint_scope(self.request.user)  # 403 for buyers
        return own_endpoints(self.request)

    @extend_schema(
        request=EndpointInSerializer,
        responses={
            201: EndpointCreatedSerializer,
            400: OpenApiResponse(description="Not an https URL, a private address, an unknown event."),
            403: OpenApiResponse(description="Neither a seller with a shop nor an operator."),
        },
    )
    def post(self, request):
        given = EndpointInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        endpoint = webhook_endpoint_register(
            owner=request.user,
            url=given.validated_data["url"],
            events=given.validated_data["events"],
            description=given.validated_data.get("description", ""),
        )
        return Response(EndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: EndpointSerializer, 404: OpenApiResponse(description="Not yours.")})
    def get(self, request, pk: int):
        return Response(EndpointSerializer(get_object_or_404(own_endpoints(request), pk=pk)).data)

    @extend_schema(request=EndpointPatchSerializer, responses={200: EndpointSerializer})
    def patch(self, request, pk: int):
        endpoint = get_object_or_404(own_endpoints(request), pk=pk)
        given = EndpointPatchSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        endpoint = webhook_endpoint_update(endpoint=endpoint, data=given.validated_data)
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        webhook_endpoint_delete(endpoint=get_object_or_404(own_endpoints(request), pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliverySerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="event_type", read_only=True)
    webhook_id = serializers.CharField(source="message_id", read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "webhook_id",
            "status",
            "attempts",
            "response_status",
            "last_error",
            "next_attempt_at",
            "last_attempt_at",
            "succeeded_at",
            "created_at",
            "log",
        ]
        read_only_fields = fields


class DeliveryListView(ListAPIView):
    """The endpoint's deliveries, newest first, each with its attempts (the latest 20)."""

    permission_classes = [IsAuthenticated]
    serializer_class = DeliverySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WebhookDelivery.objects.none()
        endpoint = get_object_or_404(own_endpoints(self.request), pk=self.kwargs["pk"])
        return endpoint.deliveries.order_by("-pk")


class DeliveryReplayView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None, responses={202: DeliverySerializer, 400: OpenApiResponse(description="Disabled.")}
    )
    def post(self, request, pk: int, delivery_pk: int):
        endpoint = get_object_or_404(own_endpoints(request), pk=pk)
        delivery = get_object_or_404(endpoint.deliveries, pk=delivery_pk)
        delivery = webhook_delivery_replay(delivery=delivery)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
