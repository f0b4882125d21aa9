"""The database drops the app's connections (a PostgreSQL restart, `pg_terminate_backend`): the next
request through real gunicorn answers as usual, the token lookup included (its cursor skipped
Django's connection health check and answered 500)."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from tests.checkout.test_lifecycle import place
from tests.faults.conftest import admin_session, running_gunicorn

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def terminate_other_backends() -> int:
    """Every connection to the test database but this one's own (gunicorn's, here)."""
    from django.db import connection

    own = connection.connection.info.backend_pid if connection.connection else None
    with admin_session() as session:
        rows = session.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid IS DISTINCT FROM %s",
            [own],
        ).fetchall()
    return len(rows)


def test_after_the_database_drops_the_connections_the_next_requests_answer(scarf, buyer_be):
    order = place(buyer_be, (scarf, 1))
    token = Token.objects.create(user=buyer_be).key
    with running_gunicorn() as server, server.client(token) as client:
        assert client.get("/api/v1/orders/").status_code == 200  # gunicorn's connection is open
        assert client.get("/").status_code == 200
        assert terminate_other_backends() >= 1
        assert client.get(f"/api/v1/orders/{order.pk}/").status_code == 200  # the token's lookup first
        assert terminate_other_backends() >= 1
        assert client.get("/").status_code == 200
        assert client.post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 200
