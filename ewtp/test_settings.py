"""Settings for the test suite: the real PostgreSQL and Redis of this machine.

`DATABASE_URL`/`REDIS_URL` still win when set, so CI or a developer can point elsewhere.
"""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ewtp")


def _redis_db(url: str, shift: int) -> str:
    base, db = url.rsplit("/", 1)
    return f"{base}/{int(db) + shift}"


# pytest-xdist runs the suite in several worker processes (gw0, gw1, …): pytest-django gives each
# its own database (`test_ewtp_gw0`…), and here each gets its own Redis databases — the broker on
# 1, 3, 5…, the cache on 2, 4, 6… — so one worker's Celery processes never take another's jobs.
# Shifted once per worker: the worker and relay processes a test starts inherit the shifted values
# (and the worker's name), while xdist's workers inherit the unshifted ones from the controller.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
if os.environ.get("EWTP_TEST_REDIS_FOR") != _worker:
    _shift = 2 * int(_worker[2:]) if _worker.startswith("gw") and _worker[2:].isdigit() else 0
    _broker = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1")
    _cache = os.environ.get("REDIS_CACHE_URL", _redis_db(_broker, 1))
    os.environ["REDIS_CACHE_URL"] = _redis_db(_cache, _shift)
    os.environ["REDIS_URL"] = _redis_db(_broker, _shift)
    os.environ["EWTP_TEST_REDIS_FOR"] = _worker
os.environ.setdefault("CACHE_KEY_PREFIX", "ewtp-test")

from ewtp.settings import *  # noqa: E402,F403
from ewtp.settings import BASE_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In-process tests read `mail.outbox`; a worker subprocess may be told to write files instead.
EMAIL_BACKEND = os.environ.get("EWTP_TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
