"""Helpers shared by the API tests."""

from rest_framework.authtoken.models import Token


def auth(api_client, user):
    """Send `Authorization: Token <token>` for `user` on this client."""
    token, _ = Token.objects.get_or_create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api_client


def product_payload(**overrides):
    """A valid product for a MYR shop, with `overrides` applied."""
    data = {
        "title": "Batik shirt",
        "description": "Hand-drawn batik",
        "category": "textiles",
        "price": "45.00",
        "stock": 12,
        "weight_kg": "0.300",
        "hs_code": "610910",
    }
    data.update(overrides)
    return data
