"""axe-core in the browser tests: installed from npm by the test set-up (pinned, into var/axe,
once per machine, under a lock for parallel workers) and run by Playwright in the page.

Only serious and critical violations fail a test (issue 19: accessibility stays at zero)."""

from __future__ import annotations

import fcntl
import subprocess
from functools import cache
from pathlib import Path

AXE_VERSION = "4.14.1"
ROOT = Path(__file__).resolve().parents[2] / "var" / "axe"
SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")


@cache
def axe_source() -> str:
    ROOT.mkdir(parents=True, exist_ok=True)
    with (ROOT / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = ROOT / f".installed-{AXE_VERSION}"
        if not (SCRIPT.exists() and marker.exists()):
            subprocess.run(  # noqa: S603 - a fixed npm command, pinned version
                [  # noqa: S607 - npm from PATH, as the README's set-up installs it
                    "npm",
                    "install",
                    "--no-save",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                    str(ROOT),
                    f"axe-core@{AXE_VERSION}",
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
            marker.touch()
    return SCRIPT.read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """The page's serious and critical axe violations, as "rule-id: target" lines (the context
    must bypass the page's CSP: the site itself runs no script)."""
    page.evaluate(axe_source())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']}"
        for violation in result["violations"]
        if violation["impact"] in FAILING
        for node in violation["nodes"]
    ]
