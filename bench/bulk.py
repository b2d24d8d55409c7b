"""Bulk-loading benchmark: the project's loader against a floor and the textbook helper.

One corpus is generated, validated and turned into product documents once, written as the exact
``_bulk`` lines the project sends (``{"create":{"_id":…}}`` + document). Each method then loads
those same documents into a fresh index built from ``mappings/products.json`` (refresh off, no
replicas), in its own process (``--child``) so that each has its own peak RSS:

- floor: the pre-serialized lines grouped into bodies of the project's chunk sizes, POSTed with
  ``es.bulk(operations=bytes, filter_path="errors")`` by 2 threads (nothing left to do client-side);
- textbook: ``elasticsearch.helpers.bulk(es, actions)`` with its defaults;
- project: ``indexer.bulk.bulk_load`` with ``BulkOptions()``.

``e2e`` times what an admin runs, ``reindex all`` through ``indexer.batch.reindex`` (validation,
documents, bulk, refresh, verify, alias swap), from the generated files to searchable aliases.

Usage: ``python -m bench.bulk --profile quick|full [--methods project,floor] [--rss-check]``;
see bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
from itertools import islice
from pathlib import Path
from typing import Any

import orjson
from elasticsearch import Elasticsearch, helpers

from indexer import aliases, batch, documents, sample, schemas
from indexer.bulk import Action, BulkOptions, bulk_load
from indexer.rejects import RejectsFile
from indexer.sources import read_records
from local_es import LocalEngine
from panier_core.engine import build_client
from panier_core.settings import Settings

PROFILES = {"smoke": (50, 5_000), "quick": (1_000, 100_000), "full": (22_000, 2_200_000)}
RSS_SIZES = ((1_000, 100_000), (4_000, 400_000))
METHODS = ("floor", "textbook", "project")
WORK = Path("/tmp/panier-bench")
ES_DATA = Path("/tmp/panier-bench-es")
PORT = 9650
PREFIX = "bench-"
INDEXED_AT = "2026-11-25T00:00:00Z"
LOADING = {"refresh_interval": "-1", "number_of_replicas": 0, "auto_expand_replicas": False}
MIB = 1024 * 1024
PACKAGES = ("elasticsearch", "elastic-transport", "orjson", "marshmallow")


class BenchError(RuntimeError):
    """A method did not index exactly the documents it was given."""


def say(*parts: Any) -> None:
    print(*parts, flush=True)


# -- corpus -----------------------------------------------------------------------------------------


def prepare(corpus: Path, merchants: int, listings: int, seed: int) -> tuple[Path, int]:
    """Generate the corpus and write its product documents as bulk lines, once; returns (file, docs)."""
    out = corpus / "products.bulk.ndjson"
    done = corpus / "prepared.count"
    if done.is_file():
        say(f"Reusing the prepared corpus in {corpus}.")
        return out, int(done.read_text())
    started = time.perf_counter()
    sample.generate(corpus, merchants=merchants, listings=listings, seed=seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    fields = {}
    for raw in read_records(corpus / "merchants.jsonl"):
        record = schemas.MERCHANT.load(raw.data)
        fields[record["id"]] = documents.merchant_fields(documents.merchant_document(record, INDEXED_AT))
    count = 0
    with open(out, "wb", buffering=1 << 20) as fh:
        for raw in read_records(corpus / "products.jsonl"):
            record = schemas.PRODUCT.load(raw.data)
            document = documents.product_document(record, fields[record["merchant_id"]], INDEXED_AT)
            # Byte for byte what indexer.bulk sends for this action.
            fh.write(b'{"create":{"_id":' + orjson.dumps(record["id"]) + b"}}\n")
            fh.write(orjson.dumps(document) + b"\n")
            count += 1
    done.write_text(str(count))
    say(
        f"Corpus: {merchants:,} merchants, {count:,} listings generated in {generated:.1f}s; "
        f"validated and built into documents in {time.perf_counter() - started:.1f}s "
        f"({out.stat().st_size / MIB:,.0f} MiB of bulk lines)."
    )
    return out, count


def read_pairs(path: Path) -> Iterator[tuple[bytes, bytes]]:
    with open(path, "rb", buffering=1 << 20) as fh:
        for header in fh:
            yield header, next(fh)


def read_documents(path: Path) -> Iterator[dict[str, Any]]:
    for _, source in read_pairs(path):
        yield orjson.loads(source)


def floor_bodies(pairs: Iterable[tuple[bytes, bytes]], options: BulkOptions) -> Iterator[tuple[bytes, int]]:
    """The project's chunking rule (bytes and documents) over lines that are already serialized."""
    parts: list[bytes] = []
    docs = size = 0
    for header, source in pairs:
        item = len(header) + len(source)
        if docs and (size + item > options.chunk_bytes or docs >= options.chunk_docs):
            yield b"".join(parts), docs
            parts, docs, size = [], 0, 0
        parts += (header, source)
        docs += 1
        size += item
    if docs:
        yield b"".join(parts), docs


# -- the three methods (child side) -----------------------------------------------------------------


def run_floor(es: Elasticsearch, index: str, bodies: Iterable[tuple[bytes, int]]) -> dict[str, int]:
    options = BulkOptions()
    client = es.options(request_timeout=options.request_timeout, max_retries=0)

    def send(item: tuple[bytes, int]) -> tuple[int, int]:
        body, docs = item
        response = client.bulk(operations=body, index=index, filter_path="errors")
        if response.get("errors"):
            raise BenchError("floor: the engine reported item errors")
        return docs, len(body)

    indexed = requests = sent = 0
    in_flight: set = set()
    with ThreadPoolExecutor(max_workers=options.concurrency) as pool:
        # Same pacing as indexer.bulk: the next body is ready while `concurrency` requests run.
        for item in bodies:
            in_flight.add(pool.submit(send, item))
            if len(in_flight) >= options.concurrency:
                done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    docs, size = future.result()
                    indexed, requests, sent = indexed + docs, requests + 1, sent + size
        for future in in_flight:
            docs, size = future.result()
            indexed, requests, sent = indexed + docs, requests + 1, sent + size
    return {"indexed": indexed, "requests": requests, "bytes_sent": sent}


def run_textbook(es: Elasticsearch, index: str, actions: Iterable[dict[str, Any]]) -> dict[str, int]:
    indexed, errors = helpers.bulk(es, actions)  # raise_on_error=True: any item error raises
    if errors:
        raise BenchError(f"textbook: {len(errors)} item errors")
    return {"indexed": indexed}


def run_project(es: Elasticsearch, index: str, actions: Iterable[Action]) -> dict[str, int]:
    result = bulk_load(es, index, actions, BulkOptions())
    if result.failures:
        raise BenchError(f"project: {result.failed} failures, first: {result.failures[0].reason}")
    return {"indexed": result.indexed, "requests": result.requests, "bytes_sent": result.bytes_sent}


def method_input(method: str, path: Path, index: str) -> Iterator[Any]:
    if method == "floor":
        return floor_bodies(read_pairs(path), BulkOptions())
    if method == "textbook":
        return ({"_index": index, "_id": d["id"], "_source": d} for d in read_documents(path))
    return (Action(d["id"], d) for d in read_documents(path))


RUNNERS: dict[str, Callable[[Elasticsearch, str, Any], dict[str, int]]] = {
    "floor": run_floor,
    "textbook": run_textbook,
    "project": run_project,
}


# -- child processes --------------------------------------------------------------------------------


def _status_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    raise BenchError(f"no {field} in /proc/self/status")


def rss_now_mib() -> float:
    return _status_mib("VmRSS:")


def peak_rss_mib() -> float:
    """This process's own peak RSS. Not ``getrusage().ru_maxrss``: Linux carries that over from the
    parent across fork and exec, so every child would report at least the parent's peak."""
    return _status_mib("VmHWM:")


def machine_busy_seconds() -> float:
    """CPU time all processes on this machine spent (user, nice, system, irq, softirq), in seconds."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return sum(int(fields[i]) for i in (0, 1, 2, 5, 6)) / os.sysconf("SC_CLK_TCK")


def engine_cpu_seconds(es: Elasticsearch, pids: list[int]) -> float:
    """The engine's CPU time: from /proc for a local engine (exact), else from node stats (cached ~1 s)."""
    if pids:
        ticks = 0
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")
    nodes = es.nodes.stats(metric="process")["nodes"].values()
    return sum(n["process"]["cpu"]["total_in_millis"] for n in nodes) / 1000


class ThreadProfiles:
    """cProfile of the calling thread and of every thread started meanwhile (bulk workers)."""

    def __init__(self) -> None:
        self.profiles: list[cProfile.Profile] = []

    def _start(self, *_: Any) -> None:
        sys.setprofile(None)
        profile = cProfile.Profile(time.thread_time)  # CPU time, not time spent waiting on sockets
        self.profiles.append(profile)
        profile.enable()

    def __enter__(self) -> ThreadProfiles:
        threading.setprofile(self._start)
        self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        threading.setprofile(None)  # type: ignore[arg-type]
        self.profiles[0].disable()

    def dump(self, path: Path) -> None:
        stats = pstats.Stats(self.profiles[0])
        for profile in self.profiles[1:]:
            stats.add(profile)
        stats.dump_stats(path)


@contextmanager
def profiled(path: str | None) -> Iterator[None]:
    if not path:
        yield
        return
    with ThreadProfiles() as profiles:
        yield
    profiles.dump(Path(path))


def child_method(args: argparse.Namespace) -> dict[str, Any]:
    method, path = args.child, Path(args.input)
    es = build_client(Settings(es_url=args.es_url))
    index = aliases.create_index(es, f"{PREFIX}{method}-products", "products", settings_override=LOADING)
    try:
        out: dict[str, Any] = {"method": method, "mode": "stream" if args.stream else "memory"}
        if args.stream:
            started = time.process_time()
            for _ in method_input(method, path, index):
                pass  # what reading (and parsing) the input costs, to read the figures against
            out["input_us"] = (time.process_time() - started) / args.expected * 1e6
            items: Iterable[Any] = method_input(method, path, index)
        else:
            items = list(method_input(method, path, index))
            gc.collect()
            gc.freeze()  # the preloaded input is not the loader's garbage to scan
        out["input_rss_mib"] = rss_now_mib()
        out["loadavg"] = os.getloadavg()[0]
        engine_before, busy = engine_cpu_seconds(es, args.engine_pids), machine_busy_seconds()
        cpu, wall = time.process_time(), time.perf_counter()
        with profiled(args.cprofile):
            counts = RUNNERS[method](es, index, items)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        engine, busy = engine_cpu_seconds(es, args.engine_pids) - engine_before, machine_busy_seconds() - busy
        # What the other engineer's tests (or anything else) took from our 2 cores meanwhile.
        out["others_cpu_pct"] = max(0.0, busy - cpu - engine) / (wall * os.cpu_count()) * 100
        started = time.perf_counter()
        es.indices.refresh(index=index)
        out["refresh_s"] = time.perf_counter() - started
        count = es.count(index=index)["count"]
        if counts["indexed"] != args.expected or count != args.expected:
            raise BenchError(
                f"{method}: expected {args.expected:,} documents, the method counted "
                f"{counts['indexed']:,} and the index holds {count:,}"
            )
        out.update(counts)
        out.update(
            docs=count,
            seconds=wall,
            docs_per_s=count / wall,
            cpu_us=cpu / count * 1e6,
            engine_cpu_us=engine / count * 1e6,
            peak_rss_mib=peak_rss_mib(),
        )
        return out
    finally:
        es.indices.delete(index=index, ignore_unavailable=True)


def child_e2e(args: argparse.Namespace) -> dict[str, Any]:
    """``panier reindex all`` as cli.py runs it (without the progress bar), from files to searchable."""
    corpus = Path(args.input)
    settings = Settings(es_url=args.es_url, index_prefix=PREFIX)
    started, cpu = time.perf_counter(), time.process_time()
    es = build_client(settings)
    engine_before, busy = engine_cpu_seconds(es, args.engine_pids), machine_busy_seconds()
    collected: dict = {}
    reports = []
    try:
        with RejectsFile(WORK / f"rejects-{os.getpid()}.jsonl") as rejects, profiled(args.cprofile):
            for kind in batch.KINDS:
                reports.append(
                    batch.reindex(
                        es, settings, kind, corpus / f"{kind}.jsonl", rejects=rejects, options=BulkOptions(),
                        merchants=collected if kind == "products" else None,
                        collect_merchants=collected if kind == "merchants" else None,
                    )
                )  # fmt: skip
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu
        engine, busy = engine_cpu_seconds(es, args.engine_pids) - engine_before, machine_busy_seconds() - busy
        hits = es.search(index=settings.alias("products"), query={"match": {"name": "sirop"}}, size=0)
        out = {
            "method": "e2e",
            "seconds": total,
            "cpu_s": cpu,
            "engine_cpu_s": engine,
            "others_cpu_pct": max(0.0, busy - cpu - engine) / (total * os.cpu_count()) * 100,
            "peak_rss_mib": peak_rss_mib(),
            "rejected": rejects.count,
            "search_hits": hits["hits"]["total"]["value"],
            "loadavg": os.getloadavg()[0],
        }
        for report in reports:
            out[report.kind] = {
                "read": report.read,
                "indexed": report.indexed,
                "rejected": report.rejected,
                "seconds": report.seconds,
                "docs_per_s": report.docs_per_second,
                "searchable": es.count(index=settings.alias(report.kind))["count"],
            }
        if args.expected and out["products"]["searchable"] != args.expected:
            raise BenchError(
                f"e2e: {out['products']['searchable']:,} products searchable, not {args.expected:,}"
            )
        return out
    finally:
        names = [settings.alias(aliases.LOCK_INDEX)]
        for kind in batch.KINDS:
            names += aliases.versioned_indices(es, settings.alias(kind))
        es.indices.delete(index=",".join(names), ignore_unavailable=True)


def spawn(args: argparse.Namespace, child: str, path: Path, expected: int, stream: bool) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter (its own peak RSS); returns what it printed."""
    cmd = [sys.executable, "-m", "bench.bulk", "--child", child, "--input", str(path),
           "--expected", str(expected), "--es-url", args.es_url]  # fmt: skip
    if stream:
        cmd.append("--stream")
    cmd += [f"--engine-pid={pid}" for pid in args.engine_pids]
    if args.cprofile and child in ("project", "e2e"):
        cmd += ["--cprofile", f"{args.cprofile}.{child}"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent)
    if proc.returncode != 0:
        raise BenchError(f"{child} failed (exit {proc.returncode}); see the traceback above")
    return orjson.loads(proc.stdout.strip().splitlines()[-1])


# -- reporting (parent side) ------------------------------------------------------------------------


def environment(es: Elasticsearch, url: str) -> dict[str, str]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    jvm = es.nodes.info(metric="jvm")["nodes"].values()
    heaps = ", ".join(f"{n['jvm']['mem']['heap_max_in_bytes'] / 2**30:.1f} GiB" for n in jvm)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, "
        f"{mem_kib / 2**20:.1f} GiB RAM, load average {os.getloadavg()[0]:.2f} at start",
        "engine": f"Elasticsearch {es.info()['version']['number']} at {url}, heap {heaps}",
        "python": f"Python {platform.python_version()}, "
        + ", ".join(f"{p} {metadata.version(p)}" for p in PACKAGES),
    }


def table(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---:" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def fmt(value: Any, spec: str = ",.0f") -> str:
    return "–" if value is None else format(value, spec)


RUN_COLUMNS = (  # header, key, format
    ("method", "method", ""), ("run", "run", ""), ("input", "mode", ""), ("docs", "docs", ","),
    ("load s", "seconds", ".1f"), ("docs/s", "docs_per_s", ",.0f"), ("client CPU µs/doc", "cpu_us", ".0f"),
    ("of which input µs/doc", "input_us", ".0f"), ("engine CPU µs/doc", "engine_cpu_us", ".0f"),
    ("peak RSS MiB", "peak_rss_mib", ",.0f"), ("RSS before load MiB", "input_rss_mib", ",.0f"),
    ("requests", "requests", ","), ("MiB sent", "mib_sent", ",.0f"), ("refresh s", "refresh_s", ".1f"),
    ("other processes' CPU %", "others_cpu_pct", ".0f"), ("load avg", "loadavg", ".1f"),
)  # fmt: skip


CONTENDED_PCT = 10  # other processes took more than this share of the machine during a run


def runs_table(runs: list[dict[str, Any]]) -> str:
    runs = [r | {"run": f"{r['run']} ⚠"} if r["others_cpu_pct"] > CONTENDED_PCT else r for r in runs]
    rows = [
        [fmt(r.get(key), spec) for _, key, spec in RUN_COLUMNS]
        for r in ({"mib_sent": r["bytes_sent"] / MIB} | r if "bytes_sent" in r else r for r in runs)
    ]
    return table([header for header, _, _ in RUN_COLUMNS], rows)


def contention_note(runs: list[dict[str, Any]]) -> str:
    if not any(r["others_cpu_pct"] > CONTENDED_PCT for r in runs):
        return f"\nNo run shared the machine with more than {CONTENDED_PCT} % of CPU used by other processes."
    return (
        f"\n⚠: other processes (neither this client nor this engine) used more than {CONTENDED_PCT} % of the "
        "machine's CPU during that run."
    )


def summary_table(runs: list[dict[str, Any]]) -> str:
    rates: dict[str, list[float]] = {}
    for r in runs:
        rates.setdefault(r["method"], []).append(r["docs_per_s"])
    best = {m: max(v) for m, v in rates.items()}
    median = {m: statistics.median(v) for m, v in rates.items()}
    rows = [[m, len(rates[m]), fmt(best[m]), fmt(median[m])] for m in METHODS if m in rates]
    if "project" in rates:
        for other in ("floor", "textbook"):
            if other in rates:
                rows.append(
                    [f"project ÷ {other}", "", f"{best['project'] / best[other]:.2f}×",
                     f"{median['project'] / median[other]:.2f}×"]
                )  # fmt: skip
    return table(["method", "runs", "best docs/s", "median docs/s"], rows)


def e2e_table(results: list[tuple[str, dict[str, Any]]]) -> str:
    rows = []
    for label, r in results:
        for kind in batch.KINDS:
            k = r[kind]
            rows.append(
                [label, kind, fmt(k["indexed"], ","), fmt(k["rejected"], ","), fmt(k["seconds"], ".1f"),
                 fmt(k["docs_per_s"]), fmt(k["searchable"], ",")]
            )  # fmt: skip
        rows.append([label, "**total, files → searchable**", "", fmt(r["rejected"], ","),
                     f"**{r['seconds']:.1f}** ({r['seconds'] / 60:.1f} min)", "", ""])  # fmt: skip
        usage = " / ".join(
            (
                f"{r['cpu_s']:.0f}",
                f"{r['engine_cpu_s']:.0f}",
                f"{r['others_cpu_pct']:.0f} %",
                fmt(r["peak_rss_mib"]),
            )
        )
        rows.append(
            [label, "client CPU s / engine CPU s / others' CPU / peak RSS MiB", "", "", usage, "", ""]
        )
    return table(["corpus", "step", "indexed", "rejected", "seconds", "docs/s", "searchable"], rows)


# -- parent -------------------------------------------------------------------------------------------


def warm_up(url: str, path: Path, docs: int = 100_000) -> None:
    """Load documents first, so that the first method measured does not pay the JVM's warm-up (JIT)."""
    es = build_client(Settings(es_url=url))
    index = aliases.create_index(es, f"{PREFIX}warmup-products", "products", settings_override=LOADING)
    try:
        run_floor(es, index, floor_bodies(islice(read_pairs(path), docs), BulkOptions()))
    finally:
        es.indices.delete(index=index)


def run_profile(args: argparse.Namespace, out: list[str]) -> None:
    merchants, listings = PROFILES[args.profile]
    stream = args.stream if args.stream is not None else args.profile == "full"
    repeat = args.repeat or (1 if args.profile == "full" else 2)
    methods = [m.strip() for m in args.methods.split(",")]
    path, docs = prepare(WORK / f"{args.profile}-{args.seed}", merchants, listings, args.seed)
    say(
        "Input: "
        + (
            "streamed from the prepared file by each method (all documents in memory would not fit "
            "comfortably); 'of which input' is the CPU that reading and parsing it costs."
            if stream
            else "all documents loaded in memory before timing (floor: bodies already joined)."
        )
    )
    warm_up(args.es_url, path)
    runs = []
    for run in range(1, repeat + 1):
        for method in methods:
            say(f"… {method} run {run}")
            result = spawn(args, method, path, docs, stream) | {"run": run}
            say(
                f"   {result['docs']:,} docs in {result['seconds']:.1f}s = {result['docs_per_s']:,.0f} "
                f"docs/s; {result['docs']:,} counted after refresh, as expected"
            )
            runs.append(result)
    title = f"### Bulk methods, {args.profile} profile ({docs:,} listings)"
    out += [title, "", runs_table(runs), contention_note(runs), "", summary_table(runs), ""]
    if not args.no_e2e:
        say("… e2e reindex all")
        e2e = spawn(args, "e2e", path.parent, docs, stream)
        out += [f"### End to end, `reindex all` ({merchants:,} merchants, {docs:,} listings)", "",
                e2e_table([(args.profile, e2e)]), ""]  # fmt: skip


RSS_COLUMNS = (
    "listings",
    "project docs/s",
    "client CPU µs/doc",
    "project peak RSS MiB",
    "RSS before load MiB",
    "others' CPU %",
    "reindex all: products docs/s",
    "reindex all: peak RSS MiB",
)


def run_rss_check(args: argparse.Namespace, out: list[str]) -> None:
    rows, e2e = [], []
    for merchants, listings in RSS_SIZES:
        path, docs = prepare(WORK / f"rss-{listings}-{args.seed}", merchants, listings, args.seed)
        warm_up(args.es_url, path)
        say(f"… project (streamed) at {docs:,}")
        r = spawn(args, "project", path, docs, stream=True)
        say(f"… e2e at {docs:,}")
        e = spawn(args, "e2e", path.parent, docs, stream=True)
        e2e.append((f"{docs:,}", e))
        values = (
            docs,
            r["docs_per_s"],
            r["cpu_us"],
            r["peak_rss_mib"],
            r["input_rss_mib"],
            r["others_cpu_pct"],
            e["products"]["docs_per_s"],
            e["peak_rss_mib"],
        )
        rows.append([fmt(v) for v in values])
    out += [
        "### RSS as the corpus grows (project loader, documents streamed)",
        "",
        table(list(RSS_COLUMNS), rows),
        "",
        e2e_table(e2e),
        "",
    ]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.bulk", description=__doc__.split("\n\n")[0])
    p.add_argument("--profile", choices=sorted(PROFILES), default="quick")
    p.add_argument(
        "--methods", default=",".join(METHODS), help="comma-separated subset of floor,textbook,project"
    )
    p.add_argument(
        "--repeat", type=int, default=0, help="runs per method (default 2 quick, 1 full), interleaved"
    )
    p.add_argument(
        "--rss-check", action="store_true", help="project loader and reindex at 100k and 400k listings"
    )
    p.add_argument("--no-e2e", action="store_true", help="skip the end-to-end reindex all")
    stream = p.add_mutually_exclusive_group()
    stream.add_argument("--stream", action="store_true", default=None, help="stream input (default for full)")
    stream.add_argument("--memory", dest="stream", action="store_false", help="preload input (default quick)")
    p.add_argument("--es-url", help="use this engine instead of starting one on port 9650")
    p.add_argument("--heap", help="heap of the started engine (default PANIER_ES_HEAP or 1g)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--keep-corpus", action="store_true", help=f"leave the corpora in {WORK} for the next run")
    p.add_argument(
        "--cprofile", help="write cProfiles (thread CPU time) of project and e2e to PATH.project, PATH.e2e"
    )
    p.add_argument(
        "--engine-pid", dest="engine_pids", type=int, action="append", default=[], help=argparse.SUPPRESS
    )
    p.add_argument("--child", choices=[*METHODS, "e2e"], help=argparse.SUPPRESS)
    p.add_argument("--input", help=argparse.SUPPRESS)
    p.add_argument("--expected", type=int, default=0, help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.child:
        result = child_e2e(args) if args.child == "e2e" else child_method(args)
        print(orjson.dumps(result).decode(), flush=True)
        return 0
    engine = None
    if not args.es_url:
        settings = Settings.from_env()
        engine = LocalEngine(
            home=settings.local_es_home,
            http_port=PORT,
            heap=args.heap or settings.local_es_heap,
            data_root=ES_DATA,
        )
        engine.start(clean=True, log=say)
        args.es_url = engine.url
        args.engine_pids = [node.pid for node in engine.status().nodes if node.alive and node.pid]
    WORK.mkdir(parents=True, exist_ok=True)
    try:
        es = build_client(Settings(es_url=args.es_url))
        env = environment(es, args.es_url)
        out = ["## Bulk-loading benchmark", ""] + [f"- {k}: {v}" for k, v in env.items()] + [""]
        say("\n".join(out))
        (run_rss_check if args.rss_check else run_profile)(args, out)
        say("\n" + "\n".join(out))
        return 0
    finally:
        if engine is not None:
            engine.stop()
            shutil.rmtree(ES_DATA, ignore_errors=True)
        if not args.keep_corpus:
            shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
