from decimal import Decimal

import factory

from ewtp import versions
from logistics.models import Hub, Lane


class NetworkRowFactory(factory.django.DjangoModelFactory):
    """Writes rows directly, standing in for the services: moves the network version (at once —
    a test's transaction never commits)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        instance = super()._create(model_class, *args, **kwargs)
        versions.bump(versions.NETWORK)
        return instance


class HubFactory(NetworkRowFactory):
    class Meta:
        model = Hub
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{chr(65 + n // 676 % 26)}{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name = factory.LazyAttribute(lambda hub: f"{hub.code} hub")
    city = "Testville"
    country = "KE"
    latitude = Decimal("-1.3")
    longitude = Decimal("36.9")
    timezone = "Africa/Nairobi"
    serves_countries = ["KE"]


class LaneFactory(NetworkRowFactory):
    class Meta:
        model = Lane

    origin = factory.SubFactory(HubFactory)
    destination = factory.SubFactory(HubFactory)
    mode = "air"
    departure_weekdays = [0, 1, 2, 3, 4, 5, 6]
    departure_times = ["22:00"]
    cutoff_hours = 4
    transit_hours = 24
    cost_per_kg_amount = Decimal("2.0000")
    min_charge_amount = Decimal("5.00")
    capacity_kg_per_departure = 1000
