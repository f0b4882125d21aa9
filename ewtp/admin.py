"""The admin's one way to write: through the apps' services, never the default `obj.save()` or
`queryset.delete()` — the services validate, lock, write event rows and move cache versions (an
admin delete that skipped them once kept a deleted import rule applying for an hour)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet


class WritesThroughServices:
    """ModelAdmin mixin. Set `save_service` (called with the instance) and `delete_service`
    (called with a queryset: one row from its delete page, a selection from the bulk action)."""

    save_service: Callable[[Any], Any]
    delete_service: Callable[[QuerySet], Any]

    def save_model(self, request, obj: Model, form, change) -> None:
        type(self).save_service(obj)

    def delete_model(self, request, obj: Model) -> None:
        type(self).delete_service(type(obj)._default_manager.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset: QuerySet) -> None:
        type(self).delete_service(queryset)
