"""eWTP settings, read from the environment (12-factor).

With no configuration at all the project runs on an embedded SQLite database and
kombu's filesystem broker, so `make run` works on a machine that has only Python.
Set `DATABASE_URL` and `REDIS_URL` to use PostgreSQL and Redis.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from redis.backoff import NoBackoff
from redis.retry import Retry

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Where embedded state lives when no services are configured (SQLite, broker folders, media).
DATA_DIR = Path(os.environ.get("EWTP_DATA_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production-ewtp"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "axes",
    "csp",
    "ewtp.apps.EwtpConfig",
    "marketplace",
    "logistics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages and (in the demo, where WhiteNoise serves them as they are) static files compressed for
    # a phone on a slow link; Django's gzip pads each answer at random against BREACH. Files
    # WhiteNoise already serves compressed (production) pass through untouched.
    "django.middleware.gzip.GZipMiddleware",
    # Oversized bodies are refused before anything reads them (ewtp/middleware.py).
    "ewtp.middleware.RequestBodyLimitMiddleware",
    "ewtp.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After a successful login, the signed device cookie (ewtp/lockout.py).
    "ewtp.lockout.DeviceCookieMiddleware",
    # Last, so it sees the login views' answers first and turns them into the lock-out answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ewtp.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "marketplace.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "ewtp.wsgi.application"

# --- Database ---------------------------------------------------------------
# Persistent connections: measured ~3,200 req/s with reuse vs ~460 req/s without.
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "600"))
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'ewtp.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A search that finds nothing as written looks for titles with a similar word (pg_trgm's
    # `%>`, index-backed): 0.4 catches "braclet" for bracelet (0.55) and "cotonn" (0.44); the
    # default 0.6 caught neither. Set per connection, before the extension reads it.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c pg_trgm.word_similarity_threshold=0.4".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; WAL and a busy timeout let the worker and web share it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "marketplace.User"

# --- Broker and cache -------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
BROKER_DIR = DATA_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # A message taken by a worker that dies unacknowledged (acks_late) goes back to the queue after
    # this many seconds. Longer than any task runs; no task waits on the broker with a countdown.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ.get("EWTP_BROKER_VISIBILITY_TIMEOUT", "3600")),
        "socket_connect_timeout": 5,
        "socket_timeout": 10,
    }
    CACHES = {
        "default": {
            "BACKEND": "ewtp.redis_cache.RedisCache",
            "LOCATION": os.environ.get("REDIS_CACHE_URL", REDIS_URL),
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ewtp"),
            # A cache that does not answer must fail fast: every user of it falls back. No retries
            # (redis-py's default makes 3 with backoff, ~4 s a call while Redis is down).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2, "retry": Retry(NoBackoff(), 0)},
        }
    }
else:
    # Embedded broker: real worker processes exchanging messages through folders.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # Folders are polled: 0.2 s keeps jobs prompt and lets a worker notice Ctrl-C quickly.
        "polling_interval": 0.2,
    }
    # The folders are made by the commands that use them (bin/run-demo), never at import.
    CELERY_RESULT_BACKEND = f"file://{BROKER_DIR / 'results'}"
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

# Sessions read from the cache first (Redis in production), the database behind it; cookies that
# cannot be session keys are refused before any lookup, and a cache outage falls back to the
# database (ewtp/sessions.py).
SESSION_ENGINE = "ewtp.sessions"
# Catalog answers cached under the catalog version (marketplace.cache); 0 turns it off.
EWTP_CATALOG_CACHE_SECONDS = int(os.environ.get("EWTP_CATALOG_CACHE_SECONDS", "3600"))
# Rendered listing cards, keyed by their own content (never stale); 0 turns it off.
EWTP_CARD_CACHE_SECONDS = int(os.environ.get("EWTP_CARD_CACHE_SECONDS", "86400"))

CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"logistics.route_*": {"queue": "routing"}}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Auth -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The lock-out backend goes first: it refuses a locked-out client before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Proxy and client address ----------------------------------------------
# Only behind a reverse proxy that sets them are X-Forwarded-Proto and X-Forwarded-For believed;
# otherwise any client could claim HTTPS or another address (ewtp/security.py).
EWTP_BEHIND_PROXY = env_bool("EWTP_BEHIND_PROXY", False)
# How many proxies append to X-Forwarded-For: the client is that many entries from the right.
EWTP_PROXY_COUNT = max(1, int(os.environ.get("EWTP_PROXY_COUNT", "1")))
if EWTP_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Login lock-out (django-axes, kept in the database so it holds when Redis is down) -------
# After EWTP_LOGIN_FAILURE_LIMIT failures for one account, or from one client address, further
# logins (the right password included) are refused for EWTP_LOGIN_LOCKOUT_MINUTES; every failed
# try during the lock-out starts the wait again. Token API, web login and admin login alike.
AXES_ENABLED = True
# What is counted (ewtp/lockout.py): failures per (account, address) pair lock that pair; an
# address failing for many accounts (a spray) is locked whole; an account failing from many
# addresses is locked at a much higher limit, except in browsers it logged in from before.
AXES_HANDLER = "ewtp.lockout.LoginLockoutHandler"
AXES_FAILURE_LIMIT = max(1, int(os.environ.get("EWTP_LOGIN_FAILURE_LIMIT", "10")))
AXES_COOLOFF_TIME = timedelta(minutes=max(1, int(os.environ.get("EWTP_LOGIN_LOCKOUT_MINUTES", "15"))))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # the pair
EWTP_LOGIN_SPRAY_ACCOUNTS = max(2, int(os.environ.get("EWTP_LOGIN_SPRAY_ACCOUNTS", "5")))
EWTP_LOGIN_ACCOUNT_LIMIT = max(AXES_FAILURE_LIMIT, int(os.environ.get("EWTP_LOGIN_ACCOUNT_LIMIT", "100")))
# A login resets its own pair's failures only (the pair is the lock-out parameter).
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "ewtp.security.client_ip"
AXES_USERNAME_CALLABLE = "ewtp.lockout.attempted_username"
AXES_LOCKOUT_CALLABLE = "ewtp.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not recorded; failures are
AXES_VERBOSE = False

# --- i18n / time ------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("fr", _("French")),
    ("sw", _("Swahili")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Badge evidence: outside MEDIA_ROOT, no URL (`ewtp.storage.PrivateStorage`).
PRIVATE_ROOT = Path(os.environ.get("EWTP_PRIVATE_ROOT", DATA_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded media: served by Django when no front server does it (demo, small deployments).
EWTP_SERVE_MEDIA = env_bool("EWTP_SERVE_MEDIA", True)
# Listing images: refused above these limits.
EWTP_MAX_IMAGE_BYTES = 5 * 1024 * 1024
EWTP_MAX_IMAGE_PIXELS = 4000
EWTP_MAX_IMAGES_PER_LISTING = 5
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# Request bodies, refused with 413 before parsing (ewtp/middleware.py): JSON and forms, and
# multipart (image uploads: up to five 5 MB images plus the form's fields).
EWTP_MAX_BODY_BYTES = int(os.environ.get("EWTP_MAX_BODY_BYTES", str(1024 * 1024)))
EWTP_MAX_UPLOAD_BODY_BYTES = int(os.environ.get("EWTP_MAX_UPLOAD_BODY_BYTES", str(32 * 1024 * 1024)))
# JSON deeper than this is refused with 400 (ewtp/parsers.py).
EWTP_MAX_JSON_DEPTH = 32

# --- Email ------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "eWTP <no-reply@ewtp.localhost>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# Demo accounts with the README's password: only ever in DEBUG (never in a production-like start).
EWTP_DEMO_ACCOUNTS = DEBUG and env_bool("EWTP_DEMO_ACCOUNTS", True)

# Absolute links in e-mails.
EWTP_SITE_URL = os.environ.get("EWTP_SITE_URL", "http://127.0.0.1:8000")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))

# --- Orders, payments, escrow, payouts, beat, routing, the simulated e-hubs --
from ewtp.settings_trade import *  # noqa: E402, F403  (the trade's own knobs, one module of one idea)

# --- API --------------------------------------------------------------------
# Throttles (ewtp/throttles.py): per client address for anonymous clients, per account once
# authenticated, and tighter scopes for the route planner and for registration.
# EWTP_THROTTLES=off turns them off (load tests, benchmarks); never the login lock-out.
EWTP_THROTTLES = os.environ.get("EWTP_THROTTLES", "on").strip().lower() not in {"off", "0", "false", "no"}
EWTP_THROTTLE_RATES = {
    "anon": os.environ.get("EWTP_THROTTLE_ANON", "600/minute"),
    "user": os.environ.get("EWTP_THROTTLE_USER", "1200/minute"),
    "quotes": os.environ.get("EWTP_THROTTLE_QUOTES", "60/minute"),
    "register": os.environ.get("EWTP_THROTTLE_REGISTER", "20/minute"),
    # Tracking-number lookups per client address: every API lookup, unknown numbers on the page.
    "tracking": os.environ.get("EWTP_THROTTLE_TRACKING", "60/minute"),
}
# API tokens expire this long after they were issued (ewtp/authentication.py).
EWTP_TOKEN_TTL_HOURS = int(os.environ.get("EWTP_TOKEN_TTL_HOURS", "720"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ewtp.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_THROTTLE_CLASSES": [
        "ewtp.throttles.AnonThrottle",
        "ewtp.throttles.UserThrottle",
        "ewtp.throttles.ScopedThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": EWTP_THROTTLE_RATES,
    "DEFAULT_PAGINATION_CLASS": "ewtp.api.Pagination",
    "PAGE_SIZE": 24,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON bodies only; the image upload view takes multipart itself. The web pages use Django forms.
    # JSON only (bounded depth, RecursionError → 400); the image upload view takes multipart itself.
    "DEFAULT_PARSER_CLASSES": ["ewtp.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "ewtp.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "eWTP API",
    "DESCRIPTION": "Electronic World Trade Platform: shops, listings, catalog and e-hub logistics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,  # request components apart (PatchedXRequest has no defaults)
    "COMPONENT_NO_READ_ONLY_REQUIRED": False,  # read-only fields are always in answers: required
    # Swagger UI assets come from the sidecar package: the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"CountryEnum": "django_countries.countries"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ewtp.api.add_error_responses",
        "ewtp.api.no_defaults_on_patch",
        "ewtp.api.empty_query_values_allowed",
        "ewtp.api.require_response_fields",
        "ewtp.api.drop_unused_components",
    ],
}

# --- Headers: Content-Security-Policy (django-csp) and Permissions-Policy -----
# No inline script or style anywhere, nothing from other sites; the API docs page alone loosens
# what Swagger UI needs (ewtp/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(self), usb=()"
)

# --- Security (production) --------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
