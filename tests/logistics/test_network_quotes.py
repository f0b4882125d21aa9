"""Quotes on the seeded network through the selectors, with the planner cached per network version."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ewtp.exceptions import InvalidTransition
from logistics.models import Hub, HubEvent, HubStatus, Lane
from logistics.routing.model import NoRouteReason, Preference
from logistics.selectors import network as selectors
from logistics.services.network import hub_resume, hub_suspend, lane_save

pytestmark = pytest.mark.django_db
MONDAY_9AM_SHANGHAI = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def china_to_rwanda(preference=Preference.CHEAPEST):
    return selectors.shipping_quote(
        origin_country="CN",
        destination_country="RW",
        weight_kg=Decimal(2),
        preference=preference,
        ready_at=MONDAY_9AM_SHANGHAI,
    )


def test_shipping_quote_shenzhen_to_kigali_goes_through_addis_ababa(seeded_network):
    route = china_to_rwanda().route
    assert route.hubs == ("SZX", "ADD", "KGL")
    assert route.cost == Decimal("18.00")


def test_hub_suspend_reroutes_shenzhen_to_kigali_and_resume_restores_it(
    seeded_network, operator, django_capture_on_commit_callbacks
):
    """Guards `hub_set_status`'s network version bump (the planner is cached per version)."""
    addis = Hub.objects.get(code="ADD")
    with django_capture_on_commit_callbacks(execute=True):
        hub_suspend(hub=addis, reason="Customs system outage", actor=operator)

    rerouted = china_to_rwanda()
    assert "ADD" not in rerouted.route.hubs
    assert rerouted.route.hubs[-2:] == ("NBO", "KGL")
    assert all("ADD" not in alt.hubs for alt in rerouted.alternatives)
    event = HubEvent.objects.get(hub=addis)
    assert (event.from_status, event.to_status, event.reason, event.actor) == (
        "active",
        "suspended",
        "Customs system outage",
        operator,
    )

    with django_capture_on_commit_callbacks(execute=True):
        hub_resume(hub=addis, actor=operator)
    assert china_to_rwanda().route.hubs == ("SZX", "ADD", "KGL")
    assert Hub.objects.get(code="ADD").status_reason == ""


def test_hub_suspend_needs_a_reason_and_refuses_a_second_suspension(seeded_network):
    addis = Hub.objects.get(code="ADD")
    with pytest.raises(Exception, match="Say why"):
        hub_suspend(hub=addis, reason="  ")
    hub_suspend(hub=addis, reason="strike")
    with pytest.raises(InvalidTransition):
        hub_suspend(hub=addis, reason="still on strike")
    assert HubEvent.objects.filter(hub=addis).count() == 1


def test_shipping_quote_says_why_when_the_only_destination_hub_is_suspended(
    seeded_network, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hub_suspend(hub=Hub.objects.get(code="KGL"), reason="flooding")
    with pytest.raises(selectors.NoRoute) as caught:
        china_to_rwanda()
    assert caught.value.reason == NoRouteReason.DESTINATION_HUBS_SUSPENDED
    assert caught.value.message == (
        "Every hub serving Rwanda is suspended; parcels cannot be delivered there right now."
    )


def test_planner_is_cached_until_the_network_changes(
    seeded_network, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Guards `lane_save`'s network version bump."""
    first = selectors.planner()
    with django_assert_num_queries(0):  # the version comes from the cache
        assert selectors.planner() is first
    lane = Lane.objects.get(origin__code="KUL", destination__code="BKK", mode="road")
    lane.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        lane_save(lane=lane)
    assert selectors.planner() is not first
    assert not any(item.id == lane.pk for item in selectors.planner().network.lanes if item.is_active)


def test_shipping_quote_kuala_lumpur_to_bangkok_cheapest_road_fastest_air(seeded_network):
    def modes(preference):
        quote = selectors.shipping_quote(
            origin_country="MY", destination_country="TH", weight_kg=Decimal(5), preference=preference
        )
        return [(leg.from_hub, leg.to_hub, leg.mode.value) for leg in quote.route.line_haul]

    assert modes(Preference.CHEAPEST) == [("KUL", "BKK", "road")]
    assert modes(Preference.FASTEST) == [("KUL", "BKK", "air")]


def test_hub_degrade_adds_delay_in_the_seeded_network(seeded_network, django_capture_on_commit_callbacks):
    from logistics.services.network import hub_degrade

    before = china_to_rwanda().route
    with django_capture_on_commit_callbacks(execute=True):
        hub_degrade(hub=Hub.objects.get(code="ADD"), reason="staff shortage")
    after = china_to_rwanda().route
    assert Hub.objects.get(code="ADD").status == HubStatus.DEGRADED
    assert after.estimated_delivery > before.estimated_delivery
