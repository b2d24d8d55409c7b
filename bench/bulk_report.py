"""The bulk benchmark's results as Markdown, ready to paste into docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import statistics
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil
from elasticsearch import Elasticsearch

from bench.bulk_corpus import MIB
from bench.bulk_methods import METHODS
from bench.harness import table
from indexer.batch import reindexing

PACKAGES = ("elasticsearch", "elastic-transport", "orjson", "marshmallow")
CONTENDED_PCT = 10  # other processes took more than this share of the machine during a run


def environment(es: Elasticsearch, url: str) -> dict[str, str]:
    # The CPU's model name is in no API (psutil has none; platform.processor() is "" or "x86_64").
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    memory = psutil.virtual_memory().total
    jvm = es.nodes.info(metric="jvm")["nodes"].values()
    heaps = ", ".join(f"{n['jvm']['mem']['heap_max_in_bytes'] / 2**30:.1f} GiB" for n in jvm)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, "
        f"{memory / 2**30:.1f} GiB RAM, load average {os.getloadavg()[0]:.2f} at start",
        "engine": f"Elasticsearch {es.info()['version']['number']} at {url}, heap {heaps}",
        "python": f"Python {platform.python_version()}, "
        + ", ".join(f"{p} {metadata.version(p)}" for p in PACKAGES),
    }


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
        for kind in reindexing.KINDS:
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
