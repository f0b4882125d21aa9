"""Routing is one path on PostgreSQL and on the zero-configuration SQLite demo (issue 18): the
batch routing tests — a batch routed once, spread over departures, refused with a reason, the
sweeper's batches of lost jobs — run again in a child pytest on SQLite. (Their two tests of two
threads at once are PostgreSQL's: SQLite's in-memory test database locks whole tables.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BATCH_ROUTING = "tests/logistics/shipments/test_batch_routing.py"


@pytest.mark.smoke
def test_batch_routing_and_its_sweeper_run_on_sqlite(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'routing.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pyproject's test settings, as in a developer's run
    child = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pytest", BATCH_ROUTING, "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-k", "not threads and not at_once"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert child.returncode == 0, child.stdout[-4000:] + child.stderr[-2000:]
    assert "6 passed" in child.stdout, child.stdout[-2000:]
    vendor = subprocess.run(  # noqa: S603 - the child's settings really name SQLite
        [sys.executable, "-c", "import django; django.setup(); from django.db import connection; "
         "print(connection.vendor)"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "ewtp.test_settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert vendor.stdout.strip() == "sqlite", vendor.stderr[-2000:]
