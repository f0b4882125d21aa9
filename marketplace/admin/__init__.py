"""Django admin for operators, one module per domain; edits go through the services."""

from marketplace.admin import (  # noqa: F401  (registers the ModelAdmins)
    accounts,
    badges,
    catalog,
    customs,
    declarations,
    fx,
    orders,
    payouts,
    shops,
    webhooks,
)
