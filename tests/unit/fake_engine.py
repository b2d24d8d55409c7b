"""A stand-in for the engine client that records every request and answers from the request itself.

Its answers are shaped like the engine's (hits with one sort value per sort key, buckets for each
aggregation asked for, completion options), with made-up but deterministic values: enough for the
API to read them, so that a test can pin both what a route asks and what it answers.
"""

from __future__ import annotations

import copy
from typing import Any

MERCHANT = {
    "id": "m-tr-01",
    "name": "Fromagerie du Marché",
    "categories": ["Alimentation", "Fromagerie"],
    "address": {"street": "1 rue des Forges", "city": "Trois-Rivières", "region": "Mauricie"},
    "location": {"lat": 46.35, "lon": -72.55},
    "services": ["cueillette"],
    "phone": "+1 819 555-0100",
    "description": "Fromages fins",
    "active": True,
    "updated_at": "2026-11-20T14:03:00Z",
}
LISTING = {
    "id": "p-01",
    "product_key": "gtin:0627843000013",
    "name": "Sirop d'érable pur, ambré, 540 ml",
    "brand": "Érablière du Rang",
    "gtin": "0627843000013",
    "description": "Sirop",
    "categories": ["Épicerie", "Sirops et miels"],
    "quebec_product": True,
    "certifications": ["Aliments du Québec"],
    "price": 12.99,
    "stock": {"quantity": 4},
    "in_stock": True,
    "merchant": {"id": "m-tr-01", "name": "Fromagerie du Marché", "city": "Trois-Rivières"},
}


def _sort_values(sort: list[Any], i: int, source: dict[str, Any]) -> list[Any]:
    values: list[Any] = []
    for key in sort:
        if key == "_score":
            values.append(2.5 - i)
        elif isinstance(key, dict) and "_geo_distance" in key:
            values.append(1.23456 + 2 * i)
        else:
            name = next(iter(key))
            values.append({"in_stock": 1, "price": source.get("price", 0) + i}.get(name, f"{name}-{i}"))
    return values


def _aggregations(aggs: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, agg in aggs.items():
        if "terms" in agg and agg["terms"]["field"] == "quebec_product":
            out[name] = {"buckets": [{"key": 1, "key_as_string": "true", "doc_count": 3},
                                     {"key": 0, "key_as_string": "false", "doc_count": 1}]}  # fmt: skip
        elif "terms" in agg and "aggs" in agg:  # the stores of each product
            out[name] = {"buckets": [_product_stores(key, agg["aggs"]["stores"]["top_hits"]) for key in keys]}
        elif "terms" in agg:
            field = agg["terms"]["field"]
            out[name] = {"buckets": [{"key": f"{field} A", "doc_count": 5}, {"key": f"{field} B", "doc_count": 0}]}
        elif "range" in agg:
            out[name] = {"buckets": [{"key": r["key"], "doc_count": i} for i, r in enumerate(agg["range"]["ranges"])]}
        elif "cardinality" in agg:
            out[name] = {"value": 7}
        elif "geotile_grid" in agg:
            centre = {"location": {"lat": 46.3, "lon": -72.5}, "count": 3}
            out[name] = {"buckets": [{"key": "8/75/90", "doc_count": 3, "centre": centre}]}
        elif "random_sampler" in agg:
            out[name] = {"seed": 42, "probability": 0.5, "doc_count": 9, **_aggregations(agg["aggs"], keys)}
    return out


def _nothing(aggs: dict[str, Any]) -> dict[str, Any]:
    """The aggregations of a search that matched nothing: the engine still answers each one."""
    out: dict[str, Any] = {}
    for name, agg in aggs.items():
        if "range" in agg:
            out[name] = {"buckets": [{"key": r["key"], "doc_count": 0} for r in agg["range"]["ranges"]]}
        elif "cardinality" in agg:
            out[name] = {"value": 0}
        elif "random_sampler" in agg:
            out[name] = {"seed": 42, "probability": 1.0, "doc_count": 0, **_nothing(agg["aggs"])}
        else:
            out[name] = {"buckets": []}
    return out


def _product_stores(key: str, top_hits: dict[str, Any]) -> dict[str, Any]:
    hits = []
    for i in range(2):
        source = dict(copy.deepcopy(LISTING), id=f"p-0{i + 1}", product_key=key, price=10.5 + i)
        source["merchant"]["id"] = f"m-tr-0{i + 1}"
        hits.append({"_id": source["id"], "_source": source, "sort": _sort_values(top_hits["sort"], i, source)})
    return {"key": key, "doc_count": 3, "stores": {"hits": {"total": {"value": 3}, "hits": hits}}}


class FakeEngine:
    def __init__(self, *, empty: bool = False):
        self.requests: list[dict[str, Any]] = []
        self.empty = empty  # nothing matches any search

    def options(self, **_: Any) -> FakeEngine:
        return self

    def get(self, *, index: str, id: str, **kwargs: Any) -> dict[str, Any]:
        self.requests.append({"get": index, "id": id, **copy.deepcopy(kwargs)})
        source = copy.deepcopy(MERCHANT if id.startswith("m-") else LISTING)
        source.update(id=id, versions={"doc": "x"}, deleted=False)
        for field in kwargs.get("source_excludes", []):
            source.pop(field, None)
        return {"_index": index, "_id": id, "found": True, "_source": source}

    def search(self, *, index: str, **body: Any) -> dict[str, Any]:
        self.requests.append({"search": index, **copy.deepcopy(body)})
        return self._answer(index, body)

    def msearch(self, *, searches: list[dict[str, Any]]) -> Any:
        self.requests.append({"msearch": copy.deepcopy(searches)})
        return _Body({"took": 3, "responses": [
            self._answer(header["index"], body) for header, body in zip(searches[::2], searches[1::2], strict=True)
        ]})

    def _answer(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        if "suggest" in body:
            return {"took": 1, "suggest": {name: [{"options": self._options(name)}] for name in body["suggest"]}}
        filters = body["query"].get("bool", {}).get("filter", [])
        keys = [key for f in filters for key in f.get("terms", {}).get("product_key", [])]
        hits = []
        template = LISTING if index.endswith("products") else MERCHANT
        for i in range(0 if self.empty or body.get("size") == 0 else min(body.get("size", 10), 2)):
            source = dict(copy.deepcopy(template), id=f"{template['id']}-{i}")
            if template is LISTING:
                source["product_key"] = PRODUCT_KEYS[i]
            hit = {"_id": source["id"], "_source": source, "sort": _sort_values(body.get("sort", []), i, source)}
            if "highlight" in body:
                hit["highlight"] = {"name": ["<em>Fromagerie</em> du Marché"]}
            hits.append(hit)
        total = 0 if self.empty else 13
        answer: dict[str, Any] = {"took": 2, "hits": {"total": {"value": total}, "hits": hits}}
        if "aggs" in body:
            answer["aggregations"] = _aggregations(body["aggs"], keys) if not self.empty else _nothing(body["aggs"])
        return answer

    def _options(self, name: str) -> list[dict[str, Any]]:
        if self.empty:
            return []
        if name == "categories":
            return [{"text": "Fromagerie", "_source": {"id": "m-tr-01", "name": "Fromagerie du Marché"}}]
        return [
            {"text": "Fromagerie du Marché", "_source": {"id": "m-tr-01", "name": "Fromagerie du Marché"}},
            {"text": "Fromage en grains", "_source": {"id": "p-02", "name": "Fromage en grains",
                                                       "brand": "Fromage en grains", "product_key": "k"}},
            {"text": "Fromages d'ici", "_source": {"id": "p-03", "name": "Brie", "brand": "Fromages d'ici",
                                                    "product_key": "k2"}},
        ]  # fmt: skip


PRODUCT_KEYS = ["gtin:0627843000013", "name:miel|rucher boreal"]


class _Body(dict):
    """An msearch answer: the client's own answers have ``.body`` (and ``.meta``)."""

    @property
    def body(self) -> dict[str, Any]:
        return dict(self)
