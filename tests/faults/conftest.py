"""Real processes for fault tests: gunicorn serving the app on this run's test database, a Redis
server of the test's own (so it can be killed), and helpers to find and kill their PIDs."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
from django.db import connection

from tests.celery_worker import process_env, stop
from tests.test_zero_config import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
VENV_BIN = Path(sys.executable).parent

pytestmark = pytest.mark.faults


def wait_until(predicate: Callable[[], object], timeout: float = 120, interval: float = 0.1):
    """Poll until `predicate()` is truthy and return it; fail after `timeout` (never a test's
    measure of speed: generous, for a busy machine)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout} s")
        time.sleep(interval)


def children(pid: int) -> list[int]:
    """The live child processes of `pid` (gunicorn's workers, under its master)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(stat.parent.name))
    return found


@dataclass
class Gunicorn:
    url: str
    master: subprocess.Popen
    log: Path

    def worker(self) -> int:
        """The PID of its one worker (waits for a replacement after a kill)."""
        return wait_until(lambda: (children(self.master.pid) or [None])[0], timeout=60)

    def client(self, token: str | None = None, timeout: float = 60) -> httpx.Client:
        headers = {"Authorization": f"Token {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)


@contextmanager
def running_gunicorn(**extra_env: str) -> Iterator[Gunicorn]:
    """gunicorn with one worker on a free port (`ewtp/gunicorn_conf.py`, as `bin/serve` runs it),
    on this test run's database and broker unless `extra_env` says otherwise."""
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"ewtp-gunicorn-{port}.log"
    master = subprocess.Popen(  # noqa: S603
        [
            str(VENV_BIN / "gunicorn"),
            "ewtp.wsgi:application",
            "-c",
            "python:ewtp.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=process_env(**extra_env),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Gunicorn(f"http://127.0.0.1:{port}", master, log)
    try:

        def answers() -> bool:
            assert master.poll() is None, log.read_text()
            try:
                return httpx.get(f"{server.url}/healthz", timeout=5).status_code in (200, 503)
            except httpx.HTTPError:
                return False

        wait_until(answers, timeout=60, interval=0.2)
        yield server
    finally:
        stop(master)


@dataclass
class RedisServer:
    port: int
    proc: subprocess.Popen

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL by PID: nothing listens on its port any more (connections are refused)."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def start(self) -> None:
        self.proc = _start_redis(self.port)


def _start_redis(port: int) -> subprocess.Popen:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    proc = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    import redis

    wait_until(lambda: _pings(redis.Redis(port=port)), timeout=30)
    return proc


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:  # noqa: BLE001 — not up yet
        return False


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A Redis server of this test's own, on a spare port."""
    server = RedisServer(free_port(), None)  # type: ignore[arg-type]
    server.start()
    try:
        yield server
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait(timeout=10)


@contextmanager
def admin_session() -> Iterator[psycopg.Connection]:
    """A session of our own on the test database, as an operator's psql would be."""
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"], port=db["PORT"]
    ) as session:
        yield session


def waiting_on_a_lock() -> bool:
    """Whether some backend of the test database waits for a row or table lock (asked from a
    session of its own, which holds nothing)."""
    with admin_session() as session:
        row = session.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()
    return bool(row[0])
