"""GET /v1/products: its engine requests (the page, then the stores of its products and, for a
search without words, its facets), and the answer made of the engine's. What the facets count,
and where, is ``product_facets``."""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from indexer.records.visibility import INACTIVE_STORE
from panier_core.settings import Settings
from query_api.engine import msearch
from query_api.queries.common import (
    PLAIN_ANALYZER,
    Found,
    Location,
    Where,
    clusters,
    distance_decay,
    distance_position,
    geo_filter,
    geo_sort,
    highlight,
    map_view,
    page_of,
    paging,
    text_query,
)
from query_api.queries.product_facets import (
    FACET_AGGS,
    NO_FACETS,
    facet_probability,
    facet_values,
    facets_request,
    facets_with_page,
)
from query_api.queries.stores import STORE_SOURCE, store, store_sort
from query_api.understanding import Understood, preferences

# The listing's own words first; its store's name and kinds too, with less weight, so that merchant
# kinds find what such stores sell (« boulangerie artisanale », « érablière », « épicerie fine »).
OWN_TEXT_FIELDS = ["name^3", "name.prefix^0.5", "brand.text^2", "categories.text^1.5", "description"]
PRODUCT_TEXT_FIELDS = [*OWN_TEXT_FIELDS, "merchant.name", "merchant.categories.text"]
PRODUCT_FUZZY_FIELDS = ["name.words"]  # « crossant »
PRODUCT_KIND_FIELDS = ("merchant.categories.words",)  # « boulangeire »


def _product_filters(
    params: dict[str, Any], location: Location | None, radius_km: float
) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = []
    if location:
        filters.append(geo_filter("merchant.location", location, radius_km))
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


# What a product hit shows (its stores come from the stores request): less to read, send and parse.
HIT_SOURCE = [
    "product_key",
    "name",
    "brand",
    "gtin",
    "categories",
    "quebec_product",
    "certifications",
    "price",
]


class ProductSearch:
    """One hit per product (collapse on the product key), each with its best stores, and facets."""

    endpoint = "products"

    def __init__(
        self,
        params: dict[str, Any],
        where: Where,
        settings: Settings,
        understood: Understood | None = None,
        *,
        any_word: bool = False,
    ):
        self.params = params
        self.where = where
        self.settings = settings
        self.index = settings.alias("products")
        self.quebec_boost = settings.quebec_boost
        self.understood = understood  # what the interpretation step took out of q (None: literal)
        self.any_word = any_word  # a relaxed search: listings need not match every word

    def relaxed(self, q: str, radius_km: float | None, any_word: bool) -> ProductSearch:
        """This search with the words ``q`` (any of which may match, with ``any_word``) and a wider
        radius if given."""
        where = Where(self.where.location, radius_km or self.where.radius_km, self.where.echo)
        params = {**self.params, "q": q}
        return ProductSearch(params, where, self.settings, self.understood, any_word=any_word)

    def count_request(self, word: str | None, radius_km: float) -> dict[str, Any]:
        """Listings containing ``word`` (None: any) under this search's filters, within ``radius_km``:
        in their own words, not their store's (« miel maison »: « maison » is not made informative by
        stores of the kind « Maison »)."""
        filters = _product_filters(self.params, self.where.location, radius_km)
        text = [text_query(word, OWN_TEXT_FIELDS)] if word else [{"match_all": {}}]
        query = {"bool": {"must": text, "filter": filters, "must_not": [INACTIVE_STORE]}}
        return {"size": 0, "track_total_hits": True, "query": query}

    def run(self, es: Elasticsearch) -> Found:
        return self.answer(*self.send(es))

    def send(self, es: Elasticsearch) -> tuple[dict[str, Any], dict[str, Any]]:
        """The engine's answers to the page request and to the follow-up ``_msearch``, in two round
        trips: the page tells which products, and how many listings, matched; the ``_msearch``
        asks the stores of those products and, for a search without words, the facets (the engine
        runs the two in parallel). ``bench/query_mix.py`` sends them this way too."""
        page = es.search(index=self.index, **self.page_request())
        lines = self.follow_up_requests(_product_keys(page), self._recount(page))
        return page, (msearch(es, lines) if lines else {"responses": [], "took": 0})

    # -- the engine requests ----------------------------------------------------------------------

    def _matching(self, aggs: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(text clauses, filters) of the listings the search matches; adds map clusters to aggs."""
        params = self.params
        filters = _product_filters(params, self.where.location, self.where.radius_km)
        map_view("merchant.location", params, filters, aggs)
        q = params.get("q")
        fuzzy = {"fuzzy_fields": PRODUCT_FUZZY_FIELDS, "kind_fields": PRODUCT_KIND_FIELDS}
        text = [text_query(q, PRODUCT_TEXT_FIELDS, self.any_word, **fuzzy)] if q else []
        return text, filters

    def page_request(self) -> dict[str, Any]:
        """The page, the number of matching listings and of distinct products, map clusters and,
        for a search with words, the facets."""
        params, location, radius_km = self.params, self.where.location, self.where.radius_km
        aggs: dict[str, Any] = {
            "products": {"cardinality": {"field": "product_key", "precision_threshold": 40000}},
            **(FACET_AGGS if facets_with_page(params) else {}),
        }
        text, filters = self._matching(aggs)
        base: dict[str, Any] = {
            "bool": {
                "must": text or [{"match_all": {}}],
                "filter": filters,
                "must_not": [INACTIVE_STORE],
            }
        }
        if should := as_typed(self.understood):
            base["bool"]["should"] = should
        functions = preferences(self.understood, self.quebec_boost) + head_match(params.get("q"))
        if location and params["sort"] == "relevance":
            functions.append(distance_decay("merchant.location", location, radius_km))
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
        if params["sort"] == "distance" and location:
            sort: list[Any] = [geo_sort("merchant.location", location), "_score"]
        elif params["sort"] == "price":
            sort = [{"price": "asc"}, "_score"]
        else:
            sort = ["_score"] + (
                [geo_sort("merchant.location", location)] if location else [{"product_key": "asc"}]
            )
        # The stores of each product come from a second, filter-only request (stores_request):
        # collapse's inner_hits would re-run the whole scored query once per product, which cost
        # most of this request's time.
        return {
            "query": query,
            "sort": sort,
            "collapse": {"field": "product_key"},
            "track_total_hits": True,
            **({"highlight": highlight(params["q"])} if params.get("q") else {}),
            "_source": HIT_SOURCE,
            "aggs": aggs,
            **paging(params),
        }

    def facets_request(self, listings: int) -> dict[str, Any]:
        """Facets of the listings the search matched (``listings`` of them), exact or sampled."""
        text, filters = self._matching({})
        return facets_request(text + filters, listings)

    def stores_request(self, product_keys: list[str]) -> dict[str, Any]:
        """For each product on the page, its best stores under the same filters (one request)."""
        params, location = self.params, self.where.location
        filters = [
            {"terms": {"product_key": product_keys}},
            *_product_filters(params, location, self.where.radius_km),
        ]
        if "bbox" in params:
            filters.append({"geo_bounding_box": {"merchant.location": params["bbox"]}})
        return {
            "size": 0,
            "track_total_hits": False,
            "query": {"bool": {"filter": filters, "must_not": [INACTIVE_STORE]}},
            "aggs": {
                "by_product": {
                    "terms": {"field": "product_key", "size": len(product_keys)},
                    "aggs": {
                        "stores": {
                            "top_hits": {
                                "size": params["stores"],
                                "sort": store_sort(location),
                                "_source": STORE_SOURCE,
                            }
                        }
                    },
                }
            },
        }

    def follow_up_requests(self, product_keys: list[str], facets_of: int | None) -> list[dict[str, Any]]:
        """The ``_msearch`` lines that complete the search once its page is known: the stores of the
        page's products and, when the page did not count them, the facets of its ``facets_of``
        listings (the engine runs both in parallel, in one round trip).

        Neither goes through the engine's request cache: stock changes refresh the index every
        second, so a cached answer would rarely be reused (while a benchmark's small vocabulary
        would reuse it all the time)."""
        header = {"index": self.index, "request_cache": False}
        lines: list[dict[str, Any]] = []
        if product_keys:
            lines += [header, self.stores_request(product_keys)]
        if facets_of:
            lines += [header, self.facets_request(facets_of)]
        return lines

    def _recount(self, page: dict[str, Any]) -> int | None:
        """How many listings the facets request counts (None: the page counted them, or none matched)."""
        listings = page["hits"]["total"]["value"]
        return listings if listings and not facets_with_page(self.params) else None

    # -- the answer -------------------------------------------------------------------------------

    def answer(self, page: dict[str, Any], follow_ups: dict[str, Any]) -> Found:
        """The answer from the page and the ``_msearch`` answer of follow_up_requests."""
        params = self.params
        responses = list(follow_ups["responses"])
        stores = responses.pop(0)["aggregations"] if _product_keys(page) else None
        recount = self._recount(page)
        if facets_with_page(params):
            facet_counts = page["aggregations"]
        elif recount:
            facet_counts = responses.pop(0)["aggregations"]["sample"]
        else:  # nothing matched: every count is zero
            facet_counts = NO_FACETS
        position = distance_position(store_sort(self.where.location))
        stores_by_key: dict[str, tuple[int, list[dict[str, Any]]]] = {}
        for bucket in stores["by_product"]["buckets"] if stores else []:
            listed = [store(h, position) for h in bucket["stores"]["hits"]["hits"]]
            stores_by_key[bucket["key"]] = (bucket["doc_count"], listed)
        items = []
        for hit in page["hits"]["hits"]:
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
        aggregations = page.get("aggregations", {})
        total = int(aggregations.get("products", {}).get("value", 0))
        answer = {
            "total": total,
            "listings": page["hits"]["total"]["value"],
            "items": items,
            "facets": facet_values(facet_counts),
            "facets_approximate": recount is not None and facet_probability(recount) < 1,
            "page": page_of(params, total),
            "location": self.where.echo,
        }
        if "zoom" in params:
            answer["clusters"] = clusters(aggregations)
        return Found(answer, total, page["took"])


def as_typed(understood: Understood | None) -> list[dict[str, Any]]:
    """``should`` clauses for a search whose intents were taken out of q: a listing whose name says
    them too (« Fraises du Québec ») ranks higher, though the words no longer have to match."""
    if not understood or not (understood.quebec or understood.certifications):
        return []
    return [{"match_phrase": {"name": {"query": understood.asked, "analyzer": PLAIN_ANALYZER, "boost": 10}}}]


HEAD_WEIGHT = 3.0


def head_match(q: str | None) -> list[dict[str, Any]]:
    """A relevance weight (a ``function_score`` function) for listings whose name *names* a word of
    the search: « steak » finds a « Bifteck de surlonge » (a synonym) before « Épices à steak »,
    which are spices (``name_head``: a name's words before its first qualifier, see
    ``indexer.records.text.name_head``). Measured on the judged queries (docs/relevance.md)."""
    if not q:
        return []
    return [{"filter": {"match": {"name_head": q}}, "weight": HEAD_WEIGHT}]


def _product_keys(page: dict[str, Any]) -> list[str]:
    return [hit["_source"]["product_key"] for hit in page["hits"]["hits"]]
