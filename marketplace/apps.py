from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from ewtp import seeding
        from marketplace.seed import seed_marketplace
        from marketplace.seed_rates import seed_exchange_rates

        seeding.register("exchange-rates", seed_exchange_rates, order=5)
        seeding.register("marketplace", seed_marketplace, order=10)
