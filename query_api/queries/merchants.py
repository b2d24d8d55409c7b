"""GET /v1/merchants -> engine request."""

from __future__ import annotations

from typing import Any

from query_api.queries.common import (
    Location,
    distance_decay,
    geo_filter,
    geo_sort,
    highlight,
    map_view,
    paging,
    text_query,
)

MERCHANT_TEXT_FIELDS = ["name^3", "name.prefix^0.5", "categories.text^2", "address.city.text", "description"]


def merchants_search(params: dict[str, Any], location: Location | None, radius_km: float) -> dict[str, Any]:
    filters: list[dict[str, Any]] = []
    if location:
        filters.append(geo_filter("location", location, radius_km))
    if "category" in params:
        filters.append({"term": {"categories.folded": params["category"]}})
    if "service" in params:
        filters.append({"term": {"services": params["service"]}})
    if "region" in params:
        filters.append({"term": {"address.region.folded": params["region"]}})
    aggs: dict[str, Any] = {
        "category": {"terms": {"field": "categories", "size": 20}},
        "region": {"terms": {"field": "address.region", "size": 20}},
        "service": {"terms": {"field": "services", "size": 10}},
    }
    map_view("location", params, filters, aggs)
    query: dict[str, Any] = {
        "bool": {
            "must": [text_query(params["q"], MERCHANT_TEXT_FIELDS)]
            if params.get("q")
            else [{"match_all": {}}],
            "filter": filters,
            "must_not": [{"term": {"active": False}}],
        }
    }
    sort: list[Any]
    if location and params["sort"] == "relevance":
        decay = distance_decay("location", location, radius_km)
        query = {"function_score": {"query": query, "functions": [decay], "boost_mode": "multiply"}}
    if location:
        sort = (
            [geo_sort("location", location)]
            if params["sort"] == "distance"
            else ["_score", geo_sort("location", location)]
        )
    else:
        sort = ["_score"]
    sort.append({"id": "asc"})  # a unique tiebreaker makes pages (and cursors) stable
    return {
        "query": query,
        "sort": sort,
        "track_total_hits": True,
        **({"highlight": highlight(params["q"])} if params.get("q") else {}),
        "_source": {"excludes": ["suggest", "suggest_near", "category_suggest", "versions", "deleted"]},
        "aggs": aggs,
        **paging(params),
        **({"search_after": params["cursor"]} if "cursor" in params else {}),
    }
