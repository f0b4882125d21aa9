from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from ewtp import seeding
        from marketplace.seed import seed_marketplace

        seeding.register("marketplace", seed_marketplace, order=10)
