"""The facets of GET /v1/products: what is counted, where it is counted (in the page request or in
a second, sampled one), and the counts as the API shows them.

A search with words counts them in its page request, over every matching listing: usually few
enough that counting costs less there than a second pass would. A search without words matches
every listing in its radius (around a city, most of the catalogue), so its facets come from a
second request run beside the stores one: exact up to EXACT_FACETS_UP_TO listings, else from a
random sample of about FACET_SAMPLE listings, scaled back to the whole (random_sampler), which
costs the engine a small fraction of counting them all (docs/benchmarks.md).
"""

from __future__ import annotations

from typing import Any

from indexer.records.visibility import INACTIVE_STORE
from query_api.queries.common import facets

PRICE_RANGES = [
    {"key": "< 5 $", "to": 5},
    {"key": "5–10 $", "from": 5, "to": 10},
    {"key": "10–20 $", "from": 10, "to": 20},
    {"key": "20–50 $", "from": 20, "to": 50},
    {"key": "≥ 50 $", "from": 50},
]
FACET_SAMPLE = 10_000
EXACT_FACETS_UP_TO = 2 * FACET_SAMPLE  # the sampler takes probabilities up to 0.5, or exactly 1
FACET_SEED = 42  # the same sample for the same search, page after page
FACET_AGGS: dict[str, Any] = {
    "category": {"terms": {"field": "categories", "size": 20}},
    "brand": {"terms": {"field": "brand", "size": 20, "shard_size": 100}},
    "certification": {"terms": {"field": "certifications", "size": 10}},
    "quebec": {"terms": {"field": "quebec_product", "size": 2}},
    "price": {"range": {"field": "price", "keyed": False, "ranges": PRICE_RANGES}},
}
NO_FACETS = {"price": {"buckets": [{"key": r["key"], "doc_count": 0} for r in PRICE_RANGES]}}


def facets_with_page(params: dict[str, Any]) -> bool:
    """Whether the page request counts the facets (a search with words) or a second one does."""
    return bool(params.get("q"))


def facet_probability(listings: int) -> float:
    """1 (every listing counted) up to EXACT_FACETS_UP_TO listings, else a sample of ~FACET_SAMPLE."""
    return 1.0 if listings <= EXACT_FACETS_UP_TO else FACET_SAMPLE / listings


def facets_request(matching: list[dict[str, Any]], listings: int) -> dict[str, Any]:
    """Facets of the listings ``matching`` (filter clauses) selects, ``listings`` of them, exact or
    sampled. Filter context only: counting needs no relevance."""
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"bool": {"filter": matching, "must_not": [INACTIVE_STORE]}},
        "aggs": {
            "sample": {
                "random_sampler": {"probability": facet_probability(listings), "seed": FACET_SEED},
                "aggs": FACET_AGGS,
            }
        },
    }


def facet_values(counts: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The answer's ``facets`` from the engine's aggregations (NO_FACETS: nothing matched)."""
    return facets(counts, FACET_AGGS, booleans={"quebec"}, ranges={"price"})
