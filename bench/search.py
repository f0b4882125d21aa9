"""Search that forgives (issue 19), timed on the catalog benchmark's 100,000 listings.

    .venv/bin/python bench/catalog.py --duration 5   # makes the bench database once
    .venv/bin/python bench/search.py

Each query is answered the way a catalog page answers it — the result count and the first page of
24, ranked — with every catalog cache off, so each run does the database work: words as written,
a word in another language (kahawa), typos (found by the vocabulary or by pg_trgm on titles).
Beside each, in the same run, the bare baseline: the plain full-text query alone (no words
replaced, no likeness, no category boost), count and first page ranked by ts_rank. Reports p50 and
p95 over `--repeat` runs of each.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ewtp_bench"),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
        "CACHE_KEY_PREFIX": "ewtp-bench-search",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EWTP_CATALOG_CACHE_SECONDS": "0",
        "EWTP_CARD_CACHE_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
)

import django  # noqa: E402

django.setup()

from django.contrib.postgres.search import SearchQuery, SearchRank  # noqa: E402
from django.db.models import F  # noqa: E402

from marketplace.models import Listing  # noqa: E402
from marketplace.selectors.catalog import SEARCH_CONFIG, CatalogFilters, catalog_listings  # noqa: E402
from marketplace.selectors.fx import rates_in_force  # noqa: E402

QUERIES = [
    ("as written, one word", "scarf"),
    ("as written, two words", "cotton shirt"),
    ("another language (Kiswahili)", "kikapu"),  # basket
    ("typo in the vocabulary", "baskett"),
    ("typo found by trigrams", "braclet"),
    ("typo, two words", "cotonn shrt"),
    ("nothing like it", "zzqxv"),
]
PAGE = 24


def timed(run, repeat: int) -> list[float]:
    run()  # warm the connection and the plan
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def catalog(text: str):
    rates = rates_in_force()
    filters = CatalogFilters(currency="USD", search=text)

    def run():
        qs = catalog_listings(Listing.objects.filter(is_active=True), filters, rates)
        count = qs.order_by().count()
        first = list(qs.values_list("pk", flat=True)[:PAGE])
        return count, first

    return run


def baseline(text: str):
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")

    def run():
        qs = Listing.objects.filter(is_active=True, search_vector=query)
        count = qs.count()
        ranked = qs.annotate(rank=SearchRank(F("search_vector"), query)).order_by(
            "-rank", "-created_at", "-id"
        )
        return count, list(ranked.values_list("pk", flat=True)[:PAGE])

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    total = Listing.objects.filter(is_active=True).count()
    print(f"{total:,} published listings; every catalog cache off; {args.repeat} runs each\n")
    print("| query | found (baseline) | catalog p50 / p95 ms | bare FTS p50 / p95 ms |")
    print("|---|---|---|---|")
    rows = []
    for label, text in QUERIES:
        found = catalog(text)()[0]
        plain = baseline(text)()[0]
        ours = timed(catalog(text), args.repeat)
        bare = timed(baseline(text), args.repeat)
        row = {
            "query": text,
            "label": label,
            "found": found,
            "found_by_fts": plain,
            "p50_ms": statistics.median(ours),
            "p95_ms": sorted(ours)[int(0.95 * (len(ours) - 1))],
            "baseline_p50_ms": statistics.median(bare),
            "baseline_p95_ms": sorted(bare)[int(0.95 * (len(bare) - 1))],
        }
        rows.append(row)
        print(
            f"| {label}: “{text}” | {found:,} ({plain:,}) | {row['p50_ms']:.1f} / {row['p95_ms']:.1f} "
            f"| {row['baseline_p50_ms']:.1f} / {row['baseline_p95_ms']:.1f} |",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
