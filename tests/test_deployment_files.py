"""docker-compose cannot run on this machine; check its shape so it stays correct."""

from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_compose_declares_every_service_with_the_right_commands():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "relay"} <= set(services)
    assert services["relay"]["command"] == "python manage.py relay_outbox"
    assert services["web"]["command"].startswith("gunicorn ewtp.wsgi:application")
    assert "celery -A ewtp worker" in services["worker"]["command"]
    assert "-Q default,routing" in services["worker"]["command"]
    assert "celery -A ewtp beat" in services["beat"]["command"]
    env = services["web"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith("redis://")
    # The cache may evict under memory pressure; the broker's Redis must not, so they are apart.
    assert env["REDIS_CACHE_URL"].startswith("redis://cache:")
    assert "allkeys-lru" in services["cache"]["command"]


def test_compose_never_creates_demo_users_and_needs_a_secret_key():
    text = (ROOT / "docker-compose.yml").read_text()
    compose = yaml.safe_load(text)
    # seed_demo makes accounts with the README's password only in DEBUG; compose runs DEBUG off
    assert compose["services"]["migrate"]["environment"]["DEBUG"] == "${DEBUG:-0}"
    assert "python manage.py seed_demo" in compose["services"]["migrate"]["command"]
    # No fallback secret: a missing SECRET_KEY stops `docker compose up` with this message.
    secret = compose["services"]["web"]["environment"]["SECRET_KEY"]
    assert secret.startswith("${SECRET_KEY:?") and "must be set" in secret
    for name in ("web", "worker", "beat", "migrate", "relay"):
        assert compose["services"][name]["environment"]["SECRET_KEY"] == secret
    # A proxy's forwarded headers are believed only when said so.
    assert compose["services"]["web"]["environment"]["EWTP_BEHIND_PROXY"] == "${EWTP_BEHIND_PROXY:-0}"


def test_static_files_are_served_by_whitenoise():
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
    assert "manage.py collectstatic --noinput" in (ROOT / "Dockerfile").read_text()


def test_every_gunicorn_start_reads_the_config_that_decides_whom_to_believe():
    """gunicorn's own default believes X-Forwarded-Proto from 127.0.0.1, whatever EWTP_BEHIND_PROXY
    says; every start passes `-c python:ewtp.gunicorn_conf`."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "-c python:ewtp.gunicorn_conf" in compose["services"]["web"]["command"]
    assert '"-c", "python:ewtp.gunicorn_conf"' in (ROOT / "Dockerfile").read_text()
    assert "-c python:ewtp.gunicorn_conf" in (ROOT / "bin" / "serve").read_text()


def test_gunicorn_believes_forwarded_headers_only_behind_a_proxy(monkeypatch):
    import importlib

    import ewtp.gunicorn_conf as conf

    monkeypatch.delenv("EWTP_BEHIND_PROXY", raising=False)
    importlib.reload(conf)
    assert conf.forwarded_allow_ips == "" and conf.secure_scheme_headers == {}
    monkeypatch.setenv("EWTP_BEHIND_PROXY", "1")
    importlib.reload(conf)
    assert conf.forwarded_allow_ips == "*"
    monkeypatch.delenv("EWTP_BEHIND_PROXY")
    importlib.reload(conf)
