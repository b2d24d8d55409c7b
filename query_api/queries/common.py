"""Pieces every search shares: French full text, distance, the map view, paging."""

from __future__ import annotations

from typing import Any

Location = tuple[float, float]  # (lat, lon)

FUZZY_FIELDS = ["name", "brand.text"]  # typos are forgiven where they matter and stay cheap


def highlight(q: str) -> dict[str, Any]:
    """Matched terms of the name in <em>, from a plain match (highlighting a fuzzy query costs
    more than the search itself)."""
    return {
        "pre_tags": ["<em>"],
        "post_tags": ["</em>"],
        "fields": {"name": {"number_of_fragments": 0}},
        "highlight_query": {"match": {"name": q}},
    }


def text_query(q: str, fields: list[str]) -> dict[str, Any]:
    """French full text: every word must match (exactly after analysis, or within one or two
    typos in the name or brand), with extra weight for phrase and exact-name matches."""
    return {
        "bool": {
            "should": [
                {"multi_match": {"query": q, "fields": fields, "type": "most_fields", "operator": "and"}},
                {
                    "multi_match": {
                        "query": q,
                        "fields": FUZZY_FIELDS,
                        "operator": "and",
                        "fuzziness": "AUTO",
                        "prefix_length": 1,  # typos rarely hit the first letter; keeps fuzzy queries cheap
                        "max_expansions": 20,
                        "boost": 0.5,
                    }
                },
                {"match_phrase": {"name": {"query": q, "boost": 2}}},
                {"term": {"name.exact": {"value": q, "boost": 5}}},
            ],
            "minimum_should_match": 1,
        }
    }


def geo_sort(field: str, location: Location) -> dict[str, Any]:
    lat, lon = location
    return {"_geo_distance": {field: {"lat": lat, "lon": lon}, "order": "asc", "unit": "km", "mode": "min"}}


def distance_decay(field: str, location: Location, radius_km: float) -> dict[str, Any]:
    lat, lon = location
    # Half the score at half the radius: nearer wins between similar text matches.
    return {
        "gauss": {
            field: {"origin": {"lat": lat, "lon": lon}, "scale": f"{radius_km / 2:.3f}km", "decay": 0.5}
        }
    }


def geo_filter(field: str, location: Location, radius_km: float) -> dict[str, Any]:
    lat, lon = location
    return {"geo_distance": {"distance": f"{radius_km}km", field: {"lat": lat, "lon": lon}}}


def map_view(field: str, params: dict[str, Any], filters: list[dict[str, Any]], aggs: dict[str, Any]) -> None:
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


def paging(params: dict[str, Any]) -> dict[str, Any]:
    return {"from": (params["page"] - 1) * params["per_page"], "size": params["per_page"]}
