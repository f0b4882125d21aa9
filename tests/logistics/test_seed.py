import pytest

from ewtp import seeding
from logistics.demo.network import seed_network
from logistics.models import CountryLeg, Hub, HubStatus, Lane
from logistics.selectors.network import network_version_key
from logistics.services.network import hub_suspend

pytestmark = pytest.mark.django_db


def test_seed_network_is_registered_with_the_demo_seeders():
    assert ("logistics", seed_network) in seeding.seeders()


def test_seed_network_creates_the_demo_network(seeded_network):
    assert Hub.objects.count() == 18
    assert Lane.objects.count() == 64
    kul_bkk = Lane.objects.filter(origin__code="KUL", destination__code="BKK")
    assert sorted(kul_bkk.values_list("mode", flat=True)) == ["air", "road"]
    hgh_lgg = Lane.objects.get(origin__code="HGH", destination__code="LGG")
    assert (hgh_lgg.departure_weekdays, hgh_lgg.departure_times) == ([1, 4], ["22:00"])
    add_nbo = Lane.objects.get(origin__code="ADD", destination__code="NBO")
    assert add_nbo.departures_per_week == 14
    szx = Hub.objects.get(code="SZX")
    assert sorted(c.code for c in szx.serves_countries) == ["CN", "HK", "MO"]
    assert CountryLeg.objects.get(country="RW", kind="last_mile").hours == 24
    assert CountryLeg.objects.get(country="BI", kind="last_mile").hours == 72


def test_seed_network_twice_changes_nothing(seeded_network):
    version = network_version_key()
    log = []
    seed_network(log.append)
    assert network_version_key() == version
    assert log == [
        "logistics: 9 carriers unchanged, 132 first/last-mile services unchanged, 18 hubs unchanged, "
        "64 lanes unchanged"
    ]


def test_seed_network_keeps_an_operators_suspension(seeded_network):
    hub_suspend(hub=Hub.objects.get(code="ADD"), reason="runway works")
    seed_network(lambda message: None)
    assert Hub.objects.get(code="ADD").status == HubStatus.SUSPENDED
