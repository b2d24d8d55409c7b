"""GET /v1/suggest -> engine request."""

from __future__ import annotations

from typing import Any

from query_api.queries.common import Location

# Centres of the geohash cells "f" and "d" (precision 1), which together cover all of Quebec.
QUEBEC_CELLS = ({"lat": 67.5, "lon": -67.5}, {"lat": 22.5, "lon": -67.5})


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
