"""`make run` stops cleanly: Ctrl-C (SIGINT to the script's process group) or SIGTERM to the script
ends every process bin/run-demo started — the web server, the outbox relay, the Celery worker and
its beat — and the worker ends by itself (a warm shutdown, exit status 0), never killed. Before,
the worker outlived the web server through SIGTERM and three SIGINTs, and later its warm shutdown
ran into the script's 8-second KILL on a busy machine. No assertion here depends on time."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_zero_config import free_port, get

ROOT = Path(__file__).resolve().parent.parent


def session_members(sid: int) -> dict[int, str]:
    """Live processes of a session (the script was started as a session leader): pid → command."""
    members = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        state, _ppid, _pgrp, session = text.rsplit(")", 1)[1].split()[:4]
        if int(session) == sid and state != "Z":
            members[int(stat.parent.name)] = cmdline
    return members


@pytest.mark.smoke
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_stopping_run_demo_ends_the_web_server_and_the_whole_worker(tmp_path, how):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "EWTP_SIM_SPEED"}
    }
    env.update(
        EWTP_DATA_DIR=str(tmp_path / "data"), VENV=str(Path(sys.executable).parent.parent), PORT=str(port)
    )
    log_path = tmp_path / "run.log"
    proc = subprocess.Popen(  # noqa: S603
        ["/bin/bash", str(ROOT / "bin" / "run-demo")],
        cwd=ROOT,
        env=env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
            except OSError:
                assert proc.poll() is None, log_path.read_text()
            time.sleep(0.5)
        # The worker is up with its embedded beat (its own process), and the relay.
        while time.monotonic() < deadline:
            started = session_members(proc.pid)
            if sum("celery" in command for command in started.values()) >= 2:
                break
            time.sleep(0.5)
        assert sum("celery" in command for command in started.values()) >= 2, started
        assert any("runserver" in command for command in started.values()), started
        assert any("relay_outbox" in command for command in started.values()), started
        # One worker consumes both queues (routing jobs!) and runs beat (the simulation's tick).
        worker = [c for c in started.values() if "celery" in c and " worker " in c]
        assert any(" -B " in c and " -Q default,routing " in c for c in worker), worker
        environ = [
            (Path("/proc") / str(pid) / "environ").read_bytes().split(b"\0")
            for pid, command in started.items()
            if "celery" in command
        ]
        assert all(b"EWTP_SIM_SPEED=600" in env for env in environ), "the demo runs a fast simulated clock"

        if how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)  # what the terminal does: the foreground group
        else:
            os.kill(proc.pid, signal.SIGTERM)  # the script alone, as a supervisor would
        proc.wait(timeout=120)  # the script itself kills a worker stuck for a minute
        deadline = time.monotonic() + 30
        while session_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert session_members(proc.pid) == {}, log_path.read_text()
        log = log_path.read_text()
        assert "run-demo: the worker stopped (exit status 0)" in log, log[-3000:]
        assert "killed" not in log
    finally:
        for pid in session_members(proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
