"""Django admin for operators, one module per domain; edits go through the services."""

from marketplace.admin import accounts, badges, catalog, customs, declarations, fx, orders, payouts, shops  # noqa: F401  (registers the ModelAdmins)
