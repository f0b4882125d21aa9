"""Route-planner benchmark: quotes per second, cold (graph built per quote) and cached.

.venv/bin/python bench/routing.py                 # pure: demo network + generated 200/2,000
DATABASE_URL=postgres://… .venv/bin/python bench/routing.py
                                                  # also through Django (version check + planner),
                                                  # on a database seeded with `seed_demo`
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import statistics
import sys
import time as clock
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import row, write_summary  # noqa: E402
from logistics.demo.reference_data import demo_network  # noqa: E402
from logistics.routing.model import HubData, LaneData, Mode, Network, Preference, QuoteRequest  # noqa: E402
from logistics.routing.planner import Planner  # noqa: E402
from logistics.routing.schedule import schedule_for_departures_per_week  # noqa: E402

READY = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def generated_network(hubs: int = 200, lanes: int = 2000, seed: int = 4) -> Network:
    """A random connected-ish network: hubs on a globe grid, each serving 1–3 of 120 countries."""
    rng = random.Random(seed)
    countries = [f"{a}{b}" for a in "ABCDEFGHIJKL" for b in "ABCDEFGHIJ"]
    zones = ["UTC", "Asia/Shanghai", "Europe/Brussels", "Africa/Nairobi", "America/Sao_Paulo", "Asia/Dubai"]
    hub_list = tuple(
        HubData(
            code=f"H{i:03d}",
            country=countries[i % len(countries)],
            timezone=rng.choice(zones),
            serves=frozenset({countries[i % len(countries)], *rng.sample(countries, rng.randint(0, 2))}),
            handling_hours=rng.randint(2, 8),
            import_clearance_hours=rng.choice([3, 6, 24, 48]),
        )
        for i in range(hubs)
    )
    codes = [hub.code for hub in hub_list]
    pairs: set[tuple[str, str, Mode]] = set()
    # A ring keeps everything reachable; the rest is random.
    for a, b in zip(codes, codes[1:] + codes[:1], strict=True):
        pairs.add((a, b, Mode.AIR))
    while len(pairs) < lanes:
        a, b = rng.sample(codes, 2)
        pairs.add((a, b, rng.choice([Mode.AIR, Mode.AIR, Mode.ROAD, Mode.SEA, Mode.RAIL])))
    lane_list = tuple(
        LaneData(
            id=number,
            origin=a,
            destination=b,
            mode=mode,
            schedule=schedule_for_departures_per_week(rng.choice([2, 3, 4, 5, 7, 14])),
            cutoff_hours=rng.randint(2, 12),
            transit_hours=rng.randint(12, 120),
            cost_per_kg=Decimal(rng.randint(20, 500)) / 100,
            min_charge=Decimal(rng.randint(3, 10)),
            capacity_kg=Decimal(rng.choice([3000, 10000, 50000])),
        )
        for number, (a, b, mode) in enumerate(sorted(pairs), start=1)
    )
    return Network(hubs=hub_list, lanes=lane_list)


def requests_for(network: Network, count: int, seed: int = 7) -> list[QuoteRequest]:
    rng = random.Random(seed)
    served = sorted({country for hub in network.hubs for country in hub.serves})
    return [
        QuoteRequest(
            origin_country=rng.choice(served),
            destination_country=rng.choice(served),
            weight_kg=Decimal(rng.randint(1, 300)) / 10,
            ready_at=READY + timedelta(minutes=rng.randint(0, 7 * 24 * 60)),
            dimensions_cm=rng.choice([None, (Decimal(60), Decimal(40), Decimal(40))]),
            preference=rng.choice(list(Preference)),
        )
        for _ in range(count)
    ]


def timed(label: str, run, requests: list[QuoteRequest]) -> dict:
    durations = []
    for request in requests:
        start = clock.perf_counter()
        run(request)
        durations.append(clock.perf_counter() - start)
    total = sum(durations)
    durations.sort()
    p95 = durations[int(len(durations) * 0.95) - 1]
    mean, median = statistics.mean(durations) * 1000, statistics.median(durations) * 1000
    print(
        f"| {label} | {len(requests)} | {len(requests) / total:,.0f} | "
        f"{mean:.2f} | {median:.2f} | {p95 * 1000:.2f} |"
    )
    return {"per_s": len(requests) / total, "mean_ms": mean, "p95_ms": p95 * 1000}


def bench_network(name: str, network: Network, *, cold: int, cached: int) -> dict:
    start = clock.perf_counter()
    planner = Planner(network)
    build = clock.perf_counter() - start
    size = f"{len(network.hubs)} hubs, {len(network.lanes)} lanes"
    print(f"\n{name}: {size} — graph build {build * 1000:.1f} ms\n")
    print("| run | quotes | quotes/s | mean ms | median ms | p95 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    timed("cold (build graph + quote)", lambda r: Planner(network).quote(r), requests_for(network, cold))
    warm = requests_for(network, cached)
    for request in warm:  # first pass fills the per-pair memo of candidate paths
        planner.quote(request)
    seen = timed("cached graph, pairs seen before", planner.quote, warm)
    fresh = Planner(network)  # graph built, but no country pair quoted yet
    timed("cached graph, fresh planner memo", fresh.quote, requests_for(network, cached, 11))
    return seen


def bench_django(cached: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ewtp.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from logistics.models import Hub
    from logistics.selectors import network as selectors

    if not Hub.objects.exists():
        print("\n(Django run skipped: the database has no hubs; run `manage.py seed_demo` first.)")
        return
    print("\nThrough Django (`selectors.shipping_quote`: network-version query + cached planner)\n")
    print("| run | quotes | quotes/s | mean ms | median ms | p95 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    pairs = [("CN", "RW"), ("MY", "TH"), ("CN", "BE"), ("KE", "NG"), ("BR", "CN"), ("TH", "DE")]

    def quote(request: QuoteRequest) -> None:
        with contextlib.suppress(selectors.NoRoute):
            selectors.shipping_quote(
                origin_country=request.origin_country,
                destination_country=request.destination_country,
                weight_kg=request.weight_kg,
                preference=request.preference,
                ready_at=request.ready_at,
            )

    rng = random.Random(3)
    requests = [
        QuoteRequest(
            *rng.choice(pairs), Decimal(rng.randint(1, 50)) / 10, READY, None, rng.choice(list(Preference))
        )
        for _ in range(cached)
    ]
    selectors.planner()
    for request in requests[:50]:
        quote(request)
    timed("demo network, cached planner", quote, requests)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", metavar="PATH", help="also write the summary as JSON (bench/report.py)")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    demo = bench_network("Demo network", demo_network(), cold=300, cached=3000)
    generated = bench_network("Generated network", generated_network(), cold=20, cached=300)
    if os.environ.get("DATABASE_URL"):
        bench_django(2000)
    write_summary(
        args.json,
        "routing",
        [
            row(
                "demo network: cached quote, mean",
                f"{demo['mean_ms']:.2f} ms ({demo['per_s']:,.0f} quotes/s, p95 {demo['p95_ms']:.2f} ms)",
                "< 2 ms",
                demo["mean_ms"] < 2,
            ),
            row(
                "200 hubs / 2,000 lanes: cached quote, mean",
                f"{generated['mean_ms']:.2f} ms ({generated['per_s']:,.0f} quotes/s)",
            ),
        ],
    )


if __name__ == "__main__":
    main()
