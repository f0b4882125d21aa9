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


# --- Issue 18: no import cycles, no reaching into another module's private names ------------------

APPS = ("ewtp", "marketplace", "logistics")


def _import_graph() -> dict[str, set[str]]:
    """Every module of the apps (migrations aside) and the app modules it imports, wherever in the
    file the import stands (one inside a function makes a cycle all the same)."""
    import sys

    import grimp

    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*APPS)
    modules = {m for m in graph.modules if m.split(".")[0] in APPS and ".migrations" not in m}
    return {m: set(graph.find_modules_directly_imported_by(m)) & modules for m in modules}


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(edges[module]):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles_among_the_apps_modules():
    assert _cycles(_import_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_another_modules_underscore_names():
    import ast

    offences = []
    for path in sorted(p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in APPS:
                offences += [
                    f"{path.relative_to(ROOT)}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                ]
    assert offences == []


def test_only_the_outbox_relay_publishes_jobs():
    """Services ask for jobs through their app's `jobs` module (the outbox); `.delay(`/`apply_async`
    in app code would make a request wait on the broker."""
    offences = []
    for path in sorted(p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts):
        text = path.read_text()
        for needle in (".delay(", ".apply_async(", "delay_on_commit(", ".send_task("):
            if needle in text and path.relative_to(ROOT).as_posix() != "ewtp/outbox.py":
                offences.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offences == []


def app_modules():
    for app in ("ewtp", "marketplace", "logistics"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and "demo" not in path.parts:
                yield path


def test_modules_stay_one_idea_under_about_400_lines():
    """Settings and the landed-cost rules table aside, a module past ~450 lines is split by idea."""
    long = {
        str(path.relative_to(ROOT)): n
        for path in app_modules()
        if (n := len(path.read_text().splitlines())) > 450
    }
    assert not long, long


def test_sql_is_sent_by_hand_only_from_ewtp_db():
    """No private SQL layer: the ORM builds every query; `ewtp/db.py` is the one documented place
    for hand-written SQL (and the health check's `SELECT 1`)."""
    by_hand = {
        str(path.relative_to(ROOT))
        for path in app_modules()
        if "cursor()" in path.read_text()
    }
    assert by_hand <= {"ewtp/db.py", "ewtp/health.py"}, by_hand


@pytest.mark.django_db
def test_no_plpgsql_function_is_left_from_the_old_placing():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname FROM pg_proc WHERE proname IN "
            "('marketplace_insufficient_stock', 'marketplace_idempotency_claim_lost')"
        )
        assert cursor.fetchall() == []  # dropped by migration 0017 (the triggers' functions stay)
