"""bin/audit-requirements never reports "no vulnerabilities" from a run that checked nothing
(pip-audit itself does: every package "skipped" and still "No known vulnerabilities found")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FAKE = """#!{python}
import json, sys
print(json.dumps({answer}))
"""


def run_with(tmp_path, answer: dict) -> subprocess.CompletedProcess:
    fake = tmp_path / "pip-audit"
    fake.write_text(FAKE.format(python=sys.executable, answer=repr(answer)).replace("'", '"'))
    fake.chmod(0o755)
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "bin" / "audit-requirements")],
        env={**os.environ, "PIP_AUDIT": str(fake)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_unreachable_service_says_nothing_was_checked(tmp_path):
    skipped = {
        "dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}],
        "fixes": [],
    }
    result = run_with(tmp_path, skipped)
    assert result.returncode == 0
    assert result.stdout.strip() == "pip-audit: vulnerability service unreachable, nothing was checked"
    assert "no known vulnerabilities" not in result.stdout.lower()


@pytest.mark.parametrize(
    ("vulns", "code"),
    [([], 0), ([{"id": "PYSEC-2099-1", "fix_versions": ["5.2.99"], "description": ""}], 1)],
)
def test_a_reachable_service_fails_on_known_vulnerabilities(tmp_path, vulns, code):
    answer = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": vulns}], "fixes": []}
    result = run_with(tmp_path, answer)
    assert result.returncode == code, result.stdout + result.stderr
    assert "1 packages checked" in result.stdout
    if vulns:
        assert "PYSEC-2099-1 (fixed in 5.2.99)" in result.stdout
