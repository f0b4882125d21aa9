"""Smoke test of the zero-configuration path that `make run` uses: embedded SQLite, kombu's
filesystem broker, a real web server and a real Celery worker (no eager mode)."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def send(url: str, body: dict, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def get_with(url: str, headers: dict) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
        return response.status, response.read().decode()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.smoke
def test_run_demo_starts_web_and_worker_without_any_services(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    port = free_port()
    env.update(
        EWTP_DATA_DIR=str(tmp_path / "data"),
        VENV=str(Path(sys.executable).parent.parent),
        PORT=str(port),
        DEBUG="1",
    )
    log = (tmp_path / "run.log").open("w")
    proc = subprocess.Popen(  # noqa: S603
        ["/bin/bash", str(ROOT / "bin" / "run-demo")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline:
            try:
                status, body = get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert proc.poll() is None, (tmp_path / "run.log").read_text()
                time.sleep(0.5)
        assert status == 200, (tmp_path / "run.log").read_text()
        assert json.loads(body)["broker"]["ok"] is True
        assert (tmp_path / "data" / "ewtp.sqlite3").exists()

        status, home = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "Goods from small businesses worldwide" in home

        # The demo compresses pages and static files for a slow link (issue 19).
        for path in ("/", "/static/css/ewtp.css"):
            request = urllib.request.Request(  # noqa: S310 - loopback only
                f"http://127.0.0.1:{port}{path}", headers={"Accept-Encoding": "gzip"}
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
                assert response.headers["Content-Encoding"] == "gzip", path
                assert gzip.decompress(response.read()), path

        # Search on SQLite folds accents and case as PostgreSQL does (issue 7): the demo's
        # bulk-inserted listings are found by "liege" as by "Liège".
        found = {}
        for query in ("Liège", "liege", "LIEGE"):
            status, body = get(f"http://127.0.0.1:{port}/api/v1/products/?search={urllib.parse.quote(query)}")
            assert status == 200, body[:500]
            found[query] = json.loads(body)["count"]
        assert found["liege"] == found["LIEGE"] == found["Liège"] > 0, found
        status, page = get(f"http://127.0.0.1:{port}/?search=liege")
        assert status == 200 and "Liège Chocolatiers" in page
        # Search that forgives on SQLite too (issue 19): a typo and the buyer's own language.
        for query in ("cofee", "kahawa", "咖啡"):
            status, body = get(f"http://127.0.0.1:{port}/api/v1/products/?search={urllib.parse.quote(query)}")
            assert status == 200, body[:500]
            first = json.loads(body)["results"][0]["title"].lower()
            assert "coffee" in first, (query, first)

        # An order on SQLite (the ORM branch of `order_place` and the idempotency claim): a
        # new buyer orders a demo product with an Idempotency-Key, and the retry gets the same order.
        status, body = send(
            f"http://127.0.0.1:{port}/api/v1/auth/register/",
            {"username": "zero-buyer", "email": "zero@example.org", "password": "zero-config-1",
             "role": "buyer", "country": "BE"},
        )
        assert status == 201, body[:500]
        token = json.loads(body)["token"]
        status, body = get(f"http://127.0.0.1:{port}/api/v1/products/?ships_to=BE&in_stock=true")
        product = json.loads(body)["results"][0]["id"]
        order = {
            "items": [{"product": product, "quantity": 1}],
            "ship_to": {"name": "Zero Config", "line1": "Rue 1", "city": "Liège", "postal_code": "4000",
                        "country": "BE", "phone": "+32 4 123 45 67"},
            "currency": "EUR",
            "preference": "cheapest",
        }
        headers = {"Authorization": f"Token {token}", "Idempotency-Key": "zero-config-order-1"}
        placed = [send(f"http://127.0.0.1:{port}/api/v1/orders/", order, headers) for _ in range(2)]
        assert [code for code, _body in placed] == [201, 201], placed[0][1][:500]
        first, retry = (json.loads(body) for _code, body in placed)
        assert first["status"] == "pending_payment" and len(first["consignments"]) == 1
        assert retry["id"] == first["id"] and retry["number"] == first["number"]
        status, body = get_with(f"http://127.0.0.1:{port}/api/v1/orders/{first['id']}/", headers)
        assert status == 200 and json.loads(body)["consignments"][0]["lines"][0]["product"] == product

        # A real worker consumes the filesystem broker: a task round-trips through it.
        ping = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-c",
                "from ewtp.celery import ping; print(ping.delay('hello-worker').get(timeout=60))",
            ],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "ewtp.settings"},
            capture_output=True,
            text=True,
            timeout=90,
        )
        assert ping.stdout.strip() == "hello-worker", ping.stderr + (tmp_path / "run.log").read_text()
        # The demo's e-mails link to the port it runs on (EWTP_SITE_URL from HOST:PORT), not :8000.
        deadline, linked = time.monotonic() + 90, []
        while not linked and time.monotonic() < deadline:
            texts = [path.read_text() for path in (tmp_path / "data" / "mail").glob("*.log")]
            linked = [text for text in texts if "/orders/" in text or "/track/" in text]
            time.sleep(0 if linked else 1)
        assert linked, "no e-mail with a link was written"
        assert all(f"http://127.0.0.1:{port}/" in text for text in linked), linked[0][:2000]
        output = (tmp_path / "run.log").read_text()
        assert f"http://127.0.0.1:{port}/" in output and "operator" in output and "seller-cn" in output
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
