"""Benchmark settings: the production settings plus the bare baseline views (bench/urls.py)."""

from ewtp.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
