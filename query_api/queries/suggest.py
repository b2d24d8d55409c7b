"""GET /v1/suggest -> engine request."""

from __future__ import annotations

from typing import Any

from query_api.queries.common import Location


def suggest(q: str, location: Location | None, size: int) -> dict[str, Any]:
    """Completion suggestions: categories, names anywhere and, with a location, names nearby.

    Three suggesters because the engine returns at most one option per document and suggester
    (a merchant's categories must not take its name's slot), and because a geo context query
    wide enough to cover all of Quebec expands into tens of thousands of cells: nearby names come
    from ``suggest_near`` (the shopper's ~40 km cell and its neighbours), the rest from ``suggest``.
    """
    completion: dict[str, Any] = {"field": "suggest", "size": size, "skip_duplicates": True}
    if len(q) >= 4:
        completion["fuzzy"] = {"fuzziness": 1, "prefix_length": 2}
    suggesters: dict[str, Any] = {
        "categories": {
            "prefix": q,
            "completion": dict(completion, field="category_suggest", size=min(size, 3)),
        },
        "names": {"prefix": q, "completion": completion},
    }
    if location:
        lat, lon = location
        near = {"location": [{"context": {"lat": lat, "lon": lon}, "precision": 4, "neighbours": [4]}]}
        suggesters["near"] = {
            "prefix": q,
            "completion": dict(completion, field="suggest_near", contexts=near),
        }
    return {"size": 0, "suggest": suggesters, "_source": ["id", "name", "brand", "product_key"]}
