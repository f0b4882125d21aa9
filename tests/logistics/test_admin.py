"""Operators' admin, through the test client as a logged-in superuser."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ewtp.exceptions import DomainError
from logistics.models import Hub, HubEvent, HubStatus, Lane, Shipment, SimulationClock
from logistics.routing.model import Preference
from logistics.selectors import network as selectors
from logistics.services.network import hub_suspend, lane_delete
from logistics.services.simulation import shipments_advance
from tests.logistics.parcels import in_transit, milestone

pytestmark = pytest.mark.django_db


def my_to_th_cheapest_modes():
    quote = selectors.shipping_quote(
        origin_country="MY", destination_country="TH", weight_kg=Decimal(5), preference=Preference.CHEAPEST
    )
    return [leg.mode.value for leg in quote.route.line_haul]


def test_hub_admin_changelist_filters_and_searches(admin_client, seeded_network):
    hub_suspend(hub=Hub.objects.get(code="ADD"), reason="strike")
    url = reverse("admin:logistics_hub_changelist")
    suspended = admin_client.get(url, {"status__exact": "suspended"})
    assert suspended.status_code == 200
    assert [hub.code for hub in suspended.context["cl"].result_list] == ["ADD"]
    found = admin_client.get(url, {"q": "Kigali"})
    assert [hub.code for hub in found.context["cl"].result_list] == ["KGL"]
    assert reverse("admin:logistics_hub_map").encode() in found.content


def test_lane_admin_changelist_filters_by_mode(admin_client, seeded_network):
    response = admin_client.get(reverse("admin:logistics_lane_changelist"), {"mode__exact": "road"})
    lanes = {str(lane) for lane in response.context["cl"].result_list}
    assert lanes == {
        "KUL → BKK (Road)", "BKK → KUL (Road)", "NBO → KGL (Road)", "KGL → NBO (Road)", "LGG → LHR (Road)",
        "LHR → LGG (Road)",
    }  # fmt: skip


def test_hub_admin_change_page_shows_lanes_inline(admin_client, seeded_network):
    kul = Hub.objects.get(code="KUL")
    response = admin_client.get(reverse("admin:logistics_hub_change", args=[kul.pk]))
    assert response.status_code == 200
    inline = response.context["inline_admin_formsets"][0]
    assert {form.instance.destination.code for form in inline.formset.forms if form.instance.pk} == {
        "BKK",
        "CGK",
        "DEL",
        "DXB",
        "HGH",
        "NRT",
        "SYD",
        "SZX",
    }


def test_hub_admin_map_draws_hubs_and_lanes_with_status(admin_client, seeded_network):
    hub_suspend(hub=Hub.objects.get(code="ADD"), reason="runway closed")
    lane = Lane.objects.get(origin__code="KUL", destination__code="BKK", mode="road")
    lane.is_active = False
    lane.save()
    response = admin_client.get(reverse("admin:logistics_hub_map"))
    assert response.status_code == 200
    svg = response.content.decode()
    assert svg.count('<g class="hub ') == 18
    assert svg.count('class="lane ') == 64
    assert '<g class="hub hub-suspended" data-code="ADD">' in svg
    assert '<g class="hub hub-active" data-code="KUL">' in svg
    assert svg.count("lane lane-inactive") == 1
    assert svg.count("lane lane-blocked") == 12  # the 6 ADD lanes and their reverses
    assert "https://" not in svg.split("<svg", 1)[1].split("</svg>")[0].replace("http://www.w3.org", "")


def test_hub_admin_map_needs_staff(client, seeded_network):
    response = client.get(reverse("admin:logistics_hub_map"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_hub_admin_suspend_action_asks_for_a_reason_then_suspends(admin_client, operator, seeded_network):
    addis = Hub.objects.get(code="ADD")
    url = reverse("admin:logistics_hub_changelist")
    selection = {"action": "suspend_hubs", "_selected_action": [addis.pk]}

    confirm = admin_client.post(url, selection)
    assert confirm.status_code == 200
    assert "reason" in confirm.context["form"].fields
    assert Hub.objects.get(code="ADD").status == HubStatus.ACTIVE

    missing = admin_client.post(url, {**selection, "apply": "1", "reason": ""})
    assert missing.status_code == 200
    assert missing.context["form"].errors["reason"]
    assert Hub.objects.get(code="ADD").status == HubStatus.ACTIVE

    done = admin_client.post(url, {**selection, "apply": "1", "reason": "Customs strike"}, follow=True)
    assert done.status_code == 200
    addis.refresh_from_db()
    assert (addis.status, addis.status_reason) == (HubStatus.SUSPENDED, "Customs strike")
    assert HubEvent.objects.get(hub=addis).actor == operator
    assert "1 hub is now Suspended." in [str(m) for m in done.context["messages"]]
    quote = selectors.shipping_quote(origin_country="CN", destination_country="RW", weight_kg=Decimal(2))
    assert "ADD" not in quote.route.hubs


def test_hub_admin_resume_action_restores_the_route(admin_client, seeded_network):
    addis = hub_suspend(hub=Hub.objects.get(code="ADD"), reason="strike")
    url = reverse("admin:logistics_hub_changelist")
    response = admin_client.post(url, {"action": "resume_hubs", "_selected_action": [addis.pk]})
    assert response.status_code == 302
    assert Hub.objects.get(code="ADD").status == HubStatus.ACTIVE
    quote = selectors.shipping_quote(
        origin_country="CN", destination_country="RW", weight_kg=Decimal(2), preference=Preference.CHEAPEST
    )
    assert quote.route.hubs == ("SZX", "ADD", "KGL")


def test_lane_admin_edit_invalidates_the_cached_planner(
    admin_client, seeded_network, django_capture_on_commit_callbacks
):
    """Guards `lane_save`'s network version bump (the admin saves through it)."""
    cached = selectors.planner()
    assert my_to_th_cheapest_modes() == ["road"]
    road = Lane.objects.get(origin__code="KUL", destination__code="BKK", mode="road")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:logistics_lane_change", args=[road.pk]),
            {
                "origin": road.origin_id,
                "destination": road.destination_id,
                "mode": "road",
                "departure_weekdays": ["0", "1", "2", "3", "4", "5", "6"],
                "departure_times": "22:00",
                "cutoff_hours": "4",
                "transit_hours": "60",
                "cost_per_kg_amount": "0.6000",
                "min_charge_amount": "3.00",
                "currency": "USD",
                "capacity_kg_per_departure": "15000",
                # "is_active" left unticked: the operator closes the road lane
                "note": "border closed",
            },
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert selectors.planner() is not cached
    assert my_to_th_cheapest_modes() == ["air"]


def test_lane_admin_refuses_malformed_departure_times(admin_client, seeded_network):
    road = Lane.objects.get(origin__code="KUL", destination__code="BKK", mode="road")
    response = admin_client.post(
        reverse("admin:logistics_lane_change", args=[road.pk]),
        {
            "origin": road.origin_id,
            "destination": road.destination_id,
            "mode": "road",
            "departure_weekdays": ["1"],
            "departure_times": "25:00",
            "cutoff_hours": "4",
            "transit_hours": "60",
            "cost_per_kg_amount": "0.6",
            "min_charge_amount": "3",
            "currency": "USD",
            "capacity_kg_per_departure": "15000",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "departure_times" in response.context["adminform"].form.errors


def change_form_data(response) -> dict:
    """The POST body a browser would send back for an unchanged admin change form with inlines."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
        )
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = field.prepare_value(value) if name == "departure_times" else value
    return data


def test_hub_admin_edit_with_lanes_inline_invalidates_the_cached_planner(
    admin_client, seeded_network, django_capture_on_commit_callbacks
):
    """Guards `lane_save`'s network version bump, called by the hub page's lanes inline."""
    kul = Hub.objects.get(code="KUL")
    url = reverse("admin:logistics_hub_change", args=[kul.pk])
    data = change_form_data(admin_client.get(url))
    cached = selectors.planner()
    assert my_to_th_cheapest_modes() == ["road"]
    # Close the KUL→BKK road lane from the hub page's inline.
    inline = next(
        key.rsplit("-", 1)[0]
        for key, value in data.items()
        if key.endswith("-mode") and value == "road" and key.startswith("lanes_out")
    )
    data.pop(f"{inline}-is_active")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert not Lane.objects.get(origin=kul, destination__code="BKK", mode="road").is_active
    assert Lane.objects.get(origin=kul, destination__code="BKK", mode="air").departure_weekdays == list(
        range(7)
    )
    assert selectors.planner() is not cached
    assert my_to_th_cheapest_modes() == ["air"]


# --- The hub load dashboard and the shipment filters ----------------------------------------------


def parcels_at_hgh(scarf, buyer_be, settings, count: int = 2):
    """`count` parcels sitting at HGH, unsorted, with the simulation's clock (fast) just past their
    arrival; and one more parcel still on its first mile. No customs holds: a held parcel's ETA
    moves (3% of tracking numbers by default), which made "late" filters fail now and then."""
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    arrived = in_transit(scarf, buyer_be, count)
    now = max(milestone(shipment, "1:arrived") for shipment in arrived) + timedelta(minutes=1)
    shipments_advance(now=now)
    (on_the_way,) = in_transit(scarf, buyer_be, 1)
    settings.EWTP_SIM_SPEED = 60
    SimulationClock.objects.update_or_create(pk=1, defaults={"simulated_at": now, "real_at": timezone.now()})
    return arrived, on_the_way


def test_hub_dashboard_shows_each_hubs_load_and_colours_the_map(
    admin_client, scarf, buyer_be, settings, django_assert_max_num_queries
):
    Hub.objects.filter(code="HGH").update(sort_capacity_per_day=2)
    parcels_at_hgh(scarf, buyer_be, settings)
    # session, user, clock, five load queries, the map (2), promises kept per hub and per carrier
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:logistics_hub_dashboard"))
    assert response.status_code == 200
    loads = {load.hub.code: load for load in response.context["loads"]}
    assert len(loads) == Hub.objects.count()
    hgh = loads["HGH"]
    assert (hgh.at_hub, hgh.awaiting_sort, hgh.inbound, hgh.status) == (2, 2, 1, "overloaded")
    page = response.content.decode()
    assert '<tr class="ewtp-load-overloaded" data-hub="HGH">' in page
    assert '<g class="hub hub-active load-overloaded" data-code="HGH">' in page
    assert "load-normal" in page  # the other hubs, idle
    shipments = reverse("admin:logistics_shipment_changelist")
    assert f"{shipments}?at_hub=HGH" in page and f"{shipments}?hub=HGH" in page


def test_hub_dashboard_needs_staff(client, django_user_model, seeded_network):
    url = reverse("admin:logistics_hub_dashboard")
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    client.force_login(django_user_model.objects.create_user(username="buyer", password="pw-buyer-2026"))
    signed_in = client.get(url)
    assert signed_in.status_code == 302 and "/admin/login/" in signed_in["Location"]


def test_hub_dashboard_is_linked_from_the_admin_index_and_hub_list(admin_client, seeded_network):
    url = reverse("admin:logistics_hub_dashboard")
    assert url in admin_client.get(reverse("admin:index")).content.decode()
    assert url in admin_client.get(reverse("admin:logistics_hub_changelist")).content.decode()


def test_shipment_admin_filters_by_hub_at_hub_late_and_status(admin_client, scarf, buyer_be, settings):
    arrived, on_the_way = parcels_at_hgh(scarf, buyer_be, settings)
    late = arrived[0]
    Shipment.objects.filter(pk=late.pk).update(eta=F("promised_delivery") + timedelta(days=2))
    url = reverse("admin:logistics_shipment_changelist")

    def listed(**query) -> set[str]:
        response = admin_client.get(url, query)
        assert response.status_code == 200
        return {shipment.tracking_number for shipment in response.context["cl"].result_list}

    everyone = {shipment.tracking_number for shipment in [*arrived, on_the_way]}
    assert listed(hub="HGH") == everyone  # every route here starts at HGH
    assert listed(hub="LGG") == everyone  # … and ends at Liège
    assert listed(hub="KGL") == set()
    assert listed(at_hub="HGH") == {shipment.tracking_number for shipment in arrived}
    assert listed(at_hub="LGG") == set()
    assert listed(late="yes") == {late.tracking_number}
    assert listed(late="no") == everyone - {late.tracking_number}
    assert listed(status__exact="in_transit", hub="HGH", late="yes") == {late.tracking_number}
    assert listed(status__exact="delivered") == set()


def test_shipment_admin_shows_legs_and_events_inline(admin_client, scarf, buyer_be, settings):
    arrived, _ = parcels_at_hgh(scarf, buyer_be, settings, count=1)
    response = admin_client.get(reverse("admin:logistics_shipment_change", args=[arrived[0].pk]))
    assert response.status_code == 200
    inlines = {inline.formset.model.__name__: inline for inline in response.context["inline_admin_formsets"]}
    assert set(inlines) == {"ShipmentLeg", "TrackingEvent"}
    assert len(inlines["ShipmentLeg"].formset.forms) == 3
    assert "hub_arrival" in response.content.decode()


def test_a_lane_parcels_still_travel_cannot_be_deleted_only_closed(admin_client, scarf, buyer_be):
    """Guards `lane_delete`'s refusal and `LaneAdmin.get_deleted_objects`: deleting the HGH → LGG
    lane under parcels booked on it would strand them (legs pointing nowhere, no re-routing)."""
    (parcel,) = in_transit(scarf, buyer_be, 1)
    lane = parcel.legs.get(kind="line_haul").lane
    url = reverse("admin:logistics_lane_delete", args=[lane.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and page.context["protected"]
    assert parcel.tracking_number in page.content.decode()
    assert "Close the lane instead" in page.content.decode()
    admin_client.post(url, {"post": "yes"})
    assert Lane.objects.filter(pk=lane.pk).exists()
    changelist = reverse("admin:logistics_lane_changelist")
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [lane.pk], "post": "yes"})
    assert Lane.objects.filter(pk=lane.pk).exists()
    with pytest.raises(DomainError, match="1 parcel still has to travel on it"):
        lane_delete(lanes=Lane.objects.filter(pk=lane.pk))

    # Once the parcel has left on it, the lane can go (the leg keeps its times, its lane is cleared).
    parcel.legs.filter(lane=lane).update(actual_departure=timezone.now())
    assert lane_delete(lanes=Lane.objects.filter(pk=lane.pk)) >= 1
    assert not Lane.objects.filter(pk=lane.pk).exists()
    assert parcel.legs.get(kind="line_haul").lane is None
