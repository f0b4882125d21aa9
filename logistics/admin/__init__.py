"""Django admin for operators; edits go through the services."""

from logistics.admin import network  # noqa: F401  (registers the ModelAdmins)
