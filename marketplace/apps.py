from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from ewtp import seeding
        from marketplace.demo.catalog import seed_marketplace
        from marketplace.demo.customs import seed_customs
        from marketplace.demo.rates import seed_exchange_rates

        # Caches move with `ewtp.versions`, bumped by the services (no model signals).
        seeding.register("exchange-rates", seed_exchange_rates, order=5)
        seeding.register("customs", seed_customs, order=6)
        self._merge_carts_on_login()
        seeding.register("marketplace", seed_marketplace, order=10)

    def _merge_carts_on_login(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from marketplace.receivers import merge_cart_on_login

        user_logged_in.connect(merge_cart_on_login, dispatch_uid="marketplace-merge-cart-on-login")
