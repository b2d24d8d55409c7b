"""What the benchmarks share: an engine of their own, a catalogue, `panier serve` in a subprocess,
HTTP callers, teardown; and what they read off a run: percentiles, CPU and memory, the machine."""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import psutil
from elasticsearch import Elasticsearch

from local_es import ES_VERSION, LocalEngine
from panier_core.settings import Settings

# -- printing -----------------------------------------------------------------------------------------


def catalogue_options(parser: argparse.ArgumentParser, profiles: Iterable[str], prefix: str) -> None:
    """The options of a bench that runs on a catalogue: its size, and an engine already loaded."""
    parser.add_argument("--profile", choices=list(profiles), default="quick")
    parser.add_argument(
        "--es-url", help="use this engine (already loaded with --prefix) instead of starting one"
    )
    parser.add_argument("--prefix", default=prefix)
    parser.add_argument(
        "--load", action="store_true", help="with --es-url: load the profile's catalogue there first (kept)"
    )


def say(*parts: Any) -> None:
    """Progress as it happens, even when stdout is a pipe."""
    print(*parts, flush=True)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], align: str = "") -> str:
    """A Markdown table; ``align`` has one letter per column, ``l`` (left) or ``r`` (right, the default)."""
    marks = ["---" if (align[i : i + 1] or "r") == "l" else "---:" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(marks) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    """Host, cores and versions, for a result's heading."""
    return (
        f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Elasticsearch {ES_VERSION}"
    )


# -- percentiles ------------------------------------------------------------------------------------

P50_P90_P99 = (0.5, 0.9, 0.99)


def percentiles(values: Sequence[float], ps: Sequence[float] = P50_P90_P99) -> tuple[float, ...]:
    """Percentiles ``ps`` (whole percents, as fractions) by linear interpolation between the two
    nearest ranks, at position (n − 1)·p of the sorted values (numpy's default, "linear"): that is
    ``statistics.quantiles(method="inclusive")``. It gives the values of the hand-written version it
    replaced to within 1e-12 (floating-point rounding only)."""
    if len(values) == 1:  # quantiles needs two points; any percentile of one value is that value
        return tuple(float(values[0]) for _ in ps)
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return tuple(cuts[round(p * 100) - 1] for p in ps)


def percentile(values: Sequence[float], p: float) -> float:
    return percentiles(values, (p,))[0]


# -- CPU and memory -----------------------------------------------------------------------------------


def engine_pids(engine: LocalEngine) -> list[int]:
    """The node processes of an engine this bench started (to read their CPU time directly)."""
    return [node.pid for node in engine.status().nodes if node.alive and node.pid]


def engine_cpu_seconds(es: Elasticsearch, pids: list[int]) -> float:
    """The engine's CPU time: from its processes for a local engine (exact), else from node stats
    (cached by the engine for about 1 s)."""
    if pids:
        times = [psutil.Process(pid).cpu_times() for pid in pids]
        return sum(t.user + t.system for t in times)
    nodes = es.nodes.stats(metric="process")["nodes"].values()
    return sum(n["process"]["cpu"]["total_in_millis"] for n in nodes) / 1000


def machine_busy_seconds() -> float:
    """CPU time all processes on this machine spent (user, nice, system, irq, softirq), in seconds."""
    times = psutil.cpu_times()
    return times.user + times.nice + times.system + times.irq + times.softirq


def others_cpu_pct(machine_s: float, own_s: float, engine_s: float, wall_s: float) -> float:
    """The share of the machine's CPUs that processes other than this one and the engine took
    meanwhile (another engineer's tests, say), in %."""
    return max(0.0, machine_s - own_s - engine_s) / (wall_s * os.cpu_count()) * 100


def rss_now_mib() -> float:
    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mib() -> float:
    """This process's own peak RSS (``VmHWM``). Not ``getrusage().ru_maxrss``: Linux carries that over
    from the parent across fork and exec, so every child would report at least the parent's peak. psutil
    does not read ``VmHWM``, hence /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


# -- an engine, a catalogue, the API --------------------------------------------------------------------


def own_engine(port: int, name: str, heap: str | None = None) -> LocalEngine:
    """A fresh local engine on ``port`` with its data in ``/tmp/<name>`` (deleted by ``shut_down``);
    heap ``heap``, else ``PANIER_ES_HEAP`` (1g)."""
    settings = Settings.from_env()
    engine = LocalEngine(
        home=settings.local_es_home,
        http_port=port,
        data_root=Path(tempfile.gettempdir()) / name,
        heap=heap or settings.local_es_heap,
    )
    engine.start(clean=True, log=say)
    return engine


def engine_or_url(es_url: str | None, port: int, name: str) -> tuple[LocalEngine | None, str]:
    """``es_url`` when given (an engine of someone else's: nothing to stop), else ``own_engine``."""
    if es_url:
        return None, es_url
    engine = own_engine(port, name)
    return engine, engine.url


def load_catalogue(es: Elasticsearch, settings: Settings, merchants: int, listings: int) -> None:
    """A generated catalogue (seed 42) through ``reindexing.reindex_all``, merchants then products."""
    from indexer.batch import reindexing
    from indexer.files.rejects import RejectsFile
    from sample_data.generator import generate

    with tempfile.TemporaryDirectory(prefix="panier-bench-api-") as tmp:
        data = Path(tmp)
        generate(data, merchants=merchants, listings=listings, seed=42)
        files = [(kind, data / f"{kind}.jsonl") for kind in reindexing.KINDS]
        with RejectsFile(data / "rejects.jsonl") as rejects:
            for report in reindexing.reindex_all(es, settings, files, rejects=rejects):
                say(f"loaded {report.indexed:,} {report.kind} in {report.seconds:.1f} s")


def sample_ids(es: Elasticsearch, settings: Settings, alias: str, n: int) -> list[str]:
    """``n`` ids of the alias's documents, the same ones on every run over the same index."""
    hits = es.search(
        index=settings.alias(alias),
        size=n,
        query={"function_score": {"random_score": {"seed": 1, "field": "_seq_no"}}},
        _source=False,
    )["hits"]["hits"]
    return [h["_id"] for h in hits]


def serve(url: str, prefix: str, port: int, **env: str) -> subprocess.Popen:
    """``panier serve`` (gunicorn, 2 workers × 8 threads) on ``port``, once its health answers."""
    environment = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    environment.update(PANIER_ES_URL=url, PANIER_INDEX_PREFIX=prefix, **env)
    command = [sys.executable, "-m", "cli", "serve", "--port", str(port), "--workers", "2", "--threads", "8"]
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(port)
    return server


def wait_ready(port: int) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the API on port {port} did not start")


def http_caller(port: int) -> Callable[[str], Callable[[], object]]:
    """``make(path)`` gives a call that GETs ``path`` on a keep-alive connection of the calling thread
    and returns the body (an error unless 200)."""
    local = threading.local()

    def make(path: str) -> Callable[[], object]:
        def call() -> object:
            conn = getattr(local, "conn", None)
            if conn is None:
                conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status} {body[:200]!r}")
            return body

        return call

    return make


def shut_down(servers: Iterable[subprocess.Popen | None], engine: LocalEngine | None) -> None:
    running = [s for s in servers if s is not None]
    for server in running:
        server.terminate()
    for server in running:
        server.wait(15)
    if engine:
        engine.stop()
        shutil.rmtree(engine.cluster_dir, ignore_errors=True)
