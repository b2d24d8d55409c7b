"""GET /v1/products and the product page -> engine requests."""

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

PRODUCT_TEXT_FIELDS = ["name^3", "name.prefix^0.5", "brand.text^2", "categories.text^1.5", "description"]
PRICE_RANGES = [
    {"key": "< 5 $", "to": 5},
    {"key": "5–10 $", "from": 5, "to": 10},
    {"key": "10–20 $", "from": 10, "to": 20},
    {"key": "20–50 $", "from": 20, "to": 50},
    {"key": "≥ 50 $", "from": 50},
]


def _product_filters(
    params: dict[str, Any], location: Location | None, radius_km: float
) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = []
    if location:
        filters.append(geo_filter("merchant.location", location, radius_km))
    if params.get("in_stock") is not None:
        filters.append({"term": {"in_stock": params["in_stock"]}})
    if params.get("quebec") is not None:
        filters.append({"term": {"quebec_product": params["quebec"]}})
    if "category" in params:
        filters.append({"term": {"categories.folded": params["category"]}})
    if "brand" in params:
        filters.append({"term": {"brand.folded": params["brand"]}})
    if "min_price" in params or "max_price" in params:
        price = {k: params[p] for k, p in (("gte", "min_price"), ("lte", "max_price")) if p in params}
        filters.append({"range": {"price": price}})
    return filters


# Facets. A search with words counts them in its page request, over every matching listing: a few
# thousand listings usually, and counting costs less there than a second pass would. A search
# without words matches every listing in its radius (1.5 million within 50 km of Montréal), so its
# facets come from a second request run beside the stores one: exact up to EXACT_FACETS_UP_TO
# listings, else from a random sample of about FACET_SAMPLE listings, scaled back to the whole
# (random_sampler). Counting those 1.5 million listings cost 250 ms of the engine's CPU; the sample, 10.
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
# What a product hit shows (its stores come from stores_of_products): less to read, send and parse.
HIT_SOURCE = [
    "product_key",
    "name",
    "brand",
    "gtin",
    "categories",
    "quebec_product",
    "certifications",
    "price",
]


def _matching(
    params: dict[str, Any], location: Location | None, radius_km: float, aggs: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(text clauses, filters) of the listings a product search matches; adds map clusters to aggs."""
    filters = _product_filters(params, location, radius_km)
    map_view("merchant.location", params, filters, aggs)
    text = [text_query(params["q"], PRODUCT_TEXT_FIELDS)] if params.get("q") else []
    return text, filters


def products_search(
    params: dict[str, Any], location: Location | None, radius_km: float, quebec_boost: float
) -> dict[str, Any]:
    """One hit per product (collapse on product_key): the page, the number of matching listings
    and of distinct products, map clusters and, for a search with words, the facets. The stores
    (and the other facets) come next, from follow_up_searches."""
    aggs: dict[str, Any] = {
        "products": {"cardinality": {"field": "product_key", "precision_threshold": 40000}},
        **(FACET_AGGS if facets_with_page(params) else {}),
    }
    text, filters = _matching(params, location, radius_km, aggs)
    base = {
        "bool": {
            "must": text or [{"match_all": {}}],
            "filter": filters,
            "must_not": [{"term": {"merchant.active": False}}],
        }
    }
    functions: list[dict[str, Any]] = []
    if quebec_boost > 1:
        # A multiplier on relevance, never a filter or a sort: a clearly better text match still wins.
        functions.append({"filter": {"term": {"quebec_product": True}}, "weight": quebec_boost})
    if location and params["sort"] == "relevance":
        functions.append(distance_decay("merchant.location", location, radius_km))
    query = (
        {
            "function_score": {
                "query": base,
                "functions": functions,
                "score_mode": "multiply",
                "boost_mode": "multiply",
            }
        }
        if functions
        else base
    )
    if params["sort"] == "distance" and location:
        sort: list[Any] = [geo_sort("merchant.location", location), "_score"]
    elif params["sort"] == "price":
        sort = [{"price": "asc"}, "_score"]
    else:
        sort = ["_score"] + (
            [geo_sort("merchant.location", location)] if location else [{"product_key": "asc"}]
        )
    # The stores of each product come from a second, filter-only request (stores_of_products):
    # collapse's inner_hits would re-run the whole scored query once per product, which was 80 %
    # of this request's time.
    return {
        "query": query,
        "sort": sort,
        "collapse": {"field": "product_key"},
        "track_total_hits": True,
        **({"highlight": highlight(params["q"])} if params.get("q") else {}),
        "_source": HIT_SOURCE,
        "aggs": aggs,
        **paging(params),
    }


def facets_with_page(params: dict[str, Any]) -> bool:
    """Whether the page request counts the facets (a search with words) or a second one does."""
    return bool(params.get("q"))


def facet_probability(listings: int) -> float:
    """1 (every listing counted) up to EXACT_FACETS_UP_TO listings, else a sample of ~FACET_SAMPLE."""
    return 1.0 if listings <= EXACT_FACETS_UP_TO else FACET_SAMPLE / listings


def product_facets(
    params: dict[str, Any], location: Location | None, radius_km: float, listings: int
) -> dict[str, Any]:
    """Facets of the listings a product search matched (``listings`` of them), exact or sampled.
    Filter context only: counting needs no relevance."""
    text, filters = _matching(params, location, radius_km, {})
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"bool": {"filter": text + filters, "must_not": [{"term": {"merchant.active": False}}]}},
        "aggs": {
            "sample": {
                "random_sampler": {"probability": facet_probability(listings), "seed": FACET_SEED},
                "aggs": FACET_AGGS,
            }
        },
    }


# Type-ahead inputs and the change-ordering bookkeeping (indexer.records.merge): never part of an answer.
INTERNAL_FIELDS = ["suggest", "suggest_near", "category_suggest", "versions", "deleted"]
STORE_SOURCE = ["id", "price", "stock", "in_stock", "merchant.id", "merchant.name", "merchant.city"]


def _store_sort(location: Location | None) -> list[Any]:
    """In stock first, then nearest (when located), then cheapest."""
    sort: list[Any] = [{"in_stock": "desc"}]
    if location:
        sort.append(geo_sort("merchant.location", location))
    sort.append({"price": "asc"})
    return sort


def stores_of_products(
    product_keys: list[str], params: dict[str, Any], location: Location | None, radius_km: float
) -> dict[str, Any]:
    """For each product on a result page, its best stores under the same filters (one request)."""
    filters = [{"terms": {"product_key": product_keys}}, *_product_filters(params, location, radius_km)]
    if "bbox" in params:
        filters.append({"geo_bounding_box": {"merchant.location": params["bbox"]}})
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"bool": {"filter": filters, "must_not": [{"term": {"merchant.active": False}}]}},
        "aggs": {
            "by_product": {
                "terms": {"field": "product_key", "size": len(product_keys)},
                "aggs": {
                    "stores": {
                        "top_hits": {
                            "size": params["stores"],
                            "sort": _store_sort(location),
                            "_source": STORE_SOURCE,
                        }
                    }
                },
            }
        },
    }


def stores_for_product(product_key: str, location: Location | None, size: int) -> dict[str, Any]:
    """Every listing of one product, in stock first, nearest first when a location is given."""
    sort = _store_sort(location)
    return {
        "query": {
            "bool": {
                "filter": [{"term": {"product_key": product_key}}],
                "must_not": [{"term": {"merchant.active": False}}],
            }
        },
        "sort": sort,
        "size": size,
        "track_total_hits": True,
        "_source": STORE_SOURCE,
    }


def follow_up_searches(
    alias: str,
    product_keys: list[str],
    params: dict[str, Any],
    location: Location | None,
    radius_km: float,
    facets_of: int | None,
) -> list[dict[str, Any]]:
    """The ``_msearch`` lines that complete a product search once its page is known: the stores of
    the page's products and, when the page did not count them, the facets of its ``facets_of``
    listings (the engine runs both in parallel, in one round trip).

    Neither goes through the engine's request cache: stock changes refresh the index every second,
    so a cached answer would rarely be reused (while a benchmark's small vocabulary would reuse it
    all the time)."""
    header = {"index": alias, "request_cache": False}
    lines: list[dict[str, Any]] = []
    if product_keys:
        lines += [header, stores_of_products(product_keys, params, location, radius_km)]
    if facets_of:
        lines += [header, product_facets(params, location, radius_km, facets_of)]
    return lines
