"""Django admin for operators; edits go through the services."""

from logistics.admin import network, shipments  # noqa: F401  (registers the ModelAdmins)
