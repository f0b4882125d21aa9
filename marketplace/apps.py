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

        # Caches move with `ewtp.versions`, bumped by the services (no model signals but the token cache's).
        seeding.register("exchange-rates", seed_exchange_rates, order=5)
        seeding.register("customs", seed_customs, order=6)
        self._merge_carts_on_login()
        self._forget_cached_tokens()
        seeding.register("marketplace", seed_marketplace, order=10)

    def _merge_carts_on_login(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from marketplace.receivers import merge_cart_on_login

        user_logged_in.connect(merge_cart_on_login, dispatch_uid="marketplace-merge-cart-on-login")

    def _forget_cached_tokens(self) -> None:
        """The API token cache (marketplace.services.tokens) hears of every delete and user change,
        whoever makes it — services, the admin, a shell: the one place model signals are used."""
        from django.db.models.signals import post_delete, post_save
        from rest_framework.authtoken.models import Token

        from marketplace.models import User
        from marketplace.receivers import forget_changed_user_tokens, forget_deleted_token

        post_delete.connect(forget_deleted_token, sender=Token, dispatch_uid="forget-deleted-token")
        post_save.connect(forget_changed_user_tokens, sender=User, dispatch_uid="forget-user-tokens")
