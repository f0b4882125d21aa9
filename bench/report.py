"""One table from every benchmark's summary: `make bench` runs each `bench/*.py --json PATH`, then

    .venv/bin/python bench/report.py var/bench/*.json

Each summary is `{"bench", "machine", "date", "load", "rows": [{"figure", "value", "target", "met"}]}`
(`met` true, false, or null for a figure without a target), written by `write_summary`.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path


def python_yardstick() -> float:
    """Milliseconds one core takes for a fixed pure-Python loop (best of 3): the same CPU model
    name has run this project's benchmarks at speeds 1.7× apart, so each run says how fast its
    core was at the time (lower is faster; BENCHMARKS.md gives the figures seen)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i * i % 7
        best = min(best, time.perf_counter() - started)
    return best * 1000


def machine(database_url: str) -> str:
    """The machine a benchmark ran on: cores and CPU model, Python, the PostgreSQL server, the OS,
    and the Python yardstick (`python_yardstick`)."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = models[0] if models else cpu
    import psycopg

    with psycopg.connect(database_url) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, PostgreSQL {pg}, "
        f"{platform.system()} {platform.release()}; Python yardstick {python_yardstick():.0f} ms"
    )


def write_summary(
    path: str | None, bench: str, rows: list[dict], *, machine: str | None = None, extra: dict | None = None
) -> None:
    """The benchmark's figures for the combined table; nothing when no `--json PATH` was given."""
    if not path:
        return
    summary = {
        "bench": bench,
        "machine": machine or f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load": " ".join(Path("/proc/loadavg").read_text().split()[:3])
        if Path("/proc/loadavg").exists()
        else "",
        "rows": rows,
        **(extra or {}),
    }
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(summary, indent=2, default=str))


def row(figure: str, value: str, target: str = "", met: bool | None = None) -> dict:
    return {"figure": figure, "value": value, "target": target, "met": met}


def main(paths: list[str]) -> int:
    summaries = [json.loads(Path(path).read_text()) for path in paths if Path(path).exists()]
    if not summaries:
        print("no benchmark summaries found", file=sys.stderr)
        return 1
    for summary in summaries:
        print(
            f"- {summary['bench']}: {summary['date']}, {summary['machine']}; load average {summary['load']}"
        )
    print()
    print("| benchmark | figure | value | target | met? |")
    print("|---|---|---|---|---|")
    missed = 0
    for summary in summaries:
        for item in summary["rows"]:
            met = "" if item["met"] is None else ("met" if item["met"] else "**missed**")
            missed += item["met"] is False
            print(f"| {summary['bench']} | {item['figure']} | {item['value']} | {item['target']} | {met} |")
    print()
    print(f"{missed} target(s) missed.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
