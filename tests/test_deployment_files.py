"""docker-compose cannot run on this machine; check its shape so it stays correct."""

from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_compose_declares_every_service_with_the_right_commands():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert services["web"]["command"].startswith("gunicorn ewtp.wsgi:application")
    assert "celery -A ewtp worker" in services["worker"]["command"]
    assert "-Q default,routing" in services["worker"]["command"]
    assert "celery -A ewtp beat" in services["beat"]["command"]
    env = services["web"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith("redis://")
    # The cache may evict under memory pressure; the broker's Redis must not, so they are apart.
    assert env["REDIS_CACHE_URL"].startswith("redis://cache:")
    assert "allkeys-lru" in services["cache"]["command"]


def test_static_files_are_served_by_whitenoise():
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
    assert "manage.py collectstatic --noinput" in (ROOT / "Dockerfile").read_text()
