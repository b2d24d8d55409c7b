"""Routes only: validate the parameters, build the engine request, shape the answer."""

from __future__ import annotations

from typing import Any

import elasticsearch
from flask import Blueprint, g, request

from indexer.engine.aliases import indices_of
from query_api import analytics, product_search, queries
from query_api.engine import get_engine, get_settings
from query_api.errors import ApiError
from query_api.responses import json_response
from query_api.schemas import (
    DEFAULT_RADIUS_KM,
    LOOKUP,
    MERCHANT_SEARCH,
    NO_PARAMS,
    PRODUCT_SEARCH,
    SUGGEST,
    encode_cursor,
)

bp = Blueprint("search", __name__, url_prefix="/v1")


def _args(schema) -> dict[str, Any]:
    multi = {k: v for k, v in request.args.lists() if len(v) > 1}
    if multi:
        raise ApiError(400, "invalid parameters", {k: ["give this parameter once"] for k in multi})
    return schema.load(request.args.to_dict())


def _location(params: dict[str, Any]) -> tuple[queries.Location | None, float, dict[str, Any] | None]:
    """(lat, lon), radius in km, and what to echo back about the location."""
    if "near" in params:
        from query_api import places

        try:
            place = places.resolve(params["near"])
        except places.UnknownPlace as e:
            raise ApiError(400, str(e), {"near": [str(e)], "suggestions": e.suggestions}) from None
        except ValueError as e:
            raise ApiError(400, str(e), {"near": [str(e)]}) from None
        location = (place.lat, place.lon)
        echo = {"near": place.name, "lat": place.lat, "lon": place.lon}
    elif "lat" in params:
        location = (params["lat"], params["lon"])
        echo = {"lat": params["lat"], "lon": params["lon"]}
    else:
        return None, DEFAULT_RADIUS_KM, None
    radius = params.get("radius_km", DEFAULT_RADIUS_KM)
    echo["radius_km"] = radius
    return location, radius, echo


def _facets(aggregations: dict[str, Any], names: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for name in names:
        buckets = aggregations.get(name, {}).get("buckets", [])
        out[name] = [
            {
                "value": b.get("key_as_string", b["key"]) if name != "quebec" else bool(b["key"]),
                "count": b["doc_count"],
            }
            for b in buckets
            if b["doc_count"] or name == "price"
        ]
    return out


def _distance(hit: dict[str, Any], position: int | None) -> float | None:
    if position is None:
        return None
    return round(float(hit["sort"][position]), 3)


def _page(params: dict[str, Any], total: int) -> dict[str, Any]:
    return {"page": params["page"], "per_page": params["per_page"], "pages": -(-total // params["per_page"])}


@bp.get("/merchants")
def merchants():
    params = _args(MERCHANT_SEARCH)
    location, radius, echo = _location(params)
    settings = get_settings()
    body = queries.merchants_search(params, location, radius)
    result = get_engine().search(index=settings.alias("merchants"), **body)
    position = None if location is None else (0 if params["sort"] == "distance" else 1)
    items = []
    for hit in result["hits"]["hits"]:
        source = hit["_source"]
        item = {
            "id": source["id"],
            "name": source["name"],
            "distance_km": _distance(hit, position),
            "categories": source.get("categories", []),
            "address": source.get("address", {}),
            "location": source.get("location"),
            "services": source.get("services", []),
            "phone": source.get("phone"),
            "website": source.get("website"),
            "highlight": hit.get("highlight", {}).get("name", [None])[0],
        }
        if position is None:
            del item["distance_km"]
        items.append(item)
    total = result["hits"]["total"]["value"]
    answer = {
        "total": total,
        "items": items,
        "facets": _facets(result.get("aggregations", {}), ("category", "region", "service")),
        "page": _page(params, total),
        "location": echo,
    }
    hits = result["hits"]["hits"]
    answer["next_cursor"] = encode_cursor(hits[-1]["sort"]) if len(hits) == params["per_page"] else None
    if "zoom" in params:
        answer["clusters"] = queries.clusters(result.get("aggregations", {}))
    g.search_event = analytics.Search("merchants", params, echo, total, result["took"])
    return json_response(answer)


def _store(hit: dict[str, Any], position: int | None) -> dict[str, Any]:
    source = hit["_source"]
    store = {
        "listing_id": source["id"],
        "merchant_id": source["merchant"]["id"],
        "name": source["merchant"]["name"],
        "city": source["merchant"].get("city"),
        "distance_km": _distance(hit, position),
        "quantity": source["stock"]["quantity"],
        "in_stock": source["in_stock"],
        "price": source["price"],
    }
    if position is None:
        del store["distance_km"]
    return store


@bp.get("/products")
def products():
    params = _args(PRODUCT_SEARCH)
    location, radius, echo = _location(params)
    settings = get_settings()
    found = product_search.run(
        get_engine(), settings.alias("products"), params, location, radius, settings.quebec_boost
    )
    result = found.page
    hits = result["hits"]["hits"]
    stores_by_key: dict[str, tuple[int, list[dict[str, Any]]]] = {}
    if found.stores:
        store_position = 1 if location else None
        for bucket in found.stores["by_product"]["buckets"]:
            listed = [_store(h, store_position) for h in bucket["stores"]["hits"]["hits"]]
            stores_by_key[bucket["key"]] = (bucket["doc_count"], listed)
    items = []
    for hit in hits:
        source = hit["_source"]
        matching, stores_list = stores_by_key.get(source["product_key"], (0, []))
        items.append(
            {
                "product_key": source["product_key"],
                "name": source["name"],
                "brand": source.get("brand"),
                "gtin": source.get("gtin"),
                "categories": source.get("categories", []),
                "quebec_product": source.get("quebec_product", False),
                "certifications": source.get("certifications", []),
                "price_from": min((st["price"] for st in stores_list), default=source["price"]),
                "stores_matching": matching,
                "stores": stores_list,
                "highlight": hit.get("highlight", {}).get("name", [None])[0],
            }
        )
    aggregations = result.get("aggregations", {})
    total = int(aggregations.get("products", {}).get("value", 0))
    answer = {
        "total": total,
        "listings": result["hits"]["total"]["value"],
        "items": items,
        "facets": _facets(found.facets, ("category", "brand", "certification", "quebec", "price")),
        "facets_approximate": found.facets_approximate,
        "page": _page(params, total),
        "location": echo,
    }
    if "zoom" in params:
        answer["clusters"] = queries.clusters(aggregations)
    g.search_event = analytics.Search("products", params, echo, total, result["took"])
    return json_response(answer)


@bp.get("/suggest")
def suggest():
    """Type-ahead over merchant names, product names and brands, and categories."""
    params = _args(SUGGEST)
    location = (params["lat"], params["lon"]) if "lat" in params else None
    settings = get_settings()
    index = f"{settings.alias('merchants')},{settings.alias('products')}"
    result = get_engine().search(
        index=index, **queries.suggest(params["q"].strip(), location, params["size"])
    )
    items: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for suggester in ("categories", "near", "names"):
        if suggester not in result["suggest"]:
            continue
        for option in result["suggest"][suggester][0]["options"]:
            text, source = option["text"], option["_source"]
            if suggester == "categories":
                kind = "category"
            elif "product_key" in source:
                kind = "brand" if text == source.get("brand") else "product"
            else:
                kind = "merchant"
            if (kind, text) in seen:
                continue
            seen.add((kind, text))
            item = {"text": text, "type": kind}
            if kind in ("merchant", "product"):
                item["id"] = source["id"]
            items.append(item)
    g.search_event = analytics.Search(
        "suggest", params, None, min(len(items), params["size"]), result["took"]
    )
    return json_response({"q": params["q"], "items": items[: params["size"]]})


@bp.get("/merchants/<merchant_id>")
def merchant(merchant_id: str):
    _args(NO_PARAMS)
    doc = get_engine().get(
        index=get_settings().alias("merchants"),
        id=merchant_id,
        source_excludes=["suggest", "suggest_near", "category_suggest", "versions"],
    )
    source = doc["_source"]
    if source.pop("deleted", False) or source.get("active") is False:  # GET ignores the alias filter
        raise ApiError(404, "not found")
    return json_response(source)


@bp.get("/products/<listing_id>")
def product(listing_id: str):
    """A product page: the product, and every store carrying it (in stock and nearest first)."""
    params = _args(LOOKUP)
    location, _radius, echo = _location(params)
    settings = get_settings()
    es = get_engine()
    doc = es.get(
        index=settings.alias("products"),
        id=listing_id,
        source_excludes=["suggest", "suggest_near", "category_suggest", "versions"],
    )["_source"]
    if doc.get("deleted") or "product_key" not in doc:  # a tombstone (GET ignores the alias filter)
        raise ApiError(404, "not found")
    result = es.search(
        index=settings.alias("products"),
        **queries.stores_for_product(doc["product_key"], location, params["stores"]),
    )
    position = 1 if location else None
    page = {
        "product_key": doc["product_key"],
        "name": doc["name"],
        "brand": doc.get("brand"),
        "gtin": doc.get("gtin"),
        "description": doc.get("description"),
        "categories": doc.get("categories", []),
        "quebec_product": doc.get("quebec_product", False),
        "certifications": doc.get("certifications", []),
        "stores_total": result["hits"]["total"]["value"],
        "stores": [_store(h, position) for h in result["hits"]["hits"]],
        "location": echo,
    }
    return json_response(page)


@bp.get("/openapi.json")
def openapi():
    from query_api.openapi import document

    return document()


@bp.get("/health")
def health():
    """200 when the engine answers and both aliases exist; 503 (with the reason) otherwise."""
    settings = get_settings()
    es = get_engine()
    try:
        info = es.info()
        aliases = {name: indices_of(es, settings.alias(name)) for name in ("merchants", "products")}
    except (elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout):
        raise ApiError(503, "the search engine is unreachable") from None
    missing = [name for name, indices in aliases.items() if not indices]
    body = {
        "status": "ok" if not missing else "degraded",
        "engine": info["version"]["number"],
        "aliases": aliases,
    }
    if missing:
        body["message"] = f"missing aliases: {', '.join(missing)} (run `panier init` or a reindex)"
        return body, 503
    return body
