"""The bulk benchmark's measurements, each run in a process of its own (``--child``): the three
loading methods, and ``reindex all`` end to end."""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch, helpers

from bench.bulk_corpus import WORK, floor_bodies, read_documents, read_pairs
from bench.harness import engine_cpu_seconds, machine_busy_seconds, others_cpu_pct, peak_rss_mib, rss_now_mib
from indexer.batch import reindexing
from indexer.batch.loader import Action, BulkOptions, bulk_load
from indexer.engine import aliases, locks
from indexer.files.rejects import RejectsFile
from panier_core.engine import build_client
from panier_core.settings import Settings

METHODS = ("floor", "textbook", "project")
PREFIX = "bench-"
LOADING = {"refresh_interval": "-1", "number_of_replicas": 0, "auto_expand_replicas": False}


class BenchError(RuntimeError):
    """A method did not index exactly the documents it was given."""


# -- the three methods ----------------------------------------------------------------------------------


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
        # Same pacing as indexer.batch.loader: the next body is ready while `concurrency` requests run.
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


def warm_up(url: str, path: Path, docs: int = 100_000) -> None:
    """Load documents first, so that the first method measured does not pay the JVM's warm-up (JIT)."""
    es = build_client(Settings(es_url=url))
    index = aliases.create_index(es, f"{PREFIX}warmup-products", "products", settings_override=LOADING)
    try:
        run_floor(es, index, floor_bodies(islice(read_pairs(path), docs), BulkOptions()))
    finally:
        es.indices.delete(index=index)


# -- profiles -------------------------------------------------------------------------------------------


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


# -- child processes ------------------------------------------------------------------------------------


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
        out["others_cpu_pct"] = others_cpu_pct(busy, cpu, engine, wall)
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
    """``panier reindex all`` as the command runs it (without the progress bar), from files to searchable."""
    corpus = Path(args.input)
    settings = Settings(es_url=args.es_url, index_prefix=PREFIX)
    started, cpu = time.perf_counter(), time.process_time()
    es = build_client(settings)
    engine_before, busy = engine_cpu_seconds(es, args.engine_pids), machine_busy_seconds()
    reports = []
    files = [(kind, corpus / f"{kind}.jsonl") for kind in reindexing.KINDS]
    try:
        with RejectsFile(WORK / f"rejects-{os.getpid()}.jsonl") as rejects, profiled(args.cprofile):
            options = reindexing.ReindexOptions(bulk=BulkOptions())
            reports = reindexing.reindex_all(es, settings, files, rejects=rejects, options=options)
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu
        engine, busy = engine_cpu_seconds(es, args.engine_pids) - engine_before, machine_busy_seconds() - busy
        hits = es.search(index=settings.alias("products"), query={"match": {"name": "sirop"}}, size=0)
        out = {
            "method": "e2e",
            "seconds": total,
            "cpu_s": cpu,
            "engine_cpu_s": engine,
            "others_cpu_pct": others_cpu_pct(busy, cpu, engine, total),
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
        names = [settings.alias(locks.LOCK_INDEX)]
        for kind in reindexing.KINDS:
            names += aliases.versioned_indices(es, settings.alias(kind))
        es.indices.delete(index=",".join(names), ignore_unavailable=True)
