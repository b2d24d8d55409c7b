"""GET /v1/merchants/<id> and /v1/products/<id>: the engine requests of a page, and its answer."""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from indexer.records.visibility import INACTIVE_STORE, SUGGEST_FIELDS, visible
from panier_core.settings import Settings
from query_api.errors import ApiError
from query_api.queries.common import Found, Where, distance_position
from query_api.queries.stores import STORE_SOURCE, store, store_sort

# Never answered; ``deleted`` is read (a lookup by id ignores the aliases' filter), then dropped.
NOT_ANSWERED = [*SUGGEST_FIELDS, "versions"]


class MerchantLookup:
    """A merchant as stored, unless deleted or deactivated."""

    def __init__(self, merchant_id: str, settings: Settings):
        self.merchant_id = merchant_id
        self.index = settings.alias("merchants")

    def run(self, es: Elasticsearch) -> Found:
        return self.answer(es.get(index=self.index, **self.request()))

    def request(self) -> dict[str, Any]:
        return {"id": self.merchant_id, "source_excludes": NOT_ANSWERED}

    def answer(self, doc: dict[str, Any]) -> Found:
        source = doc["_source"]
        if not visible(source):  # a GET ignores the alias filter
            raise ApiError(404, "not found")
        source.pop("deleted", None)
        return Found(source, 1, 0)  # a get reports no engine time


class ProductPage:
    """A product, and every store carrying it (in stock, then nearest when located, first)."""

    def __init__(self, listing_id: str, params: dict[str, Any], where: Where, settings: Settings):
        self.listing_id = listing_id
        self.params = params
        self.where = where
        self.index = settings.alias("products")

    def run(self, es: Elasticsearch) -> Found:
        doc = self.product(es.get(index=self.index, **self.request()))
        stores = es.search(index=self.index, **self.stores_request(doc))
        return self.answer(doc, stores)

    def request(self) -> dict[str, Any]:
        return {"id": self.listing_id, "source_excludes": NOT_ANSWERED}

    def product(self, doc: dict[str, Any]) -> dict[str, Any]:
        """The listing's document, unless it is a tombstone (GET ignores the alias filter)."""
        source = doc["_source"]
        if source.get("deleted") or "product_key" not in source:
            raise ApiError(404, "not found")
        return source

    def stores_request(self, product: dict[str, Any]) -> dict[str, Any]:
        """Every listing of the product, in stock first, nearest first when located."""
        return {
            "query": {
                "bool": {
                    "filter": [{"term": {"product_key": product["product_key"]}}],
                    "must_not": [INACTIVE_STORE],
                }
            },
            "sort": store_sort(self.where.location),
            "size": self.params["stores"],
            "track_total_hits": True,
            "_source": STORE_SOURCE,
        }

    def answer(self, product: dict[str, Any], result: dict[str, Any]) -> Found:
        position = distance_position(store_sort(self.where.location))
        page = {
            "product_key": product["product_key"],
            "name": product["name"],
            "brand": product.get("brand"),
            "gtin": product.get("gtin"),
            "description": product.get("description"),
            "categories": product.get("categories", []),
            "quebec_product": product.get("quebec_product", False),
            "certifications": product.get("certifications", []),
            "stores_total": result["hits"]["total"]["value"],
            "stores": [store(h, position) for h in result["hits"]["hits"]],
            "location": self.where.echo,
        }
        return Found(page, page["stores_total"], result["took"])
