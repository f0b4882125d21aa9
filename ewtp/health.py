"""`GET /healthz`: is the database reachable, is the broker reachable."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return False, exc.__class__.__name__
    return True, "ok"


def broker_ok() -> tuple[bool, str]:
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2, transport_options=options) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:  # any transport error means "down"
        return False, exc.__class__.__name__
    return True, "ok"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    db_up, db_info = database_ok()
    broker_up, broker_info = broker_ok()
    down = [name for name, up in (("database", db_up), ("broker", broker_up)) if not up]
    body = {
        "status": "ok" if not down else "unavailable",
        "database": {"ok": db_up, "info": db_info},
        "broker": {"ok": broker_up, "info": broker_info},
    }
    if down:
        body["down"] = down
    return JsonResponse(body, status=503 if down else 200)
