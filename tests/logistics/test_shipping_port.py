from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ewtp.money import Money
from logistics.integration.shipping import NetworkShipping
from logistics.models import Hub
from logistics.services.network import hub_suspend
from marketplace import ports

pytestmark = pytest.mark.django_db


def test_shipping_port_is_registered_at_start_up():
    assert isinstance(ports.shipping(), NetworkShipping)


def test_shipping_port_quote_is_the_cheapest_route_as_money(seeded_network):
    quote = ports.shipping().quote(origin_country="CN", destination_country="RW", weight_kg=Decimal(2))
    assert quote.cost == Money(Decimal("18.00"), "USD")
    assert quote.transit_hours > 0
    assert quote.estimated_delivery.tzinfo is not None
    assert quote.hubs[0] in {"HGH", "SZX"} and quote.hubs[-1] == "KGL"


def test_shipping_port_quote_carries_an_id_and_a_valid_until_time(seeded_network):
    """An order snapshots the quote the buyer saw: each answer is named and holds for a while."""
    before = timezone.now()
    first = ports.shipping().quote(origin_country="CN", destination_country="RW", weight_kg=Decimal(2))
    second = ports.shipping().quote(origin_country="CN", destination_country="RW", weight_kg=Decimal(2))
    assert first.id and first.id != second.id
    assert before + timedelta(minutes=29) < first.valid_until <= timezone.now() + timedelta(minutes=30)


def test_shipping_port_quote_follows_the_preference(seeded_network):
    args = {"origin_country": "CN", "destination_country": "KE", "weight_kg": Decimal(5)}
    cheapest = ports.shipping().quote(**args, preference="cheapest")
    fastest = ports.shipping().quote(**args, preference="fastest")
    assert (cheapest.preference, fastest.preference) == ("cheapest", "fastest")
    assert cheapest.cost.amount <= fastest.cost.amount
    assert fastest.estimated_delivery <= cheapest.estimated_delivery


def test_shipping_port_estimate_is_none_without_a_route(seeded_network):
    assert ports.shipping().quote(origin_country="CN", destination_country="MX", weight_kg=Decimal(1)) is None


def test_shipping_port_origin_countries_follow_suspensions(
    seeded_network, django_capture_on_commit_callbacks
):
    assert {"CN", "MY", "KE", "BE"} <= ports.shipping().origin_countries_shipping_to("RW")
    with django_capture_on_commit_callbacks(execute=True):
        hub_suspend(hub=Hub.objects.get(code="KGL"), reason="flooding")
    assert ports.shipping().origin_countries_shipping_to("RW") == frozenset()
