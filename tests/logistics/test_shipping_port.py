from decimal import Decimal

import pytest

from logistics.integration.shipping import NetworkShipping
from logistics.models import Hub
from logistics.services.network import hub_suspend
from marketplace import ports

pytestmark = pytest.mark.django_db


def test_shipping_port_is_registered_at_start_up():
    assert isinstance(ports.shipping(), NetworkShipping)


def test_shipping_port_estimate_is_the_cheapest_route_in_usd(seeded_network):
    estimate = ports.shipping().estimate(origin_country="CN", destination_country="RW", weight_kg=Decimal(2))
    assert (estimate.cost_amount, estimate.currency) == (Decimal("18.00"), "USD")
    assert estimate.transit_hours > 0
    assert estimate.estimated_delivery.tzinfo is not None


def test_shipping_port_estimate_is_none_without_a_route(seeded_network):
    assert (
        ports.shipping().estimate(origin_country="CN", destination_country="US", weight_kg=Decimal(1)) is None
    )


def test_shipping_port_origin_countries_follow_suspensions(
    seeded_network, django_capture_on_commit_callbacks
):
    assert {"CN", "MY", "KE", "BE"} <= ports.shipping().origin_countries_shipping_to("RW")
    with django_capture_on_commit_callbacks(execute=True):
        hub_suspend(hub=Hub.objects.get(code="KGL"), reason="flooding")
    assert ports.shipping().origin_countries_shipping_to("RW") == frozenset()
