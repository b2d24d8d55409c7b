"""Overload benchmark: closed-loop clients at 1×, 2× and 5× capacity against `panier serve`, with
load shedding on (the default in-flight bound) and off (`PANIER_API_MAX_IN_FLIGHT=0`), side by side.

    python -m bench.overload --profile quick          # 1,000 merchants, 100,000 listings
    python -m bench.overload --es-url URL --prefix P  # an already loaded catalogue
    python -m bench.overload --es-url URL --load      # load the profile's catalogue there first (kept)

Both servers run at once (gunicorn, 2 workers × 8 threads; rate limits off, since every client
here has the same address); one is under load at a time, the two alternating at each level. 1× is
as many clients as the shedding server lets in at once (workers × bound, 8), and its throughput
without shedding is the capacity. Each client sends the bench/query_mix.py mix on its own
keep-alive connection and its next request as soon as an answer arrives; after a 429 or 503 it
first waits what `Retry-After` says, as a well-behaved client does (`--ignore-retry-after`: it
sends again at once, the worst case for the server). Clients run in a few processes, so that the
load generator's GIL is not what is measured. For each run: throughput and p50/p99 of the
served (200) answers, the share of 503 and 429, p99 of the refused answers, and anything else (a
500, a time-out, a reset). After the 5× burst, 1× of the clients keep going for a few seconds:
p50 per second shows how soon latency is back to normal. Figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import threading
import time
from dataclasses import dataclass

from bench.harness import (
    catalogue_options,
    engine_or_url,
    load_catalogue,
    machine,
    percentiles,
    sample_ids,
    say,
    serve,
    shut_down,
    table,
)
from bench.query_mix import api_path, query_mix
from panier_core.engine import build_client
from panier_core.settings import Settings
from query_api import places
from query_api.shedding import default_bound

PROFILES = {"smoke": (50, 5_000), "quick": (1_000, 100_000), "full": (22_000, 2_200_000)}
WORKERS, THREADS = 2, 8  # what bench.harness.serve runs
LEVELS = (1, 2, 5)
RECOVERY_SECONDS = 3
# (started at, s from the run's start; latency ms; status, 0 for an error without answer)
Record = tuple[float, float, int]


@dataclass(frozen=True)
class Clients:
    paths: list[str]  # the mix, as API paths; each client starts at a random place in it
    processes: int
    timeout: float  # s, per request
    honour_retry_after: bool  # wait what a 429/503 says before the next request


def _client(clients: Clients, port: int, start: float, stop: float, out: list) -> None:
    conn: http.client.HTTPConnection | None = None
    paths = clients.paths
    i = random.randrange(len(paths))
    while True:
        t0 = time.perf_counter()
        if t0 >= stop:
            break
        status, wait = 0, 0.0
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=clients.timeout)
            conn.request("GET", paths[i % len(paths)])
            response = conn.getresponse()
            response.read()
            status = response.status
            if clients.honour_retry_after and status in (429, 503):
                wait = float(response.getheader("Retry-After") or 0)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            if conn is not None:
                conn.close()
            conn = None
        out.append((t0 - start, (time.perf_counter() - t0) * 1000, status))
        if wait:
            time.sleep(min(wait, max(0.0, stop - time.perf_counter())))
        i += 1
    if conn is not None:
        conn.close()


def _process(clients: Clients, port: int, start: float, stops: list[float], queue) -> None:
    """One client process: a thread per client, each until its own stop time; its records."""
    out: list[Record] = []
    threads = [threading.Thread(target=_client, args=(clients, port, start, stop, out)) for stop in stops]
    while time.perf_counter() < start:
        time.sleep(0.001)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put(out)


def run(clients: Clients, port: int, stops: list[float]) -> list[Record]:
    """Clients that start together and stop at `stops` (s after the start); all their records."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    start = time.perf_counter() + 0.5  # every process ready before the first request
    n = clients.processes
    groups = [stops[i::n] for i in range(n) if stops[i::n]]
    procs = [
        ctx.Process(target=_process, args=(clients, port, start, [start + s for s in g], queue))
        for g in groups
    ]
    for p in procs:
        p.start()
    records = [r for _ in procs for r in queue.get()]
    for p in procs:
        p.join()
    return records


@dataclass
class Figures:
    served_per_s: float
    p50: float
    p99: float
    shed_503: float  # share of answers, %
    limited_429: float
    refused_p99: float | None
    other: int  # any other status, or no answer at all


def figures(records: list[Record], begin: float, end: float) -> Figures:
    kept = [r for r in records if begin <= r[0] < end]
    served = [ms for _, ms, status in kept if status == 200]
    refused = [ms for _, ms, status in kept if status in (429, 503)]
    p50, p99 = percentiles(served, (0.5, 0.99)) if served else (float("nan"),) * 2
    return Figures(
        served_per_s=len(served) / (end - begin),
        p50=p50,
        p99=p99,
        shed_503=100 * sum(s == 503 for *_, s in kept) / max(1, len(kept)),
        limited_429=100 * sum(s == 429 for *_, s in kept) / max(1, len(kept)),
        refused_p99=percentiles(refused, (0.99,))[0] if refused else None,
        other=sum(s not in (200, 429, 503) for *_, s in kept),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    catalogue_options(parser, PROFILES, prefix="benchapi-")
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of each run left out")
    parser.add_argument("--processes", type=int, default=4, help="client processes")
    parser.add_argument("--timeout", type=float, default=10.0, help="a client's time-out per request, s")
    parser.add_argument(
        "--ignore-retry-after",
        action="store_true",
        help="refused clients send their next request at once (default: they wait what Retry-After says)",
    )
    parser.add_argument("--port", type=int, default=18150, help="shedding server; +1 for the other")
    args = parser.parse_args()

    merchants, listings = PROFILES[args.profile]
    engine, url = engine_or_url(args.es_url, 9661, "panier-bench-overload-es")
    settings = Settings(es_url=url, index_prefix=args.prefix)
    es = build_client(settings).options(request_timeout=30)
    servers = []
    load_before = (0.0,)
    capacity_clients = WORKERS * default_bound(THREADS)
    results: dict[tuple[int, str], Figures] = {}
    recovery: dict[str, list[Figures]] = {}
    try:
        if not args.es_url or args.load:
            load_catalogue(es, settings, merchants, listings)
            es.options(request_timeout=1800).indices.forcemerge(index=f"{args.prefix}*", max_num_segments=1)
        mix = query_mix(
            random.Random(7),
            700,
            sample_ids(es, settings, "merchants", 200),
            sample_ids(es, settings, "products", 200),
        )
        clients = Clients(
            [api_path(kind, params) for kind, params in mix],
            args.processes,
            args.timeout,
            honour_retry_after=not args.ignore_retry_after,
        )
        places.quebec_places()
        common = {"PANIER_RATE_LIMIT": "off", "PANIER_INGEST_RATE_LIMIT": "off", "PANIER_ANALYTICS": "off"}
        ports = {"on": args.port, "off": args.port + 1}
        servers.append(serve(url, args.prefix, ports["on"], **common))
        servers.append(serve(url, args.prefix, ports["off"], PANIER_API_MAX_IN_FLIGHT="0", **common))
        for port in ports.values():  # warm-up: caches, connections
            run(clients, port, [3.0] * capacity_clients)
        length = args.warmup + args.seconds
        load_before = os.getloadavg()
        for j, level in enumerate(LEVELS):
            n_clients = level * capacity_clients
            for name in ("on", "off") if j % 2 == 0 else ("off", "on"):
                say(f"{level}× ({n_clients} clients), shedding {name}")
                stops = [length] * n_clients
                if level == LEVELS[-1]:  # 1× of the clients keep going after the burst
                    stops = [length + RECOVERY_SECONDS] * capacity_clients + stops[capacity_clients:]
                records = run(clients, ports[name], stops)
                results[level, name] = figures(records, args.warmup, length)
                if level == LEVELS[-1]:
                    recovery[name] = [
                        figures(records, length + s, length + s + 1) for s in range(RECOVERY_SECONDS)
                    ]
    finally:
        shut_down(servers, engine)

    print(
        f"\n# Overload benchmark — {time.strftime('%Y-%m-%d %H:%M')}, {args.profile} profile "
        f"({merchants:,} merchants, {listings:,} listings)\n\n{machine()}\n"
    )
    capacity = results[1, "off"].served_per_s
    print(
        f"`panier serve`: {WORKERS} workers × {THREADS} threads; shedding on = at most "
        f"{default_bound(THREADS)} requests in flight per worker (the default), off = no bound. "
        f"1× = {capacity_clients} closed-loop clients; capacity (1×, shedding off) {capacity:.0f} "
        f"served/s. {args.seconds:g} s measured per run; refused clients "
        f"{'send again at once' if args.ignore_retry_after else 'wait Retry-After'}. Load average "
        f"{load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after.\n"
    )

    def ms(value: float | None) -> str:
        return "–" if value is None else f"{value:.1f}"

    rows = []
    for level in LEVELS:
        for name in ("on", "off"):
            f = results[level, name]
            rows.append(
                (
                    f"{level}×",
                    level * capacity_clients,
                    name,
                    f"{f.served_per_s:.0f}",
                    ms(f.p50),
                    ms(f.p99),
                    f"{f.p99 / results[1, name].p99:.2f}",
                    f"{f.shed_503:.1f}",
                    f"{f.limited_429:.1f}",
                    ms(f.refused_p99),
                    f.other,
                )
            )
    headers = ["load", "clients", "shedding", "served/s", "p50 ms", "p99 ms", "p99 ÷ 1×", "503 %"]
    headers += ["429 %", "refused p99 ms", "other"]
    print(table(headers, rows))
    print(f"\nAfter the {LEVELS[-1]}× burst, {capacity_clients} clients go on (served answers per second):\n")
    rows = [
        (f"{s}–{s + 1} s", name, f"{f.served_per_s:.0f}", ms(f.p50), ms(f.p99), ms(results[1, name].p50))
        for name in ("on", "off")
        for s, f in enumerate(recovery[name])
    ]
    print(table(["after the burst", "shedding", "served/s", "p50 ms", "p99 ms", "1× p50 ms"], rows))


if __name__ == "__main__":
    main()
