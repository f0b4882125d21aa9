from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = _("Logistics")

    def ready(self) -> None:
        from ewtp import seeding
        from logistics.demo.network import seed_network
        from logistics.demo.parcels import seed_parcels
        from logistics.integration import receivers
        from logistics.integration.parcels import ShipmentParcels
        from logistics.integration.shipping import NetworkShipping
        from logistics.selectors.shipments import shipment_notices_for_consignments
        from marketplace import ports

        # The cached planner follows `ewtp.versions.NETWORK`, moved by the services (no signals).
        receivers.connect()
        seeding.register("logistics", seed_network, order=50)
        # After the shops and the network: demo orders already in flight.
        seeding.register("parcels", seed_parcels, order=60)
        ports.register_shipping(NetworkShipping())
        ports.register_parcels(ShipmentParcels())
        ports.register_parcel_notices(shipment_notices_for_consignments)
