"""Bulk-loading benchmark: the project's loader against a floor and the textbook helper.

One corpus is generated, validated and turned into product documents once, written as the exact
``_bulk`` lines the project sends (``{"create":{"_id":…}}`` + document). Each method then loads
those same documents into a fresh index built from ``mappings/products.json`` (refresh off, no
replicas), in its own process (``--child``) so that each has its own peak RSS:

- floor: the pre-serialized lines grouped into bodies of the project's chunk sizes, POSTed with
  ``es.bulk(operations=bytes, filter_path="errors")`` by 2 threads (nothing left to do client-side);
- textbook: ``elasticsearch.helpers.bulk(es, actions)`` with its defaults;
- project: ``indexer.batch.loader.bulk_load`` with ``BulkOptions()``.

``e2e`` times what an admin runs, ``reindex all`` through ``indexer.batch.reindexing.reindex`` (validation,
documents, bulk, refresh, verify, alias swap), from the generated files to searchable aliases.

The corpus is in ``bench.bulk_corpus``, the methods and their child processes in
``bench.bulk_methods``, the tables in ``bench.bulk_report``.

Usage: ``python -m bench.bulk --profile quick|full [--methods project,floor] [--rss-check]``;
see bench/README.md.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson

from bench.bulk_corpus import WORK, prepare
from bench.bulk_methods import METHODS, BenchError, child_e2e, child_method, warm_up
from bench.bulk_report import (
    RSS_COLUMNS,
    contention_note,
    e2e_table,
    environment,
    fmt,
    runs_table,
    summary_table,
)
from bench.harness import engine_pids, own_engine, say, shut_down, table
from panier_core.engine import build_client
from panier_core.settings import Settings

PROFILES = {"smoke": (50, 5_000), "quick": (1_000, 100_000), "full": (22_000, 2_200_000)}
RSS_SIZES = ((1_000, 100_000), (4_000, 400_000))
PORT = 9650
ES_DATA = "panier-bench-es"  # the started engine's data, under the temporary directory


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
        engine = own_engine(PORT, ES_DATA, heap=args.heap)
        args.es_url = engine.url
        args.engine_pids = engine_pids(engine)
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
        shut_down([], engine)
        if not args.keep_corpus:
            shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
