import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from ewtp.money import Money
from logistics.models import Hub
from logistics.routing.model import Leg, LegKind, Mode, Preference, Quote, Route
from logistics.selectors.quotes import quote_cards
from marketplace.pricing.fx import Rates
from marketplace.selectors.fx import rates_in_force

pytestmark = pytest.mark.django_db


def test_network_page_shows_map_and_hubs_to_everyone(client, seeded_network):
    response = client.get(reverse("network"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<g class="hub ') == 18
    assert "Kigali e-Hub" in page and "Burundi" in page  # hubs with the countries they serve
    assert 'name="origin_country"' in page and 'name="weight_kg"' in page
    assert reverse("network") in page  # linked from the site header


def test_network_page_quotes_a_parcel_with_its_legs(client, seeded_network):
    response = client.get(
        reverse("network"),
        {"origin_country": "CN", "destination_country": "RW", "weight_kg": "2", "preference": "cheapest"},
    )
    quote = response.context["quote"]
    assert quote.route.hubs == ("SZX", "ADD", "KGL")
    page = response.content.decode()
    assert "USD 18.00" in page
    assert page.count("Line haul") >= 2


def test_network_page_explains_an_unserved_destination(client, seeded_network):
    response = client.get(
        reverse("network"), {"origin_country": "CN", "destination_country": "MX", "weight_kg": "2"}
    )
    assert response.context["quote"] is None
    assert "No e-hub serves Mexico yet" in response.content.decode()


def test_network_page_refuses_an_absurd_weight(client, seeded_network):
    response = client.get(
        reverse("network"), {"origin_country": "CN", "destination_country": "RW", "weight_kg": "5000"}
    )
    assert response.context["form"].errors["weight_kg"] == [
        "A parcel weighs at most 1,000 kg; book heavier consignments as freight."
    ]


# --- The quote as summary cards (issue 10) ---------------------------------------------------------


def _quote(client, origin, destination, preference, **headers):
    params = {"origin_country": origin, "destination_country": destination, "weight_kg": "2"}
    return client.get(reverse("network"), {**params, "preference": preference}, **headers)


def test_network_quote_is_a_summary_card_in_the_visitors_currency(client, trade_data):
    response = _quote(client, "CN", "RW", "cheapest", HTTP_ACCEPT_LANGUAGE="en-KE")  # a visitor in Kenya
    page = response.content.decode()
    best = response.context["cards"][0]
    route = response.context["quote"].route
    expected = rates_in_force().convert(Money(route.cost, "USD"), "KES")
    assert best.total == expected and best.total.currency == "KES"
    assert f"<strong>{expected.format('en')}</strong>" in page
    hubs = {hub.code: hub for hub in Hub.objects.filter(code__in=route.hubs)}
    assert route.hubs == ("SZX", "ADD", "KGL")
    assert " → ".join(hubs[code].city for code in route.hubs) == "Shenzhen → Addis Ababa → Kigali"
    assert '<p class="route-cities">Shenzhen → Addis Ababa → Kigali</p>' in page
    kigali = ZoneInfo(hubs["KGL"].timezone)
    arrives = route.estimated_delivery.astimezone(kigali)
    days = (arrives.date() - timezone.now().astimezone(kigali).date()).days
    assert f"Arrives {dateformat.format(arrives, 'D j M')} — in {days} days" in page
    # Legs folded away: every card has its legs inside <details>.
    cards = response.context["cards"]
    assert page.count('<details class="legs">') == len(cards) >= 2
    assert page.index("<details") < page.index("Line haul")
    # The best route on the map: its three hubs and the two lanes between them.
    assert re.findall(r'<g class="hub [^"]*on-route" data-code="([A-Z]{3})"', page) == ["ADD", "KGL", "SZX"]
    assert len(re.findall(r'<path class="lane [^"]*on-route"', page)) == 2


def test_network_quote_labels_alternatives_by_what_they_trade(client, trade_data):
    for preference in ("cheapest", "balanced", "fastest"):
        response = _quote(client, "TH", "RW", preference)
        best, *alternatives = response.context["cards"]
        assert alternatives
        page = response.content.decode()
        for card in alternatives:
            sooner = card.route.estimated_delivery < best.route.estimated_delivery
            cheaper = card.route.cost < best.route.cost
            expected = {(True, True): "Faster and cheaper", (True, False): "Faster", (False, True): "Cheaper"}
            assert card.label == expected.get((sooner, cheaper), "Another route")
            assert f'trade-{card.kind}">{card.label}</span>' in page


def test_quote_cards_say_what_an_alternative_trades():
    t0 = datetime(2026, 12, 1, 8, tzinfo=UTC)

    def route(cost: str, days: int) -> Route:
        leg = Leg(
            LegKind.FIRST_MILE,
            None,
            "HGH",
            Mode.ROAD,
            t0,
            t0 + timedelta(days=days),
            Decimal(cost),
            Decimal(2),
        )
        return Route((leg,), Decimal(cost), Decimal(2), t0, t0 + timedelta(days=days))

    hubs = {"HGH": Hub(code="HGH", city="Hangzhou", timezone="Asia/Shanghai")}
    quote = Quote(request=None, route=route("20", 6), alternatives=(route("26", 4), route("15", 9)))
    rates = Rates(per_usd={"USD": Decimal(1), "EUR": Decimal("0.5")})
    best, faster, cheaper = quote_cards(
        quote, preference=Preference.BALANCED, currency="EUR", rates=rates, hubs=hubs, now=t0
    )
    assert (best.total, best.days, best.cities) == (Money(Decimal("10.00"), "EUR"), 6, ["Hangzhou"])
    assert (faster.kind, faster.days_sooner, faster.cost_more) == ("faster", 2, Money(Decimal("3.00"), "EUR"))
    assert (cheaper.kind, cheaper.days_later, cheaper.cost_less) == (
        "cheaper",
        3,
        Money(Decimal("2.50"), "EUR"),
    )
    assert best.label == "Best balance of cost and time"
