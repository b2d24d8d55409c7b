"""Query API benchmark: a shopper query mix through the API and the same engine queries sent
directly to the engine, in one run, on one engine.

    python -m bench.api --profile quick          # 1,000 merchants, 100,000 listings
    python -m bench.api --profile full           # 22,000 merchants, 2,200,000 listings
    python -m bench.api --es-url URL --prefix P  # an already loaded catalogue
    python -m bench.api --es-url URL --load      # load the profile's catalogue there first (kept)

Prints p50/p90/p99 latency and throughput per query type for both paths and the API's overhead.
The API runs under gunicorn (`panier serve`) in a subprocess; the load comes from a few client
threads with keep-alive connections. Figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import threading
import time
from collections.abc import Callable

from bench.harness import (
    catalogue_options,
    engine_or_url,
    http_caller,
    load_catalogue,
    machine,
    percentiles,
    sample_ids,
    serve,
    shut_down,
    table,
)
from bench.query_mix import api_path, direct_call, query_mix
from panier_core.engine import build_client
from panier_core.settings import Settings
from query_api import places

PROFILES = {"quick": (1_000, 100_000), "full": (22_000, 2_200_000)}


def run_load(
    calls: list[tuple[str, Callable[[], object]]], threads: int
) -> tuple[dict[str, list[float]], float, dict[str, list[float]]]:
    """Latency per kind (ms), seconds in all, and the engine's took per kind where calls return it."""
    latencies: dict[str, list[float]] = {}
    took: dict[str, list[float]] = {}
    lock = threading.Lock()
    position = iter(range(len(calls)))

    def worker() -> None:
        while True:
            with lock:
                i = next(position, None)
            if i is None:
                return
            kind, call = calls[i]
            t0 = time.perf_counter()
            engine_ms = call()
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.setdefault(kind, []).append(elapsed)
                if isinstance(engine_ms, int):
                    took.setdefault(kind, []).append(engine_ms)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies, time.perf_counter() - started, took


def measure(
    calls: dict[str, list[tuple[str, Callable[[], object]]]], threads: int, block: int
) -> dict[str, tuple[dict[str, list[float]], float, dict[str, list[float]]]]:
    """Every call of each path twice, in blocks that alternate between the paths (ABBA order), so
    that a machine getting busier or quieter during the run weighs on both alike."""
    results: dict[str, tuple[dict[str, list[float]], float, dict[str, list[float]]]] = {
        path: ({}, 0.0, {}) for path in calls
    }
    n = len(next(iter(calls.values())))
    for repeat in range(2):
        for j, start in enumerate(range(0, n, block)):
            order = list(calls) if (j + repeat) % 2 == 0 else list(reversed(calls))
            for path in order:
                latencies, seconds, took = run_load(calls[path][start : start + block], threads)
                kept_latencies, kept_seconds, kept_took = results[path]
                for kind, values in latencies.items():
                    kept_latencies.setdefault(kind, []).extend(values)
                for kind, values in took.items():
                    kept_took.setdefault(kind, []).extend(values)
                results[path] = (kept_latencies, kept_seconds + seconds, kept_took)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    catalogue_options(parser, PROFILES, prefix="benchapi-")
    parser.add_argument("--load-only", action="store_true", help="load (as --load), force-merge, stop")
    parser.add_argument("--requests", type=int, default=2_100, help="requests per path (a multiple of 7)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--block", type=int, default=70, help="requests per block; blocks alternate direct and API"
    )
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    merchants, listings = PROFILES[args.profile]
    engine, url = engine_or_url(args.es_url, 9660, "panier-bench-api-es")
    settings = Settings(es_url=url, index_prefix=args.prefix)
    es = build_client(settings).options(request_timeout=30)
    server = None
    try:
        if not args.es_url or args.load or args.load_only:
            load_catalogue(es, settings, merchants, listings)
        es.options(request_timeout=1800).indices.forcemerge(index=f"{args.prefix}*", max_num_segments=1)
        if args.load_only:
            return
        rng = random.Random(7)
        mix = query_mix(
            rng,
            args.requests,
            sample_ids(es, settings, "merchants", 200),
            sample_ids(es, settings, "products", 200),
        )
        places.quebec_places()
        server = serve(url, args.prefix, args.port)
        make = http_caller(args.port)
        api_calls = [(kind, make(api_path(kind, params))) for kind, params in mix]
        direct_calls = [(kind, direct_call(es, settings, kind, params)) for kind, params in mix]
        run_load(api_calls[:140], args.threads)  # warm-up: caches, JIT, connections
        run_load(direct_calls[:140], args.threads)
        results = measure({"direct": direct_calls, "api": api_calls}, args.threads, args.block)
    finally:
        shut_down([server], engine)

    print(
        f"\n# Query API benchmark — {time.strftime('%Y-%m-%d')}, {args.profile} profile "
        f"({merchants:,} merchants, {listings:,} listings)"
    )
    print(f"machine: {machine()}, {args.threads} client threads, gunicorn 2 workers × 8 threads")
    print(f"analytics: {os.environ.get('PANIER_ANALYTICS', 'on (default)')}; load average {os.getloadavg()}")
    summary = {}
    rows = []
    for kind in ["products", "merchants", "suggest", "facets", "map", "lookup", "all"]:
        for path in ("direct", "api"):
            latencies, _, took = results[path]
            lat = [x for k, v in latencies.items() if kind in (k, "all") for x in v]
            p50, p90, p99 = percentiles(lat)
            summary[(kind, path)] = (p50, p99)
            engine = [x for k, v in took.items() if kind in (k, "all") for x in v]
            took_ms = percentiles(engine) if engine and kind != "all" else ()
            engine_cell = " / ".join(f"{v:.0f}" for v in took_ms)
            rows.append([kind, path, len(lat), f"{p50:.2f}", f"{p90:.2f}", f"{p99:.2f}", engine_cell])
    headers = ["query", "path", "n", "p50 ms", "p90 ms", "p99 ms", "engine took p50 / p90 / p99 ms"]
    print("\n" + table(headers, rows, align="lllllll"))
    for path in ("direct", "api"):
        n = sum(len(v) for v in results[path][0].values())
        print(f"\nthroughput {path}: {n / results[path][1]:,.0f} requests/s")
    (d50, d99), (a50, a99) = summary[("all", "direct")], summary[("all", "api")]
    print(f"\nAPI overhead: p50 +{a50 - d50:.2f} ms (target ≤ 1 ms), p99 ×{a99 / d99:.2f} (target ≤ 1.25)")
    print(
        f"text+geo products p50 {summary[('products', 'api')][0]:.1f} ms (target ≤ 10), "
        f"p99 {summary[('products', 'api')][1]:.1f} ms (target ≤ 50); "
        f"type-ahead p50 {summary[('suggest', 'api')][0]:.1f} ms (target ≤ 5)"
    )
    print(json.dumps({f"{k}/{p}": v for (k, p), v in summary.items()}))


if __name__ == "__main__":
    main()
