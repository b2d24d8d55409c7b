"""The engine requests of one product search, in order: the page, then its stores and facets.

Used by the ``/v1/products`` route and, unchanged, by ``bench/api.py`` when it sends the same
requests straight to the engine. The bodies come from ``query_api.queries`` (pure).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import elasticsearch
from elasticsearch import Elasticsearch
from elasticsearch.exceptions import HTTP_EXCEPTIONS

from query_api import queries


@dataclass
class ProductSearch:
    page: dict[str, Any]  # the collapsed hits, listing and product totals, clusters
    stores: dict[str, Any] | None  # aggregations of stores_of_products (None: no hits)
    facets: dict[str, Any]  # the facet aggregations, by name
    facets_approximate: bool  # counted on a random sample of the listings
    took: int  # engine time in ms, both round trips (for the logs and benchmarks)


def run(
    es: Elasticsearch,
    alias: str,
    params: dict[str, Any],
    location: queries.Location | None,
    radius_km: float,
    quebec_boost: float,
) -> ProductSearch:
    """Two round trips: the page (it tells which products, and how many listings, matched), then
    one ``_msearch`` with the stores of those products and, for a search without words, the facets
    (the engine runs the two in parallel)."""
    page = es.search(index=alias, **queries.products_search(params, location, radius_km, quebec_boost))
    keys = [hit["_source"]["product_key"] for hit in page["hits"]["hits"]]
    listings = page["hits"]["total"]["value"]
    in_page = queries.facets_with_page(params)
    recount = listings if listings and not in_page else None
    lines = queries.follow_up_searches(alias, keys, params, location, radius_km, recount)
    answers = msearch(es, lines) if lines else {"responses": [], "took": 0}
    stores = answers["responses"].pop(0)["aggregations"] if keys else None
    if in_page:
        facets = page["aggregations"]
    elif recount:
        facets = answers["responses"].pop(0)["aggregations"]["sample"]
    else:  # nothing matched: every count is zero
        facets = {"price": {"buckets": [{"key": r["key"], "doc_count": 0} for r in queries.PRICE_RANGES]}}
    approximate = recount is not None and queries.facet_probability(recount) < 1
    return ProductSearch(page, stores, facets, approximate, page["took"] + answers["took"])


def msearch(es: Elasticsearch, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """An ``_msearch`` answer, raising the client's own exception for the first failed search (so
    that the API answers it as it answers a failed ``search``: 503 when the engine is busy, ...)."""
    response = es.msearch(searches=lines)
    for answer in response["responses"]:
        if "error" in answer:
            status = answer.get("status", 500)
            error = answer["error"]
            kind = error.get("type", "error") if isinstance(error, dict) else str(error)
            raise HTTP_EXCEPTIONS.get(status, elasticsearch.ApiError)(
                message=kind, meta=dataclasses.replace(response.meta, status=status), body=answer
            )
    return response.body
