"""The product page request's engine cost: its typo clauses and head weight as before issue 12's
typo work (4b04529) against now, sent in a random order for each request to one index.

    python -m bench.typo_cost --es-url URL --prefix P [--rounds 6]

The index must have the ``*.words`` and ``name_head`` fields (loaded by this tree, e.g.
``python -m bench.api --profile quick --es-url URL --prefix P --load-only``). Prints the engine's
``took`` (p50, p90, p99, mean) for each variant. Figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
from typing import Any

from panier_core.engine import build_client
from panier_core.settings import Settings
from query_api.queries import ProductSearch, Where
from query_api.schemas import PRODUCT_SEARCH

WORDS = [
    "fromage", "pain", "sirop d'érable", "miel", "bière", "café", "chocolat noir", "tuque", "savon",
    "saucisses", "cidre", "pommes", "fromage en grains", "confiture", "beurre", "crossant", "fromgae",
    "bleuets sauvages", "vin rouge", "tourtière",
]  # fmt: skip
TOWNS = [(45.50, -73.57), (46.81, -71.21), (45.40, -71.89), (46.34, -72.54), (48.43, -71.07)]
KINDS = "merchant.categories.words"


def _text(body: dict[str, Any]) -> list[dict[str, Any]]:
    return body["query"]["function_score"]["query"]["bool"]["must"][0]["bool"]["should"]


def variants(settings: Settings, q: str, at: tuple[float, float]) -> dict[str, dict[str, Any]]:
    now = ProductSearch(PRODUCT_SEARCH.load({"q": q}), Where(at, 25.0), settings).page_request()
    no_kinds = copy.deepcopy(now)
    _text(no_kinds)[:] = [c for c in _text(no_kinds) if KINDS not in json.dumps(c)]
    before = copy.deepcopy(no_kinds)
    scoring = before["query"]["function_score"]
    scoring["functions"] = [f for f in scoring["functions"] if "name_head" not in json.dumps(f)]
    typos = _text(before)[1]["multi_match"]
    typos.update(
        {
            "fields": ["name", "brand.text"],
            "analyzer": "french_text",
            "fuzziness": "AUTO:4,7",
            "prefix_length": 2,
        }
    )
    return {"before (4b04529)": before, "now": now, "now without the kinds' typos": no_kinds}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--es-url", default="http://127.0.0.1:9200")
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    settings = Settings(es_url=args.es_url, index_prefix=args.prefix, analytics=False)
    es = build_client(settings)
    took: dict[str, list[int]] = {}
    for _ in range(args.rounds):
        for q in WORDS:
            for at in TOWNS:
                sent = list(variants(settings, q, at).items())
                random.shuffle(sent)
                for name, body in sent:
                    answer = es.search(index=settings.alias("products"), request_cache=False, **body)
                    took.setdefault(name, []).append(answer["took"])
    print("| product page request | n | took p50 | p90 | p99 | mean |\n|---|---:|---:|---:|---:|---:|")
    for name, t in took.items():
        t.sort()
        p50, p90, p99, mean = (
            statistics.median(t),
            t[int(len(t) * 0.9)],
            t[int(len(t) * 0.99)],
            statistics.mean(t),
        )
        print(f"| {name} | {len(t)} | {p50:g} ms | {p90} ms | {p99} ms | {mean:.1f} ms |")


if __name__ == "__main__":
    main()
