"""Everyday shopper queries on the ``scripts/up`` sample: what each one answers, Quebec-wide and near
Montréal (issue 12's "done when").

    python -m bench.everyday [--es-url URL] [--out FILE]

Loads ``panier up``'s sample (300 merchants, 20,000 listings, the same seed) under an index prefix of
its own, sends each query of ``QUERIES`` to ``/v1/products`` twice (no location; ``near=Montréal``)
through the query API (a Flask test client, analytics off), prints one row per search: total, what
was understood (a place, Quebec-made, certifications), what was relaxed, and at a dead end the
"did you mean" spellings; then deletes the prefix. The first ten are the queries issue 12 quotes;
the thirty others were written as a shopper would type them, before running this.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.relevance import drop, load
from panier_core.engine import build_client
from panier_core.settings import Settings

QUERIES = [
    # quoted by issue 12 (32 of its 80 searches answered nothing before)
    "fromage québécois", "fromage sherbrooke", "miel local", "oeufs bio", "bagels montréal",
    "vin québécois", "boulangerie artisanale", "épicerie fine québec", "saucisses maison",
    "gâteau anniversaire",
    # everyday groceries and goods
    "pain", "baguette", "croissants", "fromage en grains", "lait", "beurre", "oeufs",
    "sirop d'érable", "miel", "confiture de fraises", "café", "thé", "chocolat", "bière", "cidre",
    "tourtière", "cretons", "saucisses", "bacon", "poulet", "boeuf haché", "pommes", "bleuets",
    "fraises", "carottes", "pommes de terre", "tomates", "savon", "fleurs", "tuque",
]  # fmt: skip


def row(q: str, near: str | None, body: dict[str, Any]) -> dict[str, Any]:
    understood = body.get("understood") or {}
    said = []
    if understood.get("place"):
        said.append(f"place {understood['place']['name']}")
    if understood.get("quebec"):
        said.append("Quebec-made")
    said += understood.get("certifications", [])
    relaxed = body.get("relaxed")
    relaxed_said = ""
    if relaxed:
        parts = [f"dropped {', '.join(relaxed['dropped'])}"] if relaxed["dropped"] else []
        parts += [f"radius {relaxed['radius_km']:g} km"] if "radius_km" in relaxed else []
        relaxed_said = "; ".join(parts) or "any word"
    top = body["items"][0]["name"] if body.get("items") else ""
    return {
        "q": q,
        "near": near or "",
        "total": body["total"],
        "understood": ", ".join(said),
        "relaxed": relaxed_said,
        "did_you_mean": ", ".join(body.get("did_you_mean", [])),
        "first": top,
    }


def run(es_url: str) -> list[dict[str, Any]]:
    from query_api import create_app
    from sample_data.generator import CACHED_SEED, generate

    settings = Settings(es_url=es_url, index_prefix=f"day{uuid.uuid4().hex[:8]}-", analytics=False)
    es = build_client(settings)
    directory = Path(tempfile.mkdtemp(prefix="panier-everyday-"))
    generate(directory, merchants=300, listings=20_000, seed=CACHED_SEED)
    try:
        load(es, settings, (directory / "merchants.jsonl", directory / "products.jsonl"), directory)
        client = create_app(settings).test_client()
        rows = []
        for q in QUERIES:
            for near in (None, "Montréal"):
                params = {"q": q, **({"near": near} if near else {})}
                response = client.get(f"/v1/products?{urlencode(params)}")
                if response.status_code != 200:
                    raise RuntimeError(f"{q!r} near {near}: {response.status_code} {response.get_json()}")
                rows.append(row(q, near, response.get_json()))
        return rows
    finally:
        drop(es, settings)
        es.close()


def report(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| q | near | total | understood | relaxed | did you mean | first hit |",
        "|---|---|---:|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['q']} | {r['near']} | {r['total']} | {r['understood']} | {r['relaxed']} | "
            f"{r['did_you_mean']} | {r['first']} |"
        )
    relaxed = sum(1 for r in rows if r["relaxed"])
    empty = sum(1 for r in rows if r["total"] == 0)
    lines.append(
        f"\n{len(rows)} searches: {relaxed} relaxed (the strict search found nothing), {empty} empty."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--es-url", default="http://127.0.0.1:9200")
    parser.add_argument("--out", type=Path, help="the rows as JSON")
    args = parser.parse_args()
    rows = run(args.es_url)
    print(report(rows))
    if args.out:
        args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    sys.exit(0)


if __name__ == "__main__":
    main()
