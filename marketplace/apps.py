from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from ewtp import seeding
        from marketplace.demo.catalog import seed_marketplace
        from marketplace.demo.rates import seed_exchange_rates

        # Caches move with `ewtp.versions`, bumped by the services (no model signals).
        seeding.register("exchange-rates", seed_exchange_rates, order=5)
        seeding.register("marketplace", seed_marketplace, order=10)
