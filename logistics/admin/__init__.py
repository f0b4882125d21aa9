"""Django admin for operators; edits go through the services."""

from logistics.admin import carriers, network, shipments  # noqa: F401  (registers the ModelAdmins)
