"""`make serve` (bin/serve): production-like on one machine. DEBUG off, static files collected
(without them every page was a 500), gunicorn; and no start at all without a SECRET_KEY."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_zero_config import free_port, get

ROOT = Path(__file__).resolve().parent.parent
VENV = str(Path(sys.executable).parent.parent)


def serve_env(tmp_path, **extra) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "REDIS_CACHE_URL",
            "DJANGO_SETTINGS_MODULE",
            "SECRET_KEY",
            "DEBUG",
        }
    }
    env.update(EWTP_DATA_DIR=str(tmp_path / "data"), STATIC_ROOT=str(tmp_path / "static"), VENV=VENV, **extra)
    return env


def post_chunked(port: int, path: str, chunks: list[bytes]) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST", path, body=iter(chunks), headers={"Content-Type": "application/json"}, encode_chunked=True
        )
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_serve_refuses_to_start_without_a_secret_key(tmp_path):
    result = subprocess.run(  # noqa: S603
        ["/bin/bash", str(ROOT / "bin" / "serve")],
        cwd=ROOT,
        env=serve_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "SECRET_KEY must be set" in result.stderr
    assert not (tmp_path / "static").exists()  # stopped before doing anything


@pytest.mark.smoke
def test_serve_collects_static_files_and_pages_answer_with_debug_off(tmp_path):
    port = free_port()
    env = serve_env(
        tmp_path,
        SECRET_KEY="serve-test-" + "k" * 50,
        PORT=str(port),
        SECURE_SSL_REDIRECT="0",
        WEB_CONCURRENCY="1",
        EWTP_MAX_BODY_BYTES="4000",
    )
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(  # noqa: S603
        ["/bin/bash", str(ROOT / "bin" / "serve")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        status = None
        while time.monotonic() < deadline:
            try:
                status, _ = get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert proc.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.5)
        assert status == 200, (tmp_path / "serve.log").read_text()

        status, home = get(f"http://127.0.0.1:{port}/")
        assert status == 200, home
        stylesheet = re.search(r'href="(/static/css/ewtp\.[0-9a-f]{12}\.css)"', home)
        assert stylesheet, "hashed static names come from the collected manifest"
        assert get(f"http://127.0.0.1:{port}{stylesheet.group(1)}")[0] == 200
        assert get(f"http://127.0.0.1:{port}/api/docs/")[0] == 200
        assert get(f"http://127.0.0.1:{port}/accounts/login/")[0] == 200
        assert "DEBUG off" in (tmp_path / "serve.log").read_text()

        # Not behind a proxy: a local client's X-Forwarded-Proto is not believed (gunicorn's
        # default believed 127.0.0.1), so the answer is not a secure one (no HSTS header).
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on"})
        answer = connection.getresponse()
        answer.read()
        connection.close()
        assert answer.status == 200 and answer.getheader("Strict-Transport-Security") is None

        # Chunked bodies through real gunicorn: read up to the limit, refused past it.
        small = json.dumps({"origin_country": "CN"}).encode()
        status, answer = post_chunked(port, "/api/v1/shipping/quotes/", [small])
        assert status == 400 and "destination_country" in answer
        status, answer = post_chunked(
            port, "/api/v1/shipping/quotes/", [b"[" + b"1," * 1000, b"1," * 2000 + b"1]"]
        )
        assert status == 413 and "too large" in answer, (status, answer[:300])
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
