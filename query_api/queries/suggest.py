"""GET /v1/suggest: its engine request, and the answer made of the engine's."""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from panier_core.settings import Settings
from query_api.queries.common import Found, Where

# What the answer lists first: categories, then names near the shopper, then names anywhere.
SUGGESTERS = ("categories", "near", "names")


class Suggestions:
    """Type-ahead over merchant names, product names and brands, and categories."""

    endpoint = "suggest"

    def __init__(self, params: dict[str, Any], settings: Settings):
        self.params = params
        location = (params["lat"], params["lon"]) if "lat" in params else None
        self.where = Where(location)  # the answer does not echo it: no ``location`` in suggestions
        self.index = f"{settings.alias('merchants')},{settings.alias('products')}"

    def run(self, es: Elasticsearch) -> Found:
        return self.answer(es.search(index=self.index, **self.request()))

    def request(self) -> dict[str, Any]:
        """Completion suggestions: categories, names anywhere and, with a location, names nearby.

        Three suggesters because the engine returns at most one option per document and suggester
        (a merchant's categories must not take its name's slot), and because a geo context query
        wide enough to cover all of Quebec expands into tens of thousands of cells: nearby names
        come from ``suggest_near`` (the shopper's ~40 km cell and its neighbours), the rest from
        ``suggest``.
        """
        q, location, size = self.params["q"].strip(), self.where.location, self.params["size"]
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

    def answer(self, result: dict[str, Any]) -> Found:
        size = self.params["size"]
        items: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for suggester in SUGGESTERS:
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
        answer = {"q": self.params["q"], "items": items[:size]}
        return Found(answer, min(len(items), size), result["took"])
