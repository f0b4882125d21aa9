"""Settings come from the environment: zero configuration means SQLite + filesystem broker;
DATABASE_URL / REDIS_URL switch to PostgreSQL and Redis; production refuses to start unsafely."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json, ewtp.settings as s; print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
    "'db': s.DATABASES['default']['NAME'], 'broker': s.CELERY_BROKER_URL, "
    "'cache': s.CACHES['default']['BACKEND'], 'conn_max_age': s.DATABASES['default']['CONN_MAX_AGE']}))"
)


def settings_with(tmp_path, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL"}}
    base.update({"EWTP_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )


def test_zero_configuration_is_sqlite_and_the_filesystem_broker(tmp_path):
    result = settings_with(tmp_path, DEBUG="1")
    config = json.loads(result.stdout)
    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["db"] == str(tmp_path / "ewtp.sqlite3")
    assert config["broker"] == "filesystem://"
    assert config["cache"].endswith("FileBasedCache")


def test_database_and_redis_urls_switch_to_postgres_and_redis(tmp_path):
    result = settings_with(
        tmp_path,
        DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/ewtp",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    config = json.loads(result.stdout)
    assert config["engine"] == "django.db.backends.postgresql"
    assert config["broker"] == "redis://127.0.0.1:6379/0"
    assert config["cache"].endswith("RedisCache")
    assert config["conn_max_age"] > 0  # persistent connections


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = settings_with(tmp_path, DEBUG="0", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_demo_accounts_exist_only_in_debug(tmp_path):
    """seed_demo's accounts with the README's password: never with DEBUG off, whatever else is set."""
    probe = "import ewtp.settings as s; print(s.EWTP_DEMO_ACCOUNTS)"

    def demo_accounts(**env) -> str:
        base = {
            k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL"}
        }
        base.update({"EWTP_DATA_DIR": str(tmp_path), **env})
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", probe], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
        )
        return result.stdout.strip()

    assert demo_accounts(DEBUG="1") == "True"
    assert demo_accounts(DEBUG="0", SECRET_KEY="x" * 50, EWTP_DEMO_ACCOUNTS="1") == "False"


def test_importing_the_settings_creates_no_folder(tmp_path):
    """Issue 7: settings have no side effects at import; the commands that need folders make them."""
    data_dir = tmp_path / "not-yet"
    result = settings_with(data_dir, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert not data_dir.exists()


def test_each_test_worker_has_redis_databases_of_its_own():
    """pytest-xdist's workers (gw0, gw1, …) each use two Redis databases of their own: the broker
    on 1, 3, 5…, the cache on the next one (ewtp/test_settings.py)."""
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    broker = int(settings.CELERY_BROKER_URL.rsplit("/", 1)[1])
    cache = int(settings.CACHES["default"]["LOCATION"].rsplit("/", 1)[1])
    assert cache == broker + 1
    assert broker >= 1 + 2 * int(worker[2:])  # shifted past the workers before it
