"""Relevance on judged queries: nDCG@10, MRR, zero-result rate and place detection, per query class.

    python -m bench.relevance [--es-url URL] [--out FILE] [--record]

Builds the evaluation catalogue (``bench.judgments``: the sample generator, seed 42, 300 merchants
and 20,000 listings, plus the hand-written fixtures), loads it through ``reindex_all`` under an index
prefix of its own, sends every query of ``tests/relevance/judged_queries.jsonl`` through the query
API (a Flask test client, analytics off), grades the answers against the catalogue files and prints
the figures. ``--record`` rewrites ``tests/relevance/recorded.json``, the figures the default-run
test ``tests/integration/test_relevance.py`` holds the engine to. Without ``--es-url`` it starts a
local engine of its own on port 9710 and stops it at the end.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from elasticsearch import Elasticsearch

from bench import judgments as j
from bench.harness import engine_or_url, say, shut_down, table
from panier_core.engine import build_client
from panier_core.settings import Settings

PORT = 9710


def write_catalogue(directory: Path) -> tuple[Path, Path]:
    """The evaluation catalogue's ``merchants.jsonl`` and ``products.jsonl``: generated, then fixtures."""
    from sample_data.generator import generate

    generate(directory, merchants=j.MERCHANTS, listings=j.LISTINGS, seed=j.SEED)
    paths = directory / "merchants.jsonl", directory / "products.jsonl"
    for path in paths:
        with open(path, "ab") as out:
            out.write((j.FIXTURES / path.name).read_bytes())
    return paths


def load(es: Elasticsearch, settings: Settings, paths: tuple[Path, Path], directory: Path) -> None:
    from indexer.batch import reindexing
    from indexer.files.rejects import RejectsFile

    with RejectsFile(directory / "rejects.jsonl") as rejects:
        reports = reindexing.reindex_all(
            es, settings, list(zip(reindexing.KINDS, paths, strict=True)), rejects=rejects
        )
    rejected = sum(r.rejected for r in reports)
    if rejected:
        raise RuntimeError(f"the evaluation catalogue had {rejected} rejected records ({directory})")


def drop(es: Elasticsearch, settings: Settings) -> None:
    prefix = settings.index_prefix
    names = [
        n for n in es.indices.get(index=f"{prefix}*", expand_wildcards="all").body if n.startswith(prefix)
    ]
    if names:
        es.indices.delete(index=",".join(names))


@contextmanager
def evaluation_catalogue(es_url: str) -> Iterator[tuple[Settings, j.Catalogue]]:
    """The catalogue loaded under a fresh prefix (deleted afterwards), and read for grading."""
    settings = Settings(es_url=es_url, index_prefix=f"rel{uuid.uuid4().hex[:8]}-", analytics=False)
    directory = Path(tempfile.mkdtemp(prefix="panier-relevance-"))
    es = build_client(settings)
    try:
        paths = write_catalogue(directory)
        load(es, settings, paths, directory)
        yield settings, j.read_catalogue(*paths)
    finally:
        drop(es, settings)
        es.close()
        shutil.rmtree(directory, ignore_errors=True)


def run_queries(settings: Settings, catalogue: j.Catalogue, queries: list[j.JudgedQuery]) -> list[j.Outcome]:
    from query_api import create_app

    client = create_app(settings).test_client()
    outcomes = []
    for query in queries:
        response = client.get(f"/v1/{query.endpoint}?{urlencode({**query.params, 'per_page': j.K})}")
        if response.status_code != 200:
            raise RuntimeError(f"{query.id} {query.q!r}: HTTP {response.status_code} {response.get_json()}")
        outcomes.append(j.outcome(query, catalogue, response.get_json()))
    return outcomes


def evaluate(es_url: str) -> tuple[dict[str, Any], list[j.Outcome]]:
    queries = j.load_queries()
    with evaluation_catalogue(es_url) as (settings, catalogue):
        outcomes = run_queries(settings, catalogue, queries)
    return j.figures(outcomes), outcomes


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f} %"


def report(figures: dict[str, Any], outcomes: list[j.Outcome]) -> str:
    headers = [
        "class",
        "queries",
        "judged",
        "nDCG@10",
        "MRR",
        "zero results",
        "places meant",
        "place recall",
        "false places",
    ]
    rows = []
    for name, f in [*figures["classes"].items(), ("**overall**", figures["overall"])]:
        rates = [_pct(f["zero_result_rate"]), f["places_meant"], _pct(f["place_recall"])]
        rates.append(_pct(f["false_place_rate"]))
        rows.append([name, f["queries"], f["judged"], f"{f['ndcg_at_10']:.3f}", f"{f['mrr']:.3f}", *rates])
    judged = sorted((o for o in outcomes if o.ndcg is not None), key=lambda o: (o.ndcg, o.rr, o.id))
    worst = [
        [o.id, o.cls, f"`{o.q}`", o.total, f"{o.ndcg:.3f}", f"{o.rr:.3f}", o.relevant] for o in judged[:10]
    ]
    return "\n\n".join(
        [
            table(headers, rows, "l"),
            "Ten worst queries:",
            table(["id", "class", "q", "total", "nDCG@10", "RR", "relevant in catalogue"], worst, "lll"),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--es-url", help="an engine to reuse (else a local one of this bench's own)")
    parser.add_argument(
        "--out", type=Path, default=Path("relevance.json"), help="figures and per-query outcomes"
    )
    parser.add_argument(
        "--record", action="store_true", help=f"rewrite {j.RECORDED_FILE.relative_to(j.REPO)}"
    )
    args = parser.parse_args()
    engine, url = engine_or_url(args.es_url, PORT, "panier-bench-relevance")
    try:
        started = time.perf_counter()
        figures, outcomes = evaluate(url)
        say(f"{len(outcomes)} judged queries in {time.perf_counter() - started:.1f} s")
    finally:
        shut_down([], engine)
    say(report(figures, outcomes))
    per_query = [o.__dict__ for o in outcomes]
    args.out.write_text(json.dumps({"figures": figures, "queries": per_query}, ensure_ascii=False, indent=1))
    say(f"written {args.out}")
    if args.record:
        j.RECORDED_FILE.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
        say(f"recorded {j.RECORDED_FILE}")


if __name__ == "__main__":
    main()
