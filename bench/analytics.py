"""What search analytics cost a search: API latency with analytics on, off, and with the analytics
engine down, in one run, on one engine, with the same queries.

    python -m bench.analytics                        # 300 merchants, 20,000 listings, 1 client thread
    python -m bench.analytics --rounds 8 --requests 600
    python -m bench.analytics --es-url URL --prefix P # an already loaded catalogue (template installed)

Four `panier serve` processes (gunicorn, 2 workers × 8 threads each) answer the same search mix
(bench/query_mix.py's, lookups left out since they are not recorded): PANIER_ANALYTICS=off, on, on
with PANIER_ANALYTICS_ES_URL pointing at a port where nothing listens ("down"), and off again ("off-b":
its difference from "off" is what two identical servers differ by, the noise floor). They take
turns in short rounds (the order rotates each round), so that the machine's other load falls on all
alike. Also measured in-process: the time the app's request hooks take with analytics off and on,
`Recorder.record` alone, and the flusher's CPU per event. Prints Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import socket
import statistics
import subprocess
import time
import urllib.request
from dataclasses import replace

from bench.api import run_load
from bench.harness import (
    engine_or_url,
    http_caller,
    load_catalogue,
    machine,
    percentile,
    percentiles,
    sample_ids,
    say,
    serve,
    shut_down,
    table,
)
from bench.query_mix import api_path, query_mix
from indexer.engine import bulk_items, search_events
from panier_core.engine import build_client
from panier_core.settings import Settings
from query_api import analytics, places

logging.getLogger("query_api.analytics").setLevel(logging.ERROR)  # the in-process measures' dead engine

# "off-b" is a second server with analytics off: its difference from "off" is the noise floor.
CONFIGS = ("off", "on", "down", "off-b")
SEARCH_KINDS = ("products", "merchants", "suggest", "facets", "map")


def dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def start_server(url: str, prefix: str, port: int, config: str) -> subprocess.Popen:
    env = {"PANIER_ANALYTICS": "off" if config.startswith("off") else "on"}
    if config == "down":
        env["PANIER_ANALYTICS_ES_URL"] = dead_url()
    return serve(url, prefix, port, **env)


def analytics_counts(port: int) -> dict[str, float]:
    from prometheus_client.parser import text_string_to_metric_families

    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    counts: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == "panier_analytics_events_recorded_total":
                counts["recorded"] = s.value
            elif s.name == "panier_analytics_events_dropped_total" and s.value:
                counts[f"dropped {s.labels['reason']}"] = s.value
    return counts


def request_path_cost(settings: Settings, n: int = 200_000) -> tuple[float, float]:
    """µs per `Recorder.record` call (what a search pays) and µs of flusher CPU per event built."""
    search = analytics.Search(
        "products",
        {"q": "sirop d'érable", "near": "Trois-Rivières", "in_stock": True, "sort": "relevance", "page": 1},
        {"near": "Trois-Rivières", "lat": 46.3432, "lon": -72.5418, "radius_km": 25.0},
        42,
        7,
    )
    t0 = time.process_time()
    docs = [analytics.event_document(search, 1_795_000_000.0, 3.2) for _ in range(20_000)]
    bulk_items.create_body(docs)
    per_event = (time.process_time() - t0) / 20_000 * 1e6
    # A flusher that never runs during the measure, and a queue that never fills.
    recorder = analytics.Recorder(settings, queue_size=n + 1, interval=3600, batch_size=n + 1)
    recorder.record(search, time.time(), 1.0)  # starts the thread outside the measure
    t0 = time.perf_counter()
    for _ in range(n):
        recorder.record(search, 1_795_000_000.0, 3.2)
    per_record = (time.perf_counter() - t0) / n * 1e6
    return per_record, per_event


def hooks_cost(settings: Settings, n: int = 50_000) -> dict[str, float]:
    """µs per search spent in the app's request hooks (metrics in both), analytics off and on."""
    from flask import g

    from query_api import create_app

    search = analytics.Search("merchants", {"q": "pain", "sort": "relevance", "page": 1}, None, 3, 2)
    out: dict[str, float] = {}
    for config in ("off", "on", "off", "on"):  # twice each, interleaved; the lower of the two
        app = create_app(replace(settings, analytics=config == "on", analytics_es_url=dead_url()))
        if config == "on":  # a flusher that does not run during the measure
            app.extensions[analytics.EXTENSION] = analytics.Recorder(
                replace(settings, analytics_es_url=dead_url()),
                queue_size=n + 1,
                interval=3600,
                batch_size=n + 1,
            )
        response = app.response_class("{}", mimetype="application/json")
        with app.test_request_context("/v1/merchants?q=pain"):
            t0 = time.perf_counter()
            for _ in range(n):
                app.preprocess_request()
                g.search_event = search
                app.process_response(response)
            cost = (time.perf_counter() - t0) / n * 1e6
        out[config] = min(cost, out.get(config, cost))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--es-url", help="use this engine (loaded under --prefix) instead of starting one")
    parser.add_argument("--prefix", default="benchan-")
    parser.add_argument("--es-port", type=int, default=9690, help="HTTP port of the engine it starts")
    parser.add_argument("--merchants", type=int, default=300)
    parser.add_argument("--listings", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=6, help="turns of each configuration")
    parser.add_argument("--requests", type=int, default=500, help="requests per configuration per round")
    parser.add_argument("--threads", type=int, default=1, help="client threads (1: latency without queueing)")
    parser.add_argument("--port", type=int, default=8775, help="first of four API ports")
    args = parser.parse_args()

    engine, url = engine_or_url(args.es_url, args.es_port, "panier-bench-analytics-es")
    settings = Settings(es_url=url, index_prefix=args.prefix)
    es = build_client(settings).options(request_timeout=60)
    servers: dict[str, subprocess.Popen] = {}
    ports = {config: args.port + i for i, config in enumerate(CONFIGS)}
    latencies: dict[str, list[float]] = {config: [] for config in CONFIGS}
    seconds: dict[str, float] = dict.fromkeys(CONFIGS, 0.0)
    round_p50: dict[str, list[float]] = {config: [] for config in CONFIGS}
    try:
        if not args.es_url:
            load_catalogue(es, settings, args.merchants, args.listings)
        aliases = f"{settings.alias('merchants')},{settings.alias('products')}"
        es.options(request_timeout=600).indices.forcemerge(index=aliases, max_num_segments=1)
        say(f"template: {search_events.install(es, settings)}")
        places.quebec_places()
        rng = random.Random(7)
        mix = [
            (kind, params)
            for kind, params in query_mix(
                rng,
                args.requests * 7 // 5 + 7,
                sample_ids(es, settings, "merchants", 50),
                sample_ids(es, settings, "products", 50),
            )
            if kind in SEARCH_KINDS
        ][: args.requests]
        for config in CONFIGS:
            servers[config] = start_server(url, args.prefix, ports[config], config)
        calls = {
            config: [(kind, http_caller(ports[config])(api_path(kind, params))) for kind, params in mix]
            for config in CONFIGS
        }
        for config in CONFIGS:  # warm-up: connections, caches, each worker's flusher thread
            run_load(calls[config][:150], args.threads)
        for r in range(args.rounds):
            order = CONFIGS[r % len(CONFIGS) :] + CONFIGS[: r % len(CONFIGS)]
            for config in order:
                result, elapsed, _ = run_load(calls[config], args.threads)
                this_round = [x for values in result.values() for x in values]
                latencies[config].extend(this_round)
                round_p50[config].append(percentile(this_round, 0.5))
                seconds[config] += elapsed
            say(f"round {r + 1}/{args.rounds} done")
        time.sleep(2.5)  # the flushers' last round (every second)
        counts = {config: analytics_counts(ports[config]) for config in CONFIGS}
        hooks = hooks_cost(settings)
        record_us, event_us = request_path_cost(
            replace(settings, analytics=True, analytics_es_url=dead_url())
        )
        load = os.getloadavg()
    finally:
        shut_down(servers.values(), engine)

    print(
        f"\n# Search analytics overhead — {time.strftime('%Y-%m-%d')}, {args.merchants:,} merchants, "
        f"{args.listings:,} listings"
    )
    print(
        f"machine: {machine()}; {args.threads} client thread(s); each API gunicorn 2 workers × 8 "
        f"threads; {args.rounds} rounds × {args.requests} searches per configuration; load average at the "
        f"end {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}"
    )
    summary = {}
    rows = []
    for config in CONFIGS:
        values = latencies[config]
        p50, p90, p99 = summary[config] = percentiles(values)
        events = ", ".join(f"{k} {v:,.0f}" for k, v in counts[config].items()) or "none"
        rate = f"{len(values) / seconds[config]:,.0f}"
        rows.append([config, f"{len(values):,}", f"{p50:.2f}", f"{p90:.2f}", f"{p99:.2f}", rate, events])
    headers = ["analytics", "searches", "p50 ms", "p90 ms", "p99 ms", "requests/s", "events"]
    print("\n" + table(headers, rows, align="lrrrrrl"))
    off = summary["off"]
    for config in ("on", "down", "off-b"):
        diff = [a - b for a, b in zip(summary[config], off, strict=True)]
        paired = statistics.median(a - b for a, b in zip(round_p50[config], round_p50["off"], strict=True))
        print(
            f"\n{config} − off: p50 {diff[0]:+.3f} ms (median of the per-round p50 "
            f"differences {paired:+.3f} ms), p90 {diff[1]:+.3f} ms, p99 {diff[2]:+.3f} ms"
        )
    print(
        f"\nrequest path, in process: the app's request hooks {hooks['off']:.1f} µs per search with "
        f"analytics off, {hooks['on']:.1f} µs on ({hooks['on'] - hooks['off']:+.1f} µs), of which "
        f"Recorder.record {record_us:.2f} µs; "
        f"flusher CPU {event_us:.1f} µs per event (document + NDJSON), off the request path"
    )


if __name__ == "__main__":
    main()
