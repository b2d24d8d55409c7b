"""GET /v1/merchants: its engine requests, and the answer made of the engine's.

A search with words finds merchants by their own name, kinds, city and description, and also
merchants whose listings match the words (« cretons », « homard »: the stores that sell them): a
first request to the listings finds those carriers (``CARRIERS_MAX`` of them at most, those with
the most matching listings), then the merchants request ranks merchants matching by their own words
first and carriers after them (nearest first, with a location)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch

from indexer.records.visibility import INACTIVE_MERCHANT, INACTIVE_STORE, INTERNAL_FIELDS
from panier_core.settings import Settings
from query_api.queries.common import (
    Found,
    Where,
    clusters,
    distance_decay,
    distance_km,
    distance_position,
    facets,
    geo_filter,
    geo_sort,
    highlight,
    map_view,
    page_of,
    paging,
    text_query,
)

MERCHANT_TEXT_FIELDS = ["name^3", "name.prefix^0.5", "categories.text^2", "address.city.text", "description"]
# What a listing must match for its merchant to carry the words: the product's own words, not its
# store's (which the merchant's own fields already answer).
CARRIER_TEXT_FIELDS = ["name^3", "brand.text^2", "categories.text^1.5"]
MERCHANT_FUZZY_FIELDS = ["name.words", "categories.words"]  # « fromagrie », « poisonnerie »
CARRIERS_MAX = 500
CARRIER_SCORE = 1.0  # below any merchant matching by its own words (their scores start near 2)


@dataclass(frozen=True, slots=True)
class FilterFields:
    """Where a merchant's filtered fields are, in one index."""

    location: str
    category: str
    service: str
    region: str


MERCHANT_FIELDS = FilterFields("location", "categories.folded", "services", "address.region.folded")
LISTING_FIELDS = FilterFields(
    "merchant.location", "merchant.categories.folded", "merchant.services", "merchant.region.folded"
)
FACET_AGGS: dict[str, Any] = {
    "category": {"terms": {"field": "categories", "size": 20}},
    "region": {"terms": {"field": "address.region", "size": 20}},
    "service": {"terms": {"field": "services", "size": 10}},
}


class MerchantSearch:
    """Merchants around a place (or anywhere), by relevance or distance, with facets and clusters."""

    endpoint = "merchants"

    def __init__(self, params: dict[str, Any], where: Where, settings: Settings, *, any_word: bool = False):
        self.params = params
        self.where = where
        self.settings = settings
        self.index = settings.alias("merchants")
        self.listings = settings.alias("products")
        self.any_word = any_word  # a relaxed search: merchants need not match every word

    def relaxed(self, q: str, radius_km: float | None, any_word: bool) -> MerchantSearch:
        """This search with the words ``q`` (any of which may match, with ``any_word``) and a wider
        radius if given."""
        where = Where(self.where.location, radius_km or self.where.radius_km, self.where.echo)
        return MerchantSearch({**self.params, "q": q}, where, self.settings, any_word=any_word)

    def count_request(self, word: str | None, radius_km: float) -> dict[str, Any]:
        """Merchants matching ``word`` (None: any) under this search's filters, within ``radius_km``."""
        text = (
            [text_query(word, MERCHANT_TEXT_FIELDS, fuzzy_fields=MERCHANT_FUZZY_FIELDS)]
            if word
            else [{"match_all": {}}]
        )
        query = {"bool": {"must": text, "filter": self._filters(radius_km), "must_not": [INACTIVE_MERCHANT]}}
        return {"size": 0, "track_total_hits": True, "query": query}

    def carriers_request(self) -> dict[str, Any]:
        """The merchants (ids) whose visible listings match the words, under this search's filters
        as its listings see them, the ones with the most matching listings first."""
        params = self.params
        filters = self._filters(self.where.radius_km, LISTING_FIELDS)
        if "bbox" in params:
            filters.append({"geo_bounding_box": {LISTING_FIELDS.location: params["bbox"]}})
        text = text_query(params["q"], CARRIER_TEXT_FIELDS, self.any_word)
        return {
            "size": 0,
            "track_total_hits": False,
            "query": {"bool": {"must": [text], "filter": filters, "must_not": [INACTIVE_STORE]}},
            "aggs": {"carriers": {"terms": {"field": "merchant.id", "size": CARRIERS_MAX}}},
        }

    def find_carriers(self, es: Elasticsearch) -> tuple[list[str], int]:
        """The carriers' ids (from ``carriers_request``) and the engine's ms."""
        found = es.search(index=self.listings, request_cache=False, **self.carriers_request())
        return [b["key"] for b in found["aggregations"]["carriers"]["buckets"]], found["took"]

    def _filters(self, radius_km: float, fields: FilterFields | None = None) -> list[dict[str, Any]]:
        """The search's filters on a merchant's fields: the merchant's own (``MERCHANT_FIELDS``) or
        the copy its listings carry (``LISTING_FIELDS``)."""
        params, location, f = self.params, self.where.location, fields or MERCHANT_FIELDS
        filters: list[dict[str, Any]] = []
        if location:
            filters.append(geo_filter(f.location, location, radius_km))
        if "category" in params:
            filters.append({"term": {f.category: params["category"]}})
        if "service" in params:
            filters.append({"term": {f.service: params["service"]}})
        if "region" in params:
            filters.append({"term": {f.region: params["region"]}})
        return filters

    def sort(self) -> list[Any]:
        """The merchants request's sort (what a cursor's values must fit)."""
        location, by = self.where.location, self.params["sort"]
        sort: list[Any] = ["_score"]
        if location:
            distance = geo_sort("location", location)
            sort = [distance] if by == "distance" else ["_score", distance]
        return [*sort, {"id": "asc"}]  # a unique tiebreaker makes pages (and cursors) stable

    def run(self, es: Elasticsearch) -> Found:
        carriers = self.find_carriers(es)[0] if self.params.get("q") else []
        request = self.request(carriers)
        return self.answer(request, es.search(index=self.index, **request))

    def request(self, carriers: list[str] | None = None) -> dict[str, Any]:
        """The merchants request; ``carriers``: the merchants whose listings match the words."""
        params, location, radius_km = self.params, self.where.location, self.where.radius_km
        filters = self._filters(radius_km)
        aggs: dict[str, Any] = dict(FACET_AGGS)
        map_view("location", params, filters, aggs)
        text: dict[str, Any] = {"match_all": {}}
        if params.get("q"):
            text = text_query(params["q"], MERCHANT_TEXT_FIELDS, self.any_word, MERCHANT_FUZZY_FIELDS)
            if carriers:
                carrying = {"constant_score": {"filter": {"terms": {"id": carriers}}, "boost": CARRIER_SCORE}}
                text = {"bool": {"should": [text, carrying], "minimum_should_match": 1}}
        query: dict[str, Any] = {"bool": {"must": [text], "filter": filters, "must_not": [INACTIVE_MERCHANT]}}
        if location and params["sort"] == "relevance":
            decay = distance_decay("location", location, radius_km)
            query = {"function_score": {"query": query, "functions": [decay], "boost_mode": "multiply"}}
        return {
            "query": query,
            "sort": self.sort(),
            "track_total_hits": True,
            **({"highlight": highlight(params["q"])} if params.get("q") else {}),
            "_source": {"excludes": list(INTERNAL_FIELDS)},
            "aggs": aggs,
            **paging(params),
            **({"search_after": params["cursor"]} if "cursor" in params else {}),
        }

    def answer(self, request: dict[str, Any], result: dict[str, Any]) -> Found:
        params = self.params
        position = distance_position(request["sort"])
        hits = result["hits"]["hits"]
        items = [merchant_item(hit, position) for hit in hits]
        total = result["hits"]["total"]["value"]
        aggregations = result.get("aggregations", {})
        answer = {
            "total": total,
            "items": items,
            "facets": facets(aggregations, FACET_AGGS),
            "page": page_of(params, total),
            "location": self.where.echo,
            "next_cursor": hits[-1]["sort"] if len(hits) == params["per_page"] else None,
        }
        if "zoom" in params:
            answer["clusters"] = clusters(aggregations)
        return Found(answer, total, result["took"])


def merchant_item(hit: dict[str, Any], position: int | None) -> dict[str, Any]:
    """A merchant hit as the answer shows it (``distance_km`` only when sorted by distance)."""
    source = hit["_source"]
    item = {
        "id": source["id"],
        "name": source["name"],
        "distance_km": distance_km(hit, position),
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
    return item
