"""Issue 7's house rules that live in files rather than in behaviour: the layered layout, the
runtime/dev requirements split, nothing generated committed, the README's glossary, and a beat
schedule that names only tasks that exist."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("models", "services", "selectors", "views", "admin")
TEST_TOOLS = ("pytest", "factory-boy", "ruff", "schemathesis", "playwright", "import-linter", "bandit")


@pytest.mark.parametrize("app", ["marketplace", "logistics"])
def test_each_app_is_layer_packages_with_a_module_per_domain(app):
    for layer in LAYERS:
        assert (ROOT / app / layer / "__init__.py").exists(), f"{app}/{layer}/ is a package"
    assert not list((ROOT / app).glob("catalog_*.py")), "no catalog_-prefixed siblings of layer files"
    assert not [p.name for p in (ROOT / app).glob("*.py") if p.stem in LAYERS]


def test_production_requirements_hold_no_test_tooling_and_the_image_installs_only_them():
    runtime = (ROOT / "requirements.txt").read_text().lower()
    dev = (ROOT / "requirements-dev.txt").read_text().lower()
    for tool in TEST_TOOLS:
        assert f"\n{tool}==" not in f"\n{runtime}", tool
    assert "-r requirements.txt" in dev and "pytest==" in dev
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.txt" in dockerfile and "requirements-dev" not in dockerfile


def test_no_schemathesis_state_is_committed():
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    command = [git, "ls-files", ".schemathesis", ".hypothesis"]
    tracked = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)  # noqa: S603
    assert tracked.stdout == ""
    assert ".schemathesis/" in (ROOT / ".gitignore").read_text()


def test_the_readme_has_the_glossary():
    readme = (ROOT / "README.md").read_text().lower()
    glossary = readme[readme.index("## glossary") :]
    for term in ("listing", "consignment", "shipment", "leg", "lane", "hub", "landed cost", "de minimis"):
        assert term in glossary, term


def test_the_beat_schedule_names_only_registered_tasks():
    from django.conf import settings

    from ewtp.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
