"""Catalog benchmark (issues 3 and 7): 100,000 listings across 200 shops, through the real HTTP stack.

    .venv/bin/python bench/catalog.py                 # generate once, then measure
    .venv/bin/python bench/catalog.py --regenerate    # drop and rebuild the bench database

It uses its own PostgreSQL database (BENCH_DATABASE_URL, default ewtp_bench) and Redis db 5,
runs gunicorn with DEBUG off (production settings plus the baseline route, bench/settings.py),
and drives it from a bounded thread pool over http.client on 127.0.0.1 only. For each scenario
it reports p50/p95 latency and requests/s for 1 and 8 concurrent clients, next to the bare
baseline (bench/baseline.py: one hand-written SQL query → JSON) answering the same question.

Each cell is measured three ways in the same run: the bare baseline, the catalog, and the catalog
while a background process sets the stock of random listings `--stock-writes` times a second
through `listing_stock_set` (the service checkout will use: row lock, UPDATE, version bump on
commit). A second phase restarts gunicorn with the versioned caches off — nothing cached but
the listing cards — and measures the rendered home page against the baseline.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ewtp_bench")
ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
    "CACHE_KEY_PREFIX": "ewtp-bench",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_ROOT": "/tmp/ewtp-bench-static",
    "EWTP_DATA_DIR": "/tmp/ewtp-bench-var",
    "LOG_LEVEL": "WARNING",
    "EWTP_THROTTLES": "off",  # a benchmark is one client asking thousands of times a minute
}
os.environ.update(ENV)


def words(text: str) -> list[str]:
    return text.split()


COUNTRIES = [  # (country, currency)
    ("CN", "CNY"), ("MY", "MYR"), ("KE", "KES"), ("RW", "RWF"), ("TH", "THB"), ("ID", "IDR"),
    ("NG", "NGN"), ("ET", "ETB"), ("BR", "BRL"), ("AE", "AED"), ("GB", "GBP"), ("FR", "EUR"),
    ("SG", "SGD"), ("UG", "UGX"), ("TZ", "TZS"), ("HK", "HKD"),
]  # fmt: skip
CATEGORIES = [
    "fashion", "home", "food", "beauty", "electronics", "crafts", "toys", "sports",
    "books", "garden", "jewellery", "tea-coffee",
]  # fmt: skip
ADJECTIVES = words(
    "handmade woven organic vintage classic modern rustic bright soft light heavy small large "
    "premium natural painted carved embroidered printed dyed recycled"
)
MATERIALS = words(
    "cotton silk wool leather bamboo rattan clay ceramic glass brass copper teak batik kente "
    "linen denim hemp jade pearl sisal"
)
NOUNS = words(
    "shirt scarf dress bag basket bowl mug vase lamp rug cushion blanket sandals necklace "
    "bracelet earrings hat tray teapot spoon box mat stool mirror frame candle soap jar"
)
FILLER = words(
    "made by a family workshop using traditional techniques each piece unique shipped through "
    "the regional e-hub ideal gift durable washable fair trade sourced locally small batch "
    "colour may vary slightly photographed in daylight packed carefully with recycled paper "
    "café crème naïve résumé"
)

SCENARIOS = [
    ("home page", "/", "/bench/baseline/"),
    ("search page", "/?search=cotton+shirt", "/bench/baseline/?search=cotton+shirt"),
    (
        "API list: search + 2 filters",
        "/api/v1/products/?search=cotton&category=fashion&origin_country=KE",
        "/bench/baseline/?search=cotton&category=fashion&origin_country=KE",
    ),
]


def setup_django() -> None:
    import django

    django.setup()


def ensure_database(regenerate: bool) -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and regenerate:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def generate(listings: int, shops: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from marketplace.demo.rates import seed_exchange_rates
    from marketplace.models import Category, Listing, ListingImage, Role, Shop, User

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    seed_exchange_rates()
    if Listing.objects.count() >= listings:
        print(f"bench database already has {Listing.objects.count():,} listings")
        return
    rng = random.Random(2026)
    t0 = time.perf_counter()
    with transaction.atomic():
        categories = [
            Category.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").title()})[0]
            for slug in CATEGORIES
        ]
        owners = User.objects.bulk_create(
            [User(username=f"bench-seller-{i}", role=Role.SELLER, password="!") for i in range(shops)]
        )
        shop_rows = Shop.objects.bulk_create(
            [
                Shop(
                    owner=owner,
                    name=f"Bench shop {i}",
                    slug=f"bench-shop-{i}",
                    country=COUNTRIES[i % len(COUNTRIES)][0],
                    currency=COUNTRIES[i % len(COUNTRIES)][1],
                    is_verified=i % 3 == 0,
                )
                for i, owner in enumerate(owners)
            ]
        )
    batch = 5000
    for start in range(0, listings, batch):
        rows = []
        for _ in range(min(batch, listings - start)):
            shop = rng.choice(shop_rows)
            title = f"{rng.choice(ADJECTIVES)} {rng.choice(MATERIALS)} {rng.choice(NOUNS)}".capitalize()
            words = rng.choices(FILLER + MATERIALS + NOUNS, k=rng.randint(15, 40))
            price = Decimal(rng.randint(100, 100000)) / 100
            if shop.currency in ("RWF", "UGX", "IDR"):
                price = Decimal(int(price * 1000))
            rows.append(
                Listing(
                    shop=shop,
                    title=title,
                    description=" ".join(words).capitalize() + ".",
                    category=rng.choice(categories),
                    price_amount=price,
                    currency=shop.currency,
                    stock=rng.choice([0, 1, 2, 5, 10, 50]),
                    weight_kg=Decimal(rng.randint(50, 5000)) / 1000,
                    hs_code="610910",
                    origin_country=shop.country,
                    is_active=rng.random() > 0.05,
                )
            )
        created = Listing.objects.bulk_create(rows)
        ListingImage.objects.bulk_create(
            [
                ListingImage(
                    listing=listing,
                    image=f"listings/{listing.pk}/photo.jpg",
                    thumbnail=f"listings/{listing.pk}/photo_thumb.jpg",
                    width=800,
                    height=800,
                )
                for listing in created
            ]
        )
        print(f"  {start + len(rows):,} listings", end="\r", flush=True)
    with connection.cursor() as cursor:
        # Spread creation over the last ~100 days so "newest" is a real ordering.
        cursor.execute(
            "UPDATE marketplace_listing SET created_at = now() - (random() * %s)",
            [timedelta(days=100)],
        )
    with connection.cursor() as cursor:
        connection.connection.autocommit = True
        cursor.execute("VACUUM ANALYZE")
    print(f"generated {listings:,} listings across {shops} shops in {time.perf_counter() - t0:.0f}s")


def start_server(port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "ewtp.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **ENV},
    )
    deadline = time.time() + 30
    while time.time() < deadline and server.poll() is None:
        try:
            status, _ = request(port, "/healthz")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Language": "en-KE"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def warm(port: int, path: str) -> None:
    for _ in range(10):
        status, body = request(port, path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}: {body[:300]!r}")


def run(port: int, path: str, clients: int, duration: float) -> tuple[list[float], float]:
    """Latencies of the requests `clients` threads make in `duration` seconds, and the time taken."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + duration

    def worker() -> None:
        local = []
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            status, _ = request(port, path)
            local.append(time.perf_counter() - t0)
            assert status == 200
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started


def summarize(latencies: list[float], elapsed: float) -> dict:
    latencies = sorted(latencies)
    return {
        "n": len(latencies),
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "rps": len(latencies) / elapsed,
    }


def measure(port: int, path: str, clients: int, duration: float) -> dict:
    """Requests from `clients` threads for `duration` seconds (after a warm-up)."""
    warm(port, path)
    return summarize(*run(port, path, clients, duration))


ROUNDS = 5


def measure_pair(
    port: int, path: str, baseline_path: str, clients: int, duration: float
) -> tuple[dict, dict]:
    """The page and its baseline, `duration` seconds each, in ROUNDS alternating slices (the order
    swapped every round): a machine that speeds up or slows down during the run (a shared host
    does) then moves both sides of the ratio alike, instead of whichever ran in that moment."""
    warm(port, baseline_path)
    warm(port, path)
    sides = {path: ([], 0.0), baseline_path: ([], 0.0)}
    for round_ in range(ROUNDS):
        order = (baseline_path, path) if round_ % 2 == 0 else (path, baseline_path)
        for side in order:
            latencies, elapsed = run(port, side, clients, duration / ROUNDS)
            kept, total = sides[side]
            kept.extend(latencies)
            sides[side] = (kept, total + elapsed)
    return summarize(*sides[path]), summarize(*sides[baseline_path])


def stock_writer(rate: float, threads: int = 4) -> None:
    """Run in a child process: set the stock of random listings `rate` times a second in all,
    through the service, from a few threads (one database connection each) so a slow write does
    not hold the others back; on SIGTERM print how many writes were made and over how long."""
    setup_django()
    from django.db import connection

    from marketplace.models import Listing
    from marketplace.services.listings import listing_stock_set

    ids = list(Listing.objects.filter(is_active=True).values_list("id", flat=True))
    stop = threading.Event()
    done = [0] * threads
    started = time.perf_counter()

    def write(n: int) -> None:
        rng = random.Random(n)
        try:
            while not stop.is_set():
                listing = Listing.objects.select_related("shop__owner").get(pk=rng.choice(ids))
                stock = rng.choice([0, 1, 2, 5, 10, 50])
                listing_stock_set(listing=listing, actor=listing.shop.owner, stock=stock)
                done[n] += 1
                pause = started + done[n] * threads / rate - time.perf_counter()
                if pause > 0:
                    stop.wait(pause)
        finally:
            connection.close()

    workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    signal.signal(signal.SIGTERM, lambda *_args: stop.set())
    print("ready", flush=True)
    while not stop.is_set():
        stop.wait(0.2)
    for worker in workers:
        worker.join()
    print(f"{sum(done)} {time.perf_counter() - started:.3f}", flush=True)


class StockWrites:
    """The background writer as a context manager; `.rate` is what it achieved."""

    def __init__(self, rate: float) -> None:
        self.rate_asked = rate
        self.rate = 0.0

    def __enter__(self) -> StockWrites:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--stock-writer", str(self.rate_asked)],
            cwd=ROOT,
            env={**os.environ, **ENV},
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit("the stock writer did not start")
        return self

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=30)
        done, seconds = out.split()
        self.rate = int(done) / float(seconds)


def cells(catalog: dict, base: dict, sep: str = "  ") -> str:
    return sep.join(
        [
            f"{catalog['p50']:.1f}",
            f"{catalog['p95']:.1f}",
            f"{catalog['rps']:.0f}",
            f"{base['p50']:.1f}",
            f"{base['p95']:.1f}",
            f"{base['rps']:.0f}",
            f"{catalog['rps'] / base['rps']:.2f}",
        ]
    )


def machine() -> str:
    from bench.report import machine as described

    return described(DATABASE_URL)


def measure_phase(args, env: dict[str, str], scenarios, *, with_writes: bool) -> list[tuple]:
    ENV.update(env)
    os.environ.update(ENV)
    import redis

    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()  # no entries from an earlier run or data set
    port = args.port or free_port()
    server = start_server(port, args.workers)
    rows = []
    try:
        for name, path, baseline_path in scenarios:
            for clients in (1, 8):
                catalog, base = measure_pair(port, path, baseline_path, clients, args.duration)
                writes = None
                if with_writes:
                    with StockWrites(args.stock_writes) as writer:
                        writes = measure(port, path, clients, args.duration)
                    writes["writes_per_s"] = writer.rate
                rows.append((name, clients, catalog, writes, base))
                line = f"{name:30} c={clients} {cells(catalog, base)}"
                if writes:
                    line += f"  under writes {writes['rps']:.0f} req/s ({writer.rate:.0f} writes/s)"
                print(line, flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return rows


def summary_rows(rows: list[tuple], rendered: list[tuple]) -> list[dict]:
    """The targets: p95 < 50 ms single-client and at least half the baseline's rate (issue 3); under
    the stock writer, at least half the throughput without it, and the rendered home page with
    nothing cached but the cards at least 0.25× the baseline (issue 7)."""
    from bench.report import row

    summary = []
    for name, clients, catalog, writes, base in rows:
        if clients == 1:
            summary.append(
                row(f"{name}, 1 client: p95", f"{catalog['p95']:.1f} ms", "< 50 ms", catalog["p95"] < 50)
            )
        ratio = catalog["rps"] / base["rps"]
        summary.append(
            row(
                f"{name}, {clients} clients: throughput vs bare baseline (issue 3)",
                f"{catalog['rps']:.0f} req/s = {ratio:.2f}× ({base['rps']:.0f})",
                "≥ 0.5×",
                ratio >= 0.5,
            )
        )
        kept = writes["rps"] / catalog["rps"]
        summary.append(
            row(
                f"{name}, {clients} clients: kept under {writes['writes_per_s']:.0f} stock writes/s",
                f"{writes['rps']:.0f} of {catalog['rps']:.0f} req/s = {kept:.2f}",
                "≥ 0.5",
                kept >= 0.5,
            )
        )
    for name, clients, catalog, _writes, base in rendered:
        ratio = catalog["rps"] / base["rps"]
        summary.append(
            row(
                f"{name}, {clients} clients, nothing cached but the cards: vs bare baseline",
                f"{catalog['rps']:.0f} req/s = {ratio:.2f}× ({base['rps']:.0f})",
                "≥ 0.25×",
                ratio >= 0.25,
            )
        )
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--shops", type=int, default=200)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--stock-writes", type=float, default=50.0, help="stock changes per second")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="turn every catalog cache off (counts, rates, sidebar, cards): every request renders cold",
    )
    parser.add_argument(
        "--rendered-only",
        action="store_true",
        help="measure only the rendered home page with nothing cached but the cards (issue 7's cell)",
    )
    parser.add_argument("--stock-writer", type=float, help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--json", metavar="PATH", help="also write the summary as JSON (bench/report.py)")
    args = parser.parse_args()
    if args.stock_writer:
        stock_writer(args.stock_writer)
        return

    from bench.report import write_summary

    ensure_database(args.regenerate)
    setup_django()
    generate(args.listings, args.shops)
    load = os.getloadavg()

    if args.no_cache:
        ENV["EWTP_CARD_CACHE_SECONDS"] = "0"
        ENV["EWTP_CATALOG_CACHE_SECONDS"] = "0"
    rows = [] if args.rendered_only else measure_phase(args, {}, SCENARIOS, with_writes=True)
    rendered = []
    if not args.no_cache:
        print("nothing cached but the cards:", flush=True)
        rendered = measure_phase(args, {"EWTP_CATALOG_CACHE_SECONDS": "0"}, SCENARIOS[:1], with_writes=False)

    print()
    print(
        f"Machine: {machine()}; load average at the start {load[0]:.1f}; gunicorn {args.workers} sync "
        f"workers; {args.duration:.0f} s per cell; stock writer asked for {args.stock_writes:.0f} writes/s."
    )
    print()
    print(
        "| request | clients | p50 ms | p95 ms | req/s | under stock writes: req/s (writes/s) "
        "| ratio writes/none | baseline p50 ms | baseline p95 ms | baseline req/s | throughput vs baseline |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, clients, catalog, writes, base in rows:
        print(
            f"| {name} | {clients} | {catalog['p50']:.1f} | {catalog['p95']:.1f} | {catalog['rps']:.0f} "
            f"| {writes['rps']:.0f} ({writes['writes_per_s']:.0f}) | {writes['rps'] / catalog['rps']:.2f} "
            f"| {base['p50']:.1f} | {base['p95']:.1f} | {base['rps']:.0f} "
            f"| {catalog['rps'] / base['rps']:.2f} |"
        )
    write_summary(args.json, "catalog", summary_rows(rows, rendered), machine=machine())
    if rendered:
        print()
        print("Rendered home page, nothing cached but the listing cards (EWTP_CATALOG_CACHE_SECONDS=0):")
        print()
        print(
            "| request | clients | p50 ms | p95 ms | req/s "
            "| baseline p50 ms | baseline p95 ms | baseline req/s | throughput vs baseline |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, clients, catalog, _writes, base in rendered:
            print(f"| {name} | {clients} | {cells(catalog, base, sep=' | ')} |")


if __name__ == "__main__":
    main()
