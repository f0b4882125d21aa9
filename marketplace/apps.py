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

        seeding.register("exchange-rates", seed_exchange_rates, order=5)
        seeding.register("customs", seed_customs, order=6)
        self._watch_catalog()
        self._merge_carts_on_login()
        seeding.register("marketplace", seed_marketplace, order=10)

    def _merge_carts_on_login(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from marketplace.views.checkout import merge_cart_on_login

        user_logged_in.connect(merge_cart_on_login, dispatch_uid="marketplace-merge-cart-on-login")

    def _watch_catalog(self) -> None:
        """Any committed change to what catalog pages show moves the catalog cache version."""
        from django.db.models.signals import post_delete, post_save

        from marketplace.cache import catalog_changed

        for name in ("Listing", "ListingImage", "Shop", "Category", "ExchangeRate"):
            model = self.get_model(name)
            post_save.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-save-{name}")
            post_delete.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-delete-{name}")
