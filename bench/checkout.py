"""Checkout benchmark (issue 9): orders placed per second through the real HTTP stack.

    .venv/bin/python bench/checkout.py                       # seed once, then measure
    .venv/bin/python bench/checkout.py --duration 10 --clients 1,16
    .venv/bin/python bench/checkout.py --regenerate          # drop and rebuild the database
    .venv/bin/python bench/checkout.py --profile 50          # where an order's time goes (pyinstrument)
    .venv/bin/python bench/checkout.py --cpu 30              # CPU per order in process, vs the baseline

Own PostgreSQL database (BENCH_CHECKOUT_DATABASE_URL, default ewtp_bench_checkout) holding the
catalog benchmark's 100,000 listings (bench/catalog.py `generate`) plus the checkout data: the
e-hub network, exchange rates, import rules, 20 shops in 10 countries with 150 listings each and
generous stock, and buyers with API tokens. Own Redis: BENCH_CHECKOUT_REDIS_URL (default
redis://127.0.0.1:6391/0; a throwaway `redis-server` is started on that port when none answers,
and stopped at the end). gunicorn with production settings (DEBUG off, persistent database
connections, throttles off) serves both `POST /api/v1/orders/` and the bare baseline
(`POST /bench/baseline/order/`, bench/baseline_order.py: token lookup + one transaction with a
conditional UPDATE per line and one order INSERT).

Every order is a 3-line cart spanning 2 shops (2 lines from one, 1 from another), shipped to
Belgium, paid in EUR, with an `Idempotency-Key` like a retrying client sends. Reported side by
side: orders/s, p50/p99 latency, queries per order (one in-process request under
CaptureQueriesContext), a race for scarce stock, the oversell check (ordered quantities == stock
taken, no negative stock), and the catalog's throughput alone and while orders are placed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import catalog  # noqa: E402  (sets the catalog benchmark's environment; replaced below)
from bench.report import row, write_summary  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_CHECKOUT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ewtp_bench_checkout"
)
REDIS_URL = os.environ.get("BENCH_CHECKOUT_REDIS_URL", "redis://127.0.0.1:6391/0")
ENV = {
    **catalog.ENV,
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "REDIS_CACHE_URL": REDIS_URL,
    "CACHE_KEY_PREFIX": "bench-checkout",
    "EWTP_THROTTLES": "off",
    "CONN_MAX_AGE": "600",
    "STATIC_ROOT": "/tmp/ewtp-bench-checkout-static",
    "EWTP_DATA_DIR": "/tmp/ewtp-bench-checkout-var",
}
catalog.ENV.clear()
catalog.ENV.update(ENV)
catalog.DATABASE_URL = DATABASE_URL
os.environ.update(ENV)

ORIGINS = [  # (country, currency): origins the e-hub network serves
    ("CN", "CNY"), ("MY", "MYR"), ("TH", "THB"), ("KE", "KES"), ("RW", "RWF"),
    ("ET", "ETB"), ("AE", "AED"), ("NG", "NGN"), ("ID", "IDR"), ("BR", "BRL"),
]  # fmt: skip
SHOPS = 20
LISTINGS_PER_SHOP = 150
APP_LISTINGS_PER_SHOP = 100  # the rest are the baseline's, so each side's stock can be checked
STOCK = 1_000_000
SCARCE_STOCK = 25
HS_CODES = ["610910", "090121", "420222", "691200", "851762"]
BUYERS = 64
DESTINATION = "BE"
CURRENCY = "EUR"


def ship_to() -> dict:
    return {
        "name": "Lotte Peeters",
        "line1": "Rue Léopold 1",
        "city": "Liège",
        "postal_code": "4000",
        "country": DESTINATION,
        "phone": "+32 4 123 45 67",
    }


# -- services ------------------------------------------------------------------------------------


def ensure_redis() -> subprocess.Popen | None:
    """Our own Redis: use the one at REDIS_URL, or start a throwaway one on its port."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
        return None
    except redis.ConnectionError:
        pass
    port = REDIS_URL.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]
    server = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", "--port", port, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
            return server
        except redis.ConnectionError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"could not start redis-server on port {port}")


# -- data ----------------------------------------------------------------------------------------


def seed(catalog_listings: int) -> dict:
    """Catalog (bench/catalog.py), network, rates, import rules, checkout shops, buyers; idempotent."""
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from logistics.demo.network import seed_network
    from marketplace.demo.customs import seed_customs
    from marketplace.demo.rates import seed_exchange_rates
    from marketplace.models import Category, Listing, Role, Shop, User

    catalog.generate(catalog_listings, 200)  # migrate, static files, rates, the 100,000 listings
    seed_network(lambda _m: None)
    seed_exchange_rates()
    seed_customs()
    if not Shop.objects.filter(slug="checkout-shop-0").exists():
        rng = random.Random(9)
        category = Category.objects.get(slug="fashion")
        with transaction.atomic():
            owners = User.objects.bulk_create(
                [
                    User(username=f"checkout-seller-{i}", role=Role.SELLER, password="!", country=c)
                    for i, (c, _cur) in enumerate(ORIGINS[i % len(ORIGINS)] for i in range(SHOPS))
                ]
            )
            shops = Shop.objects.bulk_create(
                [
                    Shop(
                        owner=owner,
                        name=f"Checkout shop {i}",
                        slug=f"checkout-shop-{i}",
                        country=ORIGINS[i % len(ORIGINS)][0],
                        currency=ORIGINS[i % len(ORIGINS)][1],
                        is_verified=True,
                    )
                    for i, owner in enumerate(owners)
                ]
            )
            rows = []
            for shop in shops:
                for n in range(LISTINGS_PER_SHOP):
                    price = Decimal(rng.randint(500, 20000)) / 100
                    if shop.currency in ("RWF", "IDR", "NGN"):
                        price = Decimal(int(price * 100))
                    rows.append(
                        Listing(
                            shop=shop,
                            title=f"Checkout item {shop.slug} #{n}",
                            description="A benchmark listing with generous stock.",
                            category=category,
                            price_amount=price,
                            currency=shop.currency,
                            stock=STOCK,
                            weight_kg=Decimal(rng.randint(100, 1500)) / 1000,
                            hs_code=HS_CODES[n % len(HS_CODES)],
                            origin_country=shop.country,
                            is_active=True,
                        )
                    )
            Listing.objects.bulk_create(rows, batch_size=1000)
            buyers = User.objects.bulk_create(
                [
                    User(username=f"checkout-buyer-{i}", role=Role.BUYER, password="!", country=DESTINATION)
                    for i in range(BUYERS)
                ]
            )
            Token.objects.bulk_create([Token(user=buyer, key=Token.generate_key()) for buyer in buyers])
        print(f"seeded {SHOPS} checkout shops, {SHOPS * LISTINGS_PER_SHOP} listings, {BUYERS} buyers")
    listings: dict[int, list[int]] = {}
    baseline: dict[int, list[int]] = {}
    for shop_id, listing_id in (
        Listing.objects.filter(shop__slug__startswith="checkout-shop-")
        .order_by("shop_id", "pk")
        .values_list("shop_id", "pk")
    ):
        pool = listings.setdefault(shop_id, [])
        if len(pool) < APP_LISTINGS_PER_SHOP:
            pool.append(listing_id)
        else:
            baseline.setdefault(shop_id, []).append(listing_id)
    shop_ids = sorted(listings)
    scarce = [listings[shop_ids[0]].pop(), listings[shop_ids[1]].pop()]  # the race's prize
    tokens = list(
        Token.objects.filter(user__username__startswith="checkout-buyer-").values_list("key", flat=True)
    )
    return {"app": listings, "baseline": baseline, "scarce": scarce, "tokens": tokens}


def reset(data: dict) -> None:
    """Every run starts from the same state: no orders, full stock, fresh statistics."""
    from django.db import connection

    from marketplace.models import Listing

    ids = [pk for pool in data["app"].values() for pk in pool] + [
        pk for pool in data["baseline"].values() for pk in pool
    ]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE marketplace_order, marketplace_idempotencykey RESTART IDENTITY CASCADE")
    Listing.objects.filter(pk__in=ids).update(stock=STOCK)
    Listing.objects.filter(pk__in=data["scarce"]).update(stock=SCARCE_STOCK)
    with connection.cursor() as cursor:
        connection.connection.autocommit = True
        cursor.execute("VACUUM ANALYZE marketplace_listing")
        # Not ANALYZE on the emptied order tables: statistics saying "empty" make every
        # connection cache sequential-scan plans for the foreign-key checks on them (measured:
        # 74 pages read per check, ~0.6 ms per order), which no live marketplace ever sees.


# -- HTTP load -----------------------------------------------------------------------------------


def start_server(port: int, workers: int) -> subprocess.Popen:
    """gunicorn as bench/catalog.py starts it, given longer to come up (many workers, busy machine)."""
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "ewtp.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, **ENV},
    )
    deadline = time.time() + 180
    while time.time() < deadline and server.poll() is None:
        try:
            if catalog.request(port, "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def post(port: int, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Carts:
    """3-line carts spanning 2 shops: 2 lines from one shop, 1 from another, quantities 1–2."""

    def __init__(self, pools: dict[int, list[int]], tokens: list[str], seed: int) -> None:
        self.pools = [pool for pool in pools.values() if len(pool) >= 2]
        self.tokens = tokens
        self.rng = random.Random(seed)

    def next(self, extra: int | None = None) -> tuple[bytes, dict]:
        rng = self.rng
        first, second = rng.sample(self.pools, 2)
        products = [*rng.sample(first, 2), rng.choice(second)]
        if extra is not None:  # the race: the scarce listing replaces the single line
            products[2] = extra
        body = {
            "items": [
                {"product": pk, "quantity": 1 if pk == extra else rng.randint(1, 2)} for pk in products
            ],
            "ship_to": ship_to(),
            "currency": CURRENCY,
            "preference": rng.choice(["fastest", "cheapest", "balanced"]),
        }
        headers = {
            "Content-Type": "application/json",
            "Accept-Language": "en",
            "Authorization": f"Token {rng.choice(self.tokens)}",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        return json.dumps(body).encode(), headers


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


def place_orders(
    port: int,
    path: str,
    pools: dict[int, list[int]],
    tokens: list[str],
    clients: int,
    duration: float,
    *,
    stop_event: threading.Event | None = None,
    rate: float | None = None,
) -> dict:
    """`clients` threads posting orders for `duration` s (or until `stop_event`); `rate` paces them."""
    latencies: list[float] = []
    codes: dict[int, int] = {}
    lock = threading.Lock()
    stop = time.perf_counter() + duration

    def worker(index: int) -> None:
        carts = Carts(pools, tokens, seed=index * 7919 + int(time.time()))
        local: list[float] = []
        local_codes: dict[int, int] = {}
        interval = clients / rate if rate else 0.0
        next_at = time.perf_counter() + random.random() * interval
        while time.perf_counter() < stop and not (stop_event and stop_event.is_set()):
            if interval:
                delay = next_at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                next_at += interval
            body, headers = carts.next()
            t0 = time.perf_counter()
            status, answer = post(port, path, body, headers)
            local.append(time.perf_counter() - t0)
            local_codes[status] = local_codes.get(status, 0) + 1
            if status != 201 and local_codes[status] == 1:
                print(f"  {path} answered {status}: {answer[:200]!r}", flush=True)
        with lock:
            latencies.extend(local)
            for code, count in local_codes.items():
                codes[code] = codes.get(code, 0) + count

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "n": len(latencies),
        "ok": codes.get(201, 0),
        "codes": codes,
        "p50": percentile(latencies, 0.50) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "rps": codes.get(201, 0) / elapsed,
    }


def race(port: int, data: dict, clients: int) -> dict:
    """`clients` buyers keep ordering carts that each take 1 of 2 scarce listings until all 409."""
    codes: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + 30

    def worker(index: int) -> None:
        carts = Carts(data["app"], data["tokens"], seed=10_000 + index)
        refusals = 0
        while refusals < 3 and time.perf_counter() < deadline:
            body, headers = carts.next(extra=carts.rng.choice(data["scarce"]))
            status, _ = post(port, "/api/v1/orders/", body, headers)
            with lock:
                codes[status] = codes.get(status, 0) + 1
            refusals += status == 409

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


# -- checks --------------------------------------------------------------------------------------


def oversell_check(data: dict) -> dict:
    """Ordered quantities equal the stock taken, listing by listing; no stock below zero."""
    from django.db.models import Count, Sum

    from marketplace.models import Listing, Order, OrderLine

    app_ids = [pk for pool in data["app"].values() for pk in pool]
    ordered = dict(
        OrderLine.objects.filter(listing_id__in=app_ids + data["scarce"])
        .values("listing_id")
        .annotate(q=Sum("quantity"))
        .values_list("listing_id", "q")
    )
    stock = dict(Listing.objects.filter(pk__in=app_ids + data["scarce"]).values_list("pk", "stock"))
    mismatches = [
        pk
        for pk, left in stock.items()
        if (SCARCE_STOCK if pk in data["scarce"] else STOCK) - left != ordered.get(pk, 0)
    ]
    baseline_ids = [pk for pool in data["baseline"].values() for pk in pool]
    baseline_taken = sum(
        STOCK - left for left in Listing.objects.filter(pk__in=baseline_ids).values_list("stock", flat=True)
    )
    line_counts = Order.objects.filter(number__startswith="O-").annotate(n=Count("consignments__lines"))
    return {
        "app_orders": Order.objects.filter(number__startswith="O-").count(),
        "baseline_orders": Order.objects.filter(number__startswith="B-").count(),
        "units_ordered": sum(ordered.values()),
        "units_taken": sum(
            (SCARCE_STOCK if pk in data["scarce"] else STOCK) - left for pk, left in stock.items()
        ),
        "mismatched_listings": len(mismatches),
        "negative_stock": Listing.objects.filter(stock__lt=0).count(),
        "scarce_left": [stock[pk] for pk in data["scarce"]],
        "scarce_sold": [ordered.get(pk, 0) for pk in data["scarce"]],
        "orders_without_3_lines": line_counts.exclude(n=3).count(),
        "baseline_units_taken": baseline_taken,
    }


def queries_per_order(data: dict) -> dict:
    """One order through the full stack in this process (same settings), its SQL counted."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, path, pools in (
        ("orders API", "/api/v1/orders/", data["app"]),
        ("baseline", "/bench/baseline/order/", data["baseline"]),
    ):
        carts = Carts(pools, data["tokens"], seed=42)
        for attempt in range(2):  # the first warms per-process caches (planner, rates)
            body, headers = carts.next()
            extra = {f"HTTP_{key.upper().replace('-', '_')}": value for key, value in headers.items()}
            extra.pop("HTTP_CONTENT_TYPE")
            with CaptureQueriesContext(connection) as captured:
                response = client.post(path, body, content_type="application/json", **extra)
            assert response.status_code == 201, response.content[:300]
            counts[name if attempt else f"{name} (cold process)"] = len(captured.captured_queries)
            if attempt and os.environ.get("BENCH_SHOW_QUERIES"):
                for query in captured.captured_queries:
                    print("   ", query["sql"][:160])
    return counts


def profile(data: dict, count: int) -> None:
    """`count` orders in this process under pyinstrument (requirements-dev.txt), the tree printed."""
    from django.test import Client
    from pyinstrument import Profiler

    client = Client(HTTP_HOST="127.0.0.1")
    carts = Carts(data["app"], data["tokens"], seed=7)

    def one() -> None:
        body, headers = carts.next()
        extra = {f"HTTP_{key.upper().replace('-', '_')}": value for key, value in headers.items()}
        extra.pop("HTTP_CONTENT_TYPE")
        response = client.post("/api/v1/orders/", body, content_type="application/json", **extra)
        assert response.status_code == 201, response.content[:300]

    for _ in range(5):
        one()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        one()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{count} orders in process: {wall * 1000 / count:.1f} ms wall, {cpu * 1000 / count:.1f} ms CPU")
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(count):
            one()
    print(profiler.output_text(unicode=True, color=False))


def cpu_per_order(data: dict, count: int, rounds: int = 8) -> None:
    """CPU (this process: middleware, DRF, services, ORM; not PostgreSQL's) and wall time per
    order in process, in `rounds` blocks of `count` orders interleaved with as many bare baseline
    orders. The least of the blocks is the figure least disturbed by other work on the machine;
    compare branches with it, in the same minutes."""
    import statistics

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")

    def block(path: str, pools: dict, seed: int) -> tuple[float, float]:
        carts = Carts(pools, data["tokens"], seed=seed)
        requests = []
        for _ in range(count):
            body, headers = carts.next()
            extra = {f"HTTP_{key.upper().replace('-', '_')}": value for key, value in headers.items()}
            extra.pop("HTTP_CONTENT_TYPE")
            requests.append((body, extra))
        wall, cpu = time.perf_counter(), time.process_time()
        for body, extra in requests:
            response = client.post(path, body, content_type="application/json", **extra)
            assert response.status_code == 201, response.content[:300]
        return (time.process_time() - cpu) * 1000 / count, (time.perf_counter() - wall) * 1000 / count

    block("/api/v1/orders/", data["app"], 1)  # warm: planner, rates, import rules, locale data
    block("/bench/baseline/order/", data["baseline"], 1)
    app, base = [], []
    for index in range(rounds):
        app.append(block("/api/v1/orders/", data["app"], 100 + index))
        base.append(block("/bench/baseline/order/", data["baseline"], 200 + index))
    for name, blocks in (("orders API", app), ("baseline", base)):
        cpu = [b[0] for b in blocks]
        wall = [b[1] for b in blocks]
        print(
            f"{name:10} CPU per order: least {min(cpu):6.2f} ms, median {statistics.median(cpu):6.2f} ms"
            f" | wall: least {min(wall):6.2f} ms, median {statistics.median(wall):6.2f} ms"
        )
    print(f"orders API / baseline CPU (least): {min(b[0] for b in app) / min(b[0] for b in base):.1f}×")
    print(f"load average: {load_average()}")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# -- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--clients", default="1,16", help="comma-separated client counts")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--catalog-listings", type=int, default=100_000)
    parser.add_argument("--catalog-clients", type=int, default=8)
    parser.add_argument(
        "--background-rate", type=float, default=25.0, help="orders/s placed while the catalog is measured"
    )
    parser.add_argument("--no-catalog", action="store_true", help="skip the catalog-under-load measurement")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--json", metavar="PATH", help="also write the summary as JSON (bench/report.py)")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="profile N orders in process instead of measuring"
    )
    parser.add_argument(
        "--cpu",
        type=int,
        default=0,
        metavar="N",
        help="CPU per order in process (8 blocks of N, interleaved with the baseline) instead of measuring",
    )
    args = parser.parse_args()
    client_counts = [int(c) for c in args.clients.split(",")]

    redis_server = ensure_redis()
    try:
        run(args, client_counts)
    finally:
        if redis_server is not None:
            redis_server.terminate()
            redis_server.wait(timeout=10)


def run(args: argparse.Namespace, client_counts: list[int]) -> None:
    catalog.ensure_database(args.regenerate)
    catalog.setup_django()
    data = seed(args.catalog_listings)
    reset(data)
    if args.profile:
        profile(data, args.profile)
        return
    if args.cpu:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()  # cold-process figures as in a full run
        print(queries_per_order(data))
        cpu_per_order(data, args.cpu)
        return
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # our own Redis: nothing from an earlier run
    from django.db import connection

    counts = queries_per_order(data)
    connection.close()

    port = args.port or catalog.free_port()
    loads = []
    server = start_server(port, args.workers)
    try:
        # Warm every worker (imports, planner, locale data): a cold worker's first order is slow.
        warm = 3.0 + 0.5 * args.workers
        place_orders(port, "/api/v1/orders/", data["app"], data["tokens"], args.workers, warm)
        place_orders(port, "/bench/baseline/order/", data["baseline"], data["tokens"], args.workers, 2.0)
        rows = []
        for clients in client_counts:
            loads.append(load_average())
            app = place_orders(port, "/api/v1/orders/", data["app"], data["tokens"], clients, args.duration)
            base = place_orders(
                port, "/bench/baseline/order/", data["baseline"], data["tokens"], clients, args.duration
            )
            rows.append((clients, app, base))
            print(
                f"c={clients:<3} orders {app['rps']:6.1f}/s p50 {app['p50']:6.1f} "
                f"p99 {app['p99']:6.1f} ms {app['codes']} | baseline {base['rps']:6.1f}/s "
                f"p50 {base['p50']:6.1f} p99 {base['p99']:6.1f} ms {base['codes']}"
                f" | load {load_average()}",
                flush=True,
            )
        race_codes = race(port, data, 16)
        print(
            f"race for {len(data['scarce'])}×{SCARCE_STOCK} scarce units, 16 clients: {race_codes}",
            flush=True,
        )

        catalog_rows = []
        if not args.no_catalog:
            for name, path, _baseline in catalog.SCENARIOS:
                catalog.measure(port, path, 1, 1.0)  # warm the cache for this URL
                alone = catalog.measure(port, path, args.catalog_clients, args.duration)
                loaded, background = catalog_while_ordering(args, port, path, data, "/api/v1/orders/")
                # Control: the same paced load of bare baseline orders (stock UPDATEs and an order
                # INSERT, no catalog cache invalidation).
                control, control_background = catalog_while_ordering(
                    args, port, path, data, "/bench/baseline/order/"
                )
                catalog_rows.append((name, alone, loaded, background, control, control_background))
                print(
                    f"catalog {name:30} alone {alone['rps']:6.0f} req/s p95 {alone['p95']:6.1f} ms"
                    f" | with orders {loaded['rps']:6.0f} req/s p95 {loaded['p95']:6.1f} ms"
                    f" (orders {background['rps']:.1f}/s, p99 {background['p99']:.0f} ms)"
                    f" | with baseline orders {control['rps']:6.0f} req/s p95 {control['p95']:6.1f} ms"
                    f" ({control_background['rps']:.1f}/s) | ratio {loaded['rps'] / alone['rps']:.2f}",
                    flush=True,
                )
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    check = oversell_check(data)
    report(args, rows, counts, race_codes, check, catalog_rows, loads)


def catalog_while_ordering(args: argparse.Namespace, port: int, path: str, data: dict, order_path: str):
    """The catalog measured (as bench/catalog.py does) while orders are placed at a paced rate."""
    pools = data["app"] if order_path == "/api/v1/orders/" else data["baseline"]
    stop = threading.Event()
    background: dict = {}

    def orders_in_background() -> None:
        background.update(
            place_orders(
                port, order_path, pools, data["tokens"], 4, args.duration * 3, stop_event=stop,
                rate=args.background_rate,
            )
        )  # fmt: skip

    thread = threading.Thread(target=orders_in_background)
    thread.start()
    time.sleep(1.0)
    try:
        loaded = catalog.measure(port, path, args.catalog_clients, args.duration)
    finally:
        stop.set()
        thread.join()
    return loaded, background


def report(args, rows, counts, race_codes, check, catalog_rows, loads) -> None:
    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    print()
    print(
        f"Machine: {catalog.machine()}; gunicorn {args.workers} sync workers; "
        f"{args.duration:.0f} s per cell; "
        f"load average before the cells: {', '.join(loads)}."
    )
    print()
    print(
        "| clients | orders/s | p50 ms | p99 ms | baseline orders/s | baseline p50 ms "
        "| baseline p99 ms | vs baseline |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for clients, app, base in rows:
        print(
            f"| {clients} | {app['rps']:.1f} | {app['p50']:.1f} | {app['p99']:.1f} | {base['rps']:.1f} "
            f"| {base['p50']:.1f} | {base['p99']:.1f} | {app['rps'] / base['rps']:.2f} |"
        )
    print()
    print("| queries per order | count |")
    print("|---|---:|")
    for name, count in counts.items():
        print(f"| {name} | {count} |")
    print()
    top = rows[-1]
    clients, app, base = top
    units_ok = check["units_ordered"] == check["units_taken"] and not check["mismatched_listings"]
    oversell_ok = units_ok and not check["negative_stock"] and check["scarce_left"] == [0, 0]
    print("| target | figure | verdict |")
    print("|---|---|---|")
    print(f"| ≥ 100 orders/s at {clients} clients | {app['rps']:.1f} | {verdict(app['rps'] >= 100)} |")
    print(
        f"| ≥ ¼ of the baseline's rate | {app['rps'] / base['rps']:.2f} × ({base['rps']:.1f}/s) "
        f"| {verdict(app['rps'] * 4 >= base['rps'])} |"
    )
    print(f"| p99 < 250 ms at {clients} clients | {app['p99']:.0f} ms | {verdict(app['p99'] < 250)} |")
    print(
        f"| zero oversell | {check['app_orders']} orders, {check['units_ordered']} units ordered = "
        f"{check['units_taken']} taken ({check['mismatched_listings']} listings differ), "
        f"{check['negative_stock']} negative; race for 2×{SCARCE_STOCK} scarce units: "
        f"{race_codes.get(201, 0)} × 201, {race_codes.get(409, 0)} × 409, sold {check['scarce_sold']}, "
        f"left {check['scarce_left']} | {verdict(oversell_ok)} |"
    )
    for name, alone, loaded, background, control, control_background in catalog_rows:
        ratio = loaded["rps"] / alone["rps"]
        print(
            f"| catalog '{name}' ({args.catalog_clients} clients) keeps ≥ ½ while "
            f"{background['rps']:.0f} orders/s are placed | {alone['rps']:.0f} → {loaded['rps']:.0f} req/s "
            f"({ratio:.2f}), p95 {alone['p95']:.0f} → {loaded['p95']:.0f} ms; control, "
            f"{control_background['rps']:.0f} bare orders/s: {control['rps']:.0f} req/s "
            f"({control['rps'] / alone['rps']:.2f}) | {verdict(ratio >= 0.5)} |"
        )
    print()
    print(f"checks: {check}")
    summary_rows = [
        row(f"orders/s at {clients} clients", f"{app['rps']:.1f}", "≥ 100", app["rps"] >= 100),
        row(
            "vs the bare baseline",
            f"{app['rps'] / base['rps']:.2f}×",
            "≥ 0.25×",
            app["rps"] * 4 >= base["rps"],
        ),
        row(f"p99 at {clients} clients", f"{app['p99']:.0f} ms", "< 250 ms", app["p99"] < 250),
        row(
            "zero oversell",
            f"{check['units_ordered']} units ordered = {check['units_taken']} taken",
            "exact",
            oversell_ok,
        ),
    ]
    for name, alone, loaded, background, _control, _control_background in catalog_rows:
        ratio = loaded["rps"] / alone["rps"]
        summary_rows.append(
            row(
                f"catalog '{name}' while {background['rps']:.0f} orders/s are placed",
                f"{alone['rps']:.0f} → {loaded['rps']:.0f} req/s ({ratio:.2f})",
                "≥ 0.5×",
                ratio >= 0.5,
            )
        )
    write_summary(args.json, "checkout", summary_rows, machine=catalog.machine())


if __name__ == "__main__":
    main()
