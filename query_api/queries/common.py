"""Pieces every search shares: French full text, distance, the map view, paging, in the engine
request; and, in the engine's answer, facets, distances, clusters and pages."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from query_api.schemas import DEFAULT_RADIUS_KM

Location = tuple[float, float]  # (lat, lon)


@dataclass(frozen=True)
class Where:
    """Where the shopper searches: a point (or none), the radius, and what the answer says about it."""

    location: Location | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    echo: dict[str, Any] | None = None  # the answer's ``location``: near=, lat, lon, radius_km


@dataclass(frozen=True)
class Found:
    """A search's answer, with what its search event records."""

    answer: dict[str, Any]
    total: int
    took: int  # engine ms of the request that found the hits (what the search event records)


# Typos are forgiven in a name's own words, unstemmed (``*.words``: folded, without stop words).
# The stemmer would hide them: « croissants » is « croi » once stemmed and « crossant » is
# « crosant », three edits apart; unstemmed they are two.
FUZZY_FIELDS = ["name.words"]
ONE_TYPO_FROM, TWO_TYPOS_FROM = 4, 8  # letters: one typo forgiven from 4, two from 8
FUZZINESS = f"AUTO:{ONE_TYPO_FROM},{TWO_TYPOS_FROM}"


def typos_forgiven(letters: int) -> int:
    """How many typos the search forgives in a word of ``letters`` (what ``FUZZINESS`` means)."""
    return 0 if letters < ONE_TYPO_FROM else 1 if letters < TWO_TYPOS_FROM else 2


def highlight(q: str) -> dict[str, Any]:
    """Matched terms of the name in <em>, from a plain match (highlighting a fuzzy query costs
    more than the search itself)."""
    return {
        "pre_tags": ["<em>"],
        "post_tags": ["</em>"],
        "fields": {"name": {"number_of_fragments": 0}},
        "highlight_query": {"match": {"name": q}},
    }


PLAIN_ANALYZER = "french_text"  # the index-time chain: French analysis without the synonyms


def text_query(
    q: str,
    fields: list[str],
    any_word: bool = False,
    fuzzy_fields: list[str] = FUZZY_FIELDS,
    kind_fields: tuple[str, ...] = (),
) -> dict[str, Any]:
    """French full text: every word must match (exactly after analysis, or within one or two
    typos in ``fuzzy_fields``, or in ``kind_fields`` with the first three letters kept), with
    extra weight for phrase and exact-name matches. With
    ``any_word`` (a relaxed search), one word is enough and more words score higher.

    Quebec synonyms apply to the first clause only, and a multi-word synonym there means "all its
    words", not a phrase (as for the shopper's own words): with the default, ``sirop d'érable``
    (a synonym of ``sirop d'érable pur``) became phrase queries on five fields, and the fuzzy and
    phrase clauses span queries, which made such a search cost the engine much more (measured in
    docs/benchmarks.md).
    """
    operator = "or" if any_word else "and"
    return {
        "bool": {
            "should": [
                {
                    "multi_match": {
                        "query": q,
                        "fields": fields,
                        "type": "most_fields",
                        "operator": operator,
                        "auto_generate_synonyms_phrase_query": False,
                    }
                },
                {
                    "multi_match": {
                        "query": q,
                        "fields": fuzzy_fields,  # their own analyzer: no synonyms, no stemming
                        "operator": operator,
                        # One typo from 4 letters, two from 8, the first letter kept: « nior »
                        # (noir) and « mile » (miel) are a transposition in the second letter.
                        # Measured on the judged queries and in docs/benchmarks.md.
                        "fuzziness": FUZZINESS,
                        "prefix_length": 1,
                        "max_expansions": 20,
                        "boost": 0.5,
                    }
                },
                *_kind_typos(q, kind_fields, operator),
                {"match_phrase": {"name": {"query": q, "analyzer": PLAIN_ANALYZER, "boost": 2}}},
                {"term": {"name.exact": {"value": q, "boost": 5}}},
            ],
            "minimum_should_match": 1,
        }
    }


def _kind_typos(q: str, kind_fields: tuple[str, ...], operator: str) -> list[dict[str, Any]]:
    """Typos of a store's kinds on its listings (« boulangeire »): every listing carries them, so the
    first three letters are kept and few spellings tried (with the names' settings the kinds cost
    the product search about 2 ms p50 more at the engine: docs/benchmarks.md)."""
    if not kind_fields:
        return []
    fuzzy = {"fuzziness": FUZZINESS, "prefix_length": 3, "max_expansions": 5, "boost": 0.5}
    return [{"multi_match": {"query": q, "fields": kind_fields, "operator": operator, **fuzzy}}]


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


# -- reading the engine's answer --------------------------------------------------------------------


def distance_position(sort: list[Any]) -> int | None:
    """Where the distance is among a hit's sort values (None: the request does not sort by distance)."""
    return next((i for i, key in enumerate(sort) if isinstance(key, dict) and "_geo_distance" in key), None)


def distance_km(hit: dict[str, Any], position: int | None) -> float | None:
    if position is None:
        return None
    return round(float(hit["sort"][position]), 3)


def facets(
    aggregations: dict[str, Any],
    names: Iterable[str],
    *,
    booleans: Collection[str] = (),
    ranges: Collection[str] = (),
) -> dict[str, list[dict[str, Any]]]:
    """Facet values and counts by name; a boolean field's values as true/false, and a range's
    buckets even when empty (so every range is always shown)."""
    out = {}
    for name in names:
        buckets = aggregations.get(name, {}).get("buckets", [])
        out[name] = [
            {
                "value": bool(b["key"]) if name in booleans else b.get("key_as_string", b["key"]),
                "count": b["doc_count"],
            }
            for b in buckets
            if b["doc_count"] or name in ranges
        ]
    return out


def page_of(params: dict[str, Any], total: int) -> dict[str, Any]:
    return {"page": params["page"], "per_page": params["per_page"], "pages": -(-total // params["per_page"])}


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
