"""Real-time stock benchmark: a stream of stock changes (skewed to popular listings) while shoppers search.

    python -m bench.stock                      # 300 merchants, 50,000 listings, own engine on port 9670
    python -m bench.stock --es-url URL --prefix P --load

Prints, in one run on one engine:
1. throughput of three ways to apply the same changes: one `update` request per change, raw
   pre-serialized `_bulk` partial updates (the floor: no reads, no ordering, no log), and Panier's
   applier (changes log, compare-and-set, versions, coalescing) fed batches of one flush window;
   with the engine writes per change (coalescing gain);
2. freshness at rising rates: a probe change at random moments, timed from sending to visible through
   the search API (`/v1/products/<id>` lists stores from a search, so it waits for a refresh);
3. search p99 while the stream runs at the highest rate ÷ idle.
"""

from __future__ import annotations

import argparse
import http.client
import random
import threading
import time
from datetime import UTC, datetime, timedelta

import orjson

from bench.harness import (
    engine_or_url,
    http_caller,
    load_catalogue,
    machine,
    percentile,
    sample_ids,
    say,
    serve,
    shut_down,
    table,
)
from indexer.changes import merchant_keys
from indexer.changes.applier import Applier
from indexer.records.change_lines import stock_change
from panier_core.engine import build_client
from panier_core.settings import Settings

CLOCK = [datetime.now(UTC) - timedelta(hours=1)]  # a millisecond per change from here: stays in the past
CLOCK_LOCK = threading.Lock()


def next_time() -> datetime:
    """Strictly increasing change times, so each change is newer than the last one."""
    with CLOCK_LOCK:
        CLOCK[0] += timedelta(milliseconds=1)
        return CLOCK[0]


def skewed(rng: random.Random, ids: list[str]) -> str:
    return ids[int(len(ids) * rng.random() ** 4)]  # a few listings take most changes


def changes(rng: random.Random, ids: list[str], n: int, skew: bool = True) -> list[dict]:
    pick = (lambda: skewed(rng, ids)) if skew else (lambda: rng.choice(ids))
    return [{"id": pick(), "quantity": rng.randint(0, 40), "updated_at": next_time()} for _ in range(n)]


def per_request(es, settings, items) -> int:
    for item in items:
        doc = {"stock": {"quantity": item["quantity"]}, "in_stock": item["quantity"] > 0}
        es.update(index=settings.alias("products"), id=item["id"], doc=doc)
    return len(items)


def raw_bulk(es, settings, bodies) -> int:
    for body in bodies:
        es.bulk(operations=body, index=settings.alias("products"), filter_path="errors")
    return len(bodies)


def bulk_bodies(items: list[dict], window: int) -> list[bytes]:
    bodies = []
    for start in range(0, len(items), window):
        lines = []
        for item in items[start : start + window]:
            lines.append(b'{"update":{"_id":' + orjson.dumps(item["id"]) + b"}}")
            lines.append(
                orjson.dumps(
                    {"doc": {"stock": {"quantity": item["quantity"]}, "in_stock": item["quantity"] > 0}}
                )
            )
        bodies.append(b"\n".join(lines) + b"\n")
    return bodies


def project(applier: Applier, items: list[dict], window: int) -> int:
    for start in range(0, len(items), window):
        applier.apply([stock_change(item) for item in items[start : start + window]])
    return len(items)


METHODS = ("per-request update", "raw _bulk updates (floor)", "panier applier")


def throughput(es, settings, ids, n: int, window: int, skew: bool) -> list[tuple[str, float, float]]:
    """Each method applies fresh changes drawn the same way; returns (method, changes/s, writes/change)."""
    rng = random.Random(3)
    rows = []
    for name in METHODS:
        items = changes(rng, ids, n if name != METHODS[0] else n // 4, skew)
        applier = Applier(es, settings, source="bench")
        bodies = bulk_bodies(items, window) if name == METHODS[1] else []
        t0 = time.perf_counter()
        if name == METHODS[0]:
            per_request(es, settings, items)
            writes = len(items)
        elif name == METHODS[1]:
            raw_bulk(es, settings, bodies)
            writes = len(items)
        else:
            project(applier, items, window)
            writes = applier.stats.written
        elapsed = time.perf_counter() - t0
        rows.append((name, len(items) / elapsed, writes / len(items)))
        say(f"  {name:<28} {rows[-1][1]:>9,.0f} changes/s   writes/change {rows[-1][2]:.2f}")
    return rows


def stream(es, settings, ids, rate: float, seconds: float, window_s: float, stop: threading.Event) -> int:
    """Apply changes at ``rate``/s in flush windows of ``window_s``; returns changes sent."""
    rng = random.Random(11)
    applier = Applier(es, settings, source="bench-stream")
    sent = 0
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end and not stop.is_set():
        t0 = time.perf_counter()
        batch = changes(rng, ids, max(1, int(rate * window_s)))
        applier.apply([stock_change(item) for item in batch])
        sent += len(batch)
        time.sleep(max(0.0, window_s - (time.perf_counter() - t0)))
    return sent


def freshness(port: int, probes: dict[str, str], seconds: float) -> list[float]:
    """POST a probe stock change to the ingest endpoint at random moments (as its merchant) and time it
    until the search API shows it. ``probes`` maps listing ids to their merchant's key."""
    rng = random.Random(5)
    make = http_caller(port)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    out: list[float] = []
    t_end = time.perf_counter() + seconds
    n = 0
    listings = sorted(probes)
    while time.perf_counter() < t_end:
        n += 1
        listing = listings[n % len(listings)]
        quantity = 1000 + n
        item = {"id": listing, "quantity": quantity, "updated_at": next_time().isoformat()}
        t0 = time.perf_counter()
        headers = {"Authorization": f"ApiKey {probes[listing]}", "Content-Type": "application/json"}
        connection.request("POST", "/v1/ingest/stock", body=orjson.dumps([item]), headers=headers)
        answer = orjson.loads(connection.getresponse().read())
        if answer["results"][0]["status"] != "applied":
            raise RuntimeError(f"probe refused: {answer}")
        call = make(f"/v1/products/{listing}?stores=10")
        while True:
            page = orjson.loads(call())
            if any(s["listing_id"] == listing and s["quantity"] == quantity for s in page["stores"]):
                break
            time.sleep(0.01)
            if time.perf_counter() - t0 > 10:
                raise RuntimeError(f"probe {listing} not visible after 10 s")
        out.append((time.perf_counter() - t0) * 1000)
        time.sleep(rng.uniform(0.05, 1.0))  # not in step with the engine's refreshes
    return out


def probe_keys(es, settings, listings: list[str]) -> dict[str, str]:
    """One ingest key per probe listing's merchant (as a merchant's POS would hold)."""
    docs = es.mget(index=settings.alias("products"), ids=listings)["docs"]
    owners = {d["_id"]: d["_source"]["merchant"]["id"] for d in docs}
    made = {m: merchant_keys.create(es, settings, m, label="bench") for m in set(owners.values())}
    return {listing: made[owner] for listing, owner in owners.items()}


def searches(port: int, paths: list[str], seconds: float) -> list[float]:
    make = http_caller(port)
    calls = [make(p) for p in paths]
    out = []
    t_end = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < t_end:
        t0 = time.perf_counter()
        calls[i % len(calls)]()
        out.append((time.perf_counter() - t0) * 1000)
        i += 1
    return out


def under_stream(es, settings, args, ids, probes, paths, rate) -> tuple[float, list[float], list[float]]:
    """Stream at ``rate`` while searching and probing; returns (achieved rate, freshness, searches)."""
    stop = threading.Event()
    counted: list[int] = []
    found: list[list[float]] = []

    def write() -> None:
        counted.append(stream(es, settings, ids[:-50], rate, args.seconds, 0.05, stop))

    def search() -> None:
        found.append(searches(args.port, paths, args.seconds))

    threads = [threading.Thread(target=write), threading.Thread(target=search)]
    for t in threads:
        t.start()
    fresh = freshness(args.port, probes, args.seconds)
    for t in threads:
        t.join()
    return counted[0] / args.seconds, fresh, found[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--merchants", type=int, default=300)
    parser.add_argument("--listings", type=int, default=50_000)
    parser.add_argument("--changes", type=int, default=20_000, help="changes per throughput method")
    parser.add_argument("--window", type=int, default=500, help="changes per flush (throughput phase)")
    parser.add_argument("--rates", default="100,300,1000,3000", help="stream rates (changes/s) for freshness")
    parser.add_argument("--seconds", type=float, default=8.0, help="per rate")
    parser.add_argument("--es-url")
    parser.add_argument("--prefix", default="bench-stock-")
    parser.add_argument("--load", action="store_true")
    parser.add_argument("--port", type=int, default=8071)
    args = parser.parse_args()

    engine, url = engine_or_url(args.es_url, 9670, "panier-bench-stock-es")
    settings = Settings(es_url=url, index_prefix=args.prefix)
    es = build_client(settings).options(request_timeout=60)
    server = None
    try:
        if not args.es_url or args.load:
            load_catalogue(es, settings, args.merchants, args.listings)
        ids = sample_ids(es, settings, "products", 5000)
        server = serve(url, args.prefix, args.port)
        search_paths = [
            f"/v1/products?q={w}&near=Montr%C3%A9al&radius_km=25"
            for w in ("sirop", "fromage", "pain", "miel", "bi%C3%A8re")
        ]
        searches(args.port, search_paths, 2.0)  # warm-up
        when = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        say(f"# bench.stock {when}, {machine()}, {args.listings:,} listings")
        print("Throughput (same skewed changes, window of", args.window, "changes):")
        print(" skewed to popular listings (what the targets are about):")
        rows = throughput(es, settings, ids, args.changes, args.window, skew=True)
        print(" uniform over 5,000 listings (little to coalesce: the applier's own cost):")
        uniform = throughput(es, settings, ids, args.changes, args.window, skew=False)
        idle = searches(args.port, search_paths, 6.0)
        print(f"Search idle: p50 {percentile(idle, 0.5):.1f} ms  p99 {percentile(idle, 0.99):.1f} ms")
        print("Freshness (probe sent -> visible through the search API) and search while streaming:")
        probes = probe_keys(es, settings, ids[-50:])  # unpopular listings: the stream leaves them alone
        fresh_rows = []
        for rate in [float(r) for r in args.rates.split(",")]:
            achieved, fresh, busy = under_stream(es, settings, args, ids, probes, search_paths, rate)
            fresh_rows.append((rate, achieved, fresh, busy))
            p99 = percentile(busy, 0.99)
            say(f"  target {rate:>6,.0f}/s achieved {achieved:>7,.0f}/s  freshness p50 "
                f"{percentile(fresh, 0.5):6.0f} ms p99 {percentile(fresh, 0.99):6.0f} ms  "
                f"search p99 {p99:6.1f} ms ({p99 / percentile(idle, 0.99):.2f}× idle)")  # fmt: skip
        methods = [
            [label, name, f"{rate:,.0f}", f"{rate / found[1][1]:.2f}", f"{writes:.2f}"]
            for label, found in (("skewed", rows), ("uniform", uniform))
            for name, rate, writes in found
        ]
        headers = ["stream", "method", "changes/s", "× floor", "engine writes / change"]
        print("\n" + table(headers, methods, align="ll"))
        print(f"\nApplier vs per-request (skewed): {rows[2][1] / rows[0][1]:.1f}×")
        streams = [
            [f"{rate:,.0f}", f"{achieved:,.0f}", f"{percentile(fresh, 0.5):.0f} ms",
             f"{percentile(fresh, 0.99):.0f} ms", f"{percentile(busy, 0.99):.1f} ms",
             f"{percentile(busy, 0.99) / percentile(idle, 0.99):.2f}"]
            for rate, achieved, fresh, busy in fresh_rows
        ]  # fmt: skip
        headers = ["target rate", "achieved", "freshness p50", "p99", "search p99", "÷ idle"]
        print("\n" + table(headers, streams))
    finally:
        shut_down([server], engine)


if __name__ == "__main__":
    main()
