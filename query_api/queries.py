"""Validated parameters -> engine request bodies. Pure functions: no engine, no Flask.

User text only ever reaches ``match``/``multi_match``/``match_phrase`` queries (never
``query_string``), so no Lucene syntax is interpreted; its length and word count are capped by
the schemas.
"""

from __future__ import annotations

from typing import Any

Location = tuple[float, float]  # (lat, lon)

MERCHANT_TEXT_FIELDS = ["name^3", "name.prefix^0.5", "categories.text^2", "address.city.text", "description"]
PRODUCT_TEXT_FIELDS = ["name^3", "name.prefix^0.5", "brand.text^2", "categories.text^1.5", "description"]
PRICE_RANGES = [
    {"key": "< 5 $", "to": 5},
    {"key": "5–10 $", "from": 5, "to": 10},
    {"key": "10–20 $", "from": 10, "to": 20},
    {"key": "20–50 $", "from": 20, "to": 50},
    {"key": "≥ 50 $", "from": 50},
]
# Centres of the geohash cells "f" and "d" (precision 1), which together cover all of Quebec.
QUEBEC_CELLS = ({"lat": 67.5, "lon": -67.5}, {"lat": 22.5, "lon": -67.5})
HIGHLIGHT = {"pre_tags": ["<em>"], "post_tags": ["</em>"], "fields": {"name": {"number_of_fragments": 0}}}


def text_query(q: str, fields: list[str]) -> dict[str, Any]:
    """Typo-tolerant full text with extra weight for phrase and exact-name matches."""
    return {
        "bool": {
            "must": {
                "multi_match": {
                    "query": q,
                    "fields": fields,
                    "type": "most_fields",
                    "operator": "and",
                    "fuzziness": "AUTO",
                    "prefix_length": 1,  # typos rarely hit the first letter; keeps fuzzy queries cheap
                    "max_expansions": 20,
                }
            },
            "should": [
                {"match_phrase": {"name": {"query": q, "boost": 2}}},
                {"term": {"name.exact": {"value": q, "boost": 5}}},
            ],
        }
    }


def geo_sort(field: str, location: Location) -> dict[str, Any]:
    lat, lon = location
    return {"_geo_distance": {field: {"lat": lat, "lon": lon}, "order": "asc", "unit": "km", "mode": "min"}}


def _distance_decay(field: str, location: Location, radius_km: float) -> dict[str, Any]:
    lat, lon = location
    # Half the score at half the radius: nearer wins between similar text matches.
    return {
        "gauss": {
            field: {"origin": {"lat": lat, "lon": lon}, "scale": f"{radius_km / 2:.3f}km", "decay": 0.5}
        }
    }


def _geo_filter(field: str, location: Location, radius_km: float) -> dict[str, Any]:
    lat, lon = location
    return {"geo_distance": {"distance": f"{radius_km}km", field: {"lat": lat, "lon": lon}}}


def _map(field: str, params: dict[str, Any], filters: list[dict[str, Any]], aggs: dict[str, Any]) -> None:
    """The viewport filter and, with a zoom level, clustered points for the map."""
    if "bbox" in params:
        filters.append({"geo_bounding_box": {field: params["bbox"]}})
    if "zoom" in params:
        grid: dict[str, Any] = {"field": field, "precision": min(params["zoom"] + 3, 29), "size": 2_000}
        if "bbox" in params:
            grid["bounds"] = params["bbox"]
        aggs["clusters"] = {"geotile_grid": grid, "aggs": {"centre": {"geo_centroid": {"field": field}}}}


def clusters(aggregations: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "tile": b["key"],
            "count": b["doc_count"],
            "lat": b["centre"]["location"]["lat"],
            "lon": b["centre"]["location"]["lon"],
        }
        for b in aggregations.get("clusters", {}).get("buckets", [])
    ]


def suggest(q: str, location: Location | None, size: int) -> dict[str, Any]:
    """Completion suggestions (names, brands, categories), nearest first when a location is given."""
    completion: dict[str, Any] = {"field": "suggest", "size": size, "skip_duplicates": True}
    if len(q) >= 4:
        completion["fuzzy"] = {"fuzziness": 1, "prefix_length": 2}
    # The suggest fields carry a geo context, which the engine requires in every query.
    contexts: list[dict[str, Any]] = [{"context": cell, "precision": 1, "boost": 1} for cell in QUEBEC_CELLS]
    if location:
        lat, lon = location
        # Matches in the shopper's ~40 km cell (and its neighbours) come first.
        contexts.insert(
            0, {"context": {"lat": lat, "lon": lon}, "precision": 4, "neighbours": [4], "boost": 4}
        )
    completion["contexts"] = {"location": contexts}
    # Two suggesters: the engine returns at most one option per document and suggester, so a
    # merchant's categories must not compete with its name for that one slot.
    categories = dict(completion, field="category_suggest", size=min(size, 5))
    return {
        "suggest": {
            "categories": {"prefix": q, "completion": categories},
            "names": {"prefix": q, "completion": completion},
        },
        "_source": ["id", "name", "brand", "product_key"],
    }


def _paging(params: dict[str, Any]) -> dict[str, Any]:
    return {"from": (params["page"] - 1) * params["per_page"], "size": params["per_page"]}


def merchants_search(params: dict[str, Any], location: Location | None, radius_km: float) -> dict[str, Any]:
    filters: list[dict[str, Any]] = []
    if location:
        filters.append(_geo_filter("location", location, radius_km))
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
    _map("location", params, filters, aggs)
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
        decay = _distance_decay("location", location, radius_km)
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
        "highlight": HIGHLIGHT,
        "_source": {"excludes": ["suggest", "category_suggest"]},
        "aggs": aggs,
        **_paging(params),
        **({"search_after": params["cursor"]} if "cursor" in params else {}),
    }


def _product_filters(
    params: dict[str, Any], location: Location | None, radius_km: float
) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = []
    if location:
        filters.append(_geo_filter("merchant.location", location, radius_km))
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


def products_search(
    params: dict[str, Any], location: Location | None, radius_km: float, quebec_boost: float
) -> dict[str, Any]:
    """One hit per product (collapse on product_key), each with its nearest stores, in stock first."""
    filters = _product_filters(params, location, radius_km)
    aggs: dict[str, Any] = {
        "products": {"cardinality": {"field": "product_key", "precision_threshold": 40000}},
        "category": {"terms": {"field": "categories", "size": 20}},
        "brand": {"terms": {"field": "brand", "size": 20}},
        "certification": {"terms": {"field": "certifications", "size": 10}},
        "quebec": {"terms": {"field": "quebec_product", "size": 2}},
        "price": {"range": {"field": "price", "keyed": False, "ranges": PRICE_RANGES}},
    }
    _map("merchant.location", params, filters, aggs)
    base = {
        "bool": {
            "must": [text_query(params["q"], PRODUCT_TEXT_FIELDS)]
            if params.get("q")
            else [{"match_all": {}}],
            "filter": filters,
            "must_not": [{"term": {"merchant.active": False}}],
        }
    }
    functions: list[dict[str, Any]] = []
    if quebec_boost > 1:
        # A multiplier on relevance, never a filter or a sort: a clearly better text match still wins.
        functions.append({"filter": {"term": {"quebec_product": True}}, "weight": quebec_boost})
    if location and params["sort"] == "relevance":
        functions.append(_distance_decay("merchant.location", location, radius_km))
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
    store_sort: list[Any] = [{"in_stock": "desc"}]
    if location:
        store_sort.append(geo_sort("merchant.location", location))
    store_sort.append({"price": "asc"})
    if params["sort"] == "distance" and location:
        sort: list[Any] = [geo_sort("merchant.location", location), "_score"]
    elif params["sort"] == "price":
        sort = [{"price": "asc"}, "_score"]
    else:
        sort = ["_score"] + (
            [geo_sort("merchant.location", location)] if location else [{"product_key": "asc"}]
        )
    return {
        "query": query,
        "sort": sort,
        "collapse": {
            "field": "product_key",
            "inner_hits": {
                "name": "stores",
                "size": params["stores"],
                "sort": store_sort,
                "_source": [
                    "id",
                    "price",
                    "stock",
                    "in_stock",
                    "merchant.id",
                    "merchant.name",
                    "merchant.city",
                ],
            },
        },
        "track_total_hits": True,
        "highlight": HIGHLIGHT,
        "_source": {"excludes": ["suggest", "category_suggest", "description"]},
        "aggs": aggs,
        **_paging(params),
    }


def stores_for_product(product_key: str, location: Location | None, size: int) -> dict[str, Any]:
    """Every listing of one product, in stock first, nearest first when a location is given."""
    sort: list[Any] = [{"in_stock": "desc"}]
    if location:
        sort.append(geo_sort("merchant.location", location))
    sort.append({"price": "asc"})
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
        "_source": ["id", "price", "stock", "in_stock", "merchant.id", "merchant.name", "merchant.city"],
    }
