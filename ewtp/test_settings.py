"""Settings for the test suite: the real PostgreSQL and Redis of this machine.

`DATABASE_URL`/`REDIS_URL` still win when set, so CI or a developer can point elsewhere.
"""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ewtp")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
os.environ.setdefault("REDIS_CACHE_URL", os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/2")
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
