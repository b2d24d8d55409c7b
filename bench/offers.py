"""Nested "offers" experiment: one document per product with its listings nested as ``offers``, searched
in ONE request, against today's listings index (one document per store × product) searched in two.

    python -m bench.offers --es-url http://127.0.0.1:9700 --prefix benchapi-
    python -m bench.offers --es-url URL --prefix P --reuse --keep   # skip the build, keep the index

It needs an engine already loaded with the listings (alias ``<prefix>products``, e.g. by
``python -m bench.api --load``) and never writes to ``<prefix>*``. In one run it:

1. builds ``offersexp-products`` from the listings: read in product_key order (point in time and
   search_after), grouped, bulk-indexed, force-merged to one segment; prints the time and the size;
2. measures today's text+geo product search (``query_api.product_search.run``: the page, then the
   stores) and the same search as one request on the offers index, interleaved request by request
   on one client thread: wall-clock and engine ``took`` p50/p90/p99, engine CPU per search (from
   /proc/<engine pid>/stat, when the engine runs on this machine);
3. compares both answers on a few searches: page overlap, product and listing totals, price facet,
   stores shown, and that every offer shown is within the radius (and in stock when asked);
4. times stock changes both ways: one listing document re-indexed (on a copy made of the sampled
   listings' products' listings) vs the whole product document with all its offers re-indexed (on
   the full offers index and on a copy of the sampled products);
5. deletes every ``offersexp-*`` index it made unless --keep.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import math
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from elasticsearch import Elasticsearch
from elasticsearch.helpers import parallel_bulk, streaming_bulk

import mappings
from bench.api import TOWNS, percentile, product_params
from bench.bulk import engine_cpu_seconds
from panier_core.engine import build_client
from panier_core.settings import Settings
from query_api import places, product_search
from query_api.queries import products
from query_api.queries.common import Location, distance_decay, geo_filter, geo_sort, highlight, text_query
from query_api.queries.products import FACET_AGGS, PRICE_RANGES, PRODUCT_TEXT_FIELDS
from query_api.schemas import PRODUCT_SEARCH

INDEX = "offersexp-products"
LISTINGS_COPY = "offersexp-listings-copy"
OFFERS_COPY = "offersexp-products-copy"
# The product's own fields: what today's page shows of a hit (but its price, an offer's), and the description.
PRODUCT_FIELDS = [f for f in products.HIT_SOURCE if f != "price"] + ["description"]
MERCHANT_FIELDS = ["id", "name", "city", "location", "active"]
LISTING_SOURCE = (
    PRODUCT_FIELDS
    + ["id", "price", "stock.quantity", "in_stock"]
    + [f"merchant.{f}" for f in MERCHANT_FIELDS]
)
HIT_SOURCE = [f for f in PRODUCT_FIELDS if f != "description"]  # as today's page: no description
OFFER_SOURCE = [f"offers.{f}" for f in ("id", "price", "stock", "in_stock", "merchant.id", "merchant.name")]
OFFER_SOURCE.append("offers.merchant.city")
READ_PAGE = 5_000  # listings per search_after page
BULK_PRODUCTS = 200  # product documents per bulk request during the build
RADIUS_KM = 25.0
QUEBEC_BOOST = 1.25
# Rescoring multiplies the text score by the best offer's distance decay for the top RESCORE_WINDOW
# products of each shard (the engine's index.max_rescore_window): exact when a shard matches fewer.
RESCORE_WINDOW = 10_000
EARTH_RADIUS_KM = 6371.0087714  # the engine's arc distance


# --- engine CPU -------------------------------------------------------------------------------------


class EngineCpu:
    """The engine's CPU time in ms (``bench.bulk.engine_cpu_seconds``: /proc when it runs here)."""

    def __init__(self, es: Elasticsearch) -> None:
        nodes = es.nodes.info(node_id="_local", metric="process")["nodes"]
        pid = next(iter(nodes.values()))["process"]["id"]
        cmdline = Path(f"/proc/{pid}/cmdline")
        self.es = es
        self.pids = [pid] if cmdline.exists() and b"java" in cmdline.read_bytes() else []
        print(f"engine CPU: {f'/proc/{pid}/stat' if self.pids else 'node stats'}", flush=True)

    def ms(self) -> float:
        return engine_cpu_seconds(self.es, self.pids) * 1000


# --- build ------------------------------------------------------------------------------------------


def offers_index_body(refresh_interval: str) -> dict[str, Any]:
    """Product fields and analysis exactly as in mappings/products.json, plus the nested offers."""
    listing = mappings.load("products")
    props = listing["mappings"]["properties"]
    merchant = props["merchant"]["properties"]
    keyword = {"type": "keyword", "ignore_above": 256}
    offers = {
        "type": "nested",
        "properties": {
            "id": props["id"],
            "price": props["price"],
            "stock": props["stock"],
            "in_stock": props["in_stock"],
            "merchant": {
                "properties": {
                    "id": merchant["id"],
                    "name": keyword,
                    "city": keyword,
                    "location": merchant["location"],
                    "active": merchant["active"],
                }
            },
        },
    }
    index_settings = listing["settings"]["index"]  # 2 shards, replicas 0-1, the French analysis
    index_settings["refresh_interval"] = refresh_interval
    return {
        "settings": {"index": index_settings},
        "mappings": {
            "dynamic": "strict",
            "properties": {**{f: props[f] for f in PRODUCT_FIELDS}, "offers": offers},
        },
    }


def doc_id(product_key: str) -> str:
    """The product key itself, or its hash when longer than an _id may be."""
    return product_key if len(product_key.encode()) <= 512 else hashlib.sha1(product_key.encode()).hexdigest()


def live_listings(extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"bool": {"filter": extra or [], "must_not": [{"term": {"deleted": True}}]}}


def sorted_listings(
    es: Elasticsearch, alias: str, source: list[str] | bool, query: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """Listing hits in product_key order, READ_PAGE at a time (point in time + search_after)."""
    pit = es.open_point_in_time(index=alias, keep_alive="5m")["id"]
    after: list[Any] | None = None
    try:
        while True:
            page = es.search(
                pit={"id": pit, "keep_alive": "5m"},
                size=READ_PAGE,
                sort=[{"product_key": "asc"}, {"_shard_doc": "asc"}],
                search_after=after,
                query=query,
                source=source,
                track_total_hits=False,
            )
            pit = page["pit_id"]
            hits = page["hits"]["hits"]
            if not hits:
                return
            yield from hits
            after = hits[-1]["sort"]
    finally:
        es.close_point_in_time(id=pit)


def offer_of(listing: dict[str, Any]) -> dict[str, Any]:
    merchant = listing.get("merchant", {})
    return {
        "id": listing["id"],
        "price": listing.get("price"),
        "stock": {"quantity": listing.get("stock", {}).get("quantity")},
        "in_stock": listing.get("in_stock"),
        "merchant": {f: merchant.get(f) for f in MERCHANT_FIELDS},
    }


def product_docs(hits: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One product document per run of consecutive listings with the same product_key (product fields
    from its first listing)."""
    current: dict[str, Any] | None = None
    for hit in hits:
        listing = hit["_source"]
        if current is None or current["product_key"] != listing["product_key"]:
            if current is not None:
                yield current
            current = {f: listing.get(f) for f in PRODUCT_FIELDS} | {"offers": []}
        current["offers"].append(offer_of(listing))
    if current is not None:
        yield current


def build(es: Elasticsearch, alias: str, listings: int) -> None:
    es.indices.create(index=INDEX, **offers_index_body("-1"))
    counts = {"products": 0, "offers": 0}

    def actions() -> Iterator[dict[str, Any]]:
        for doc in product_docs(sorted_listings(es, alias, LISTING_SOURCE, live_listings())):
            counts["products"] += 1
            counts["offers"] += len(doc["offers"])
            yield {"_index": INDEX, "_id": doc_id(doc["product_key"]), "_source": doc}

    started = time.perf_counter()
    bulk = parallel_bulk(es, actions(), thread_count=2, chunk_size=BULK_PRODUCTS, queue_size=4)
    for done, _ in enumerate(bulk, start=1):
        if done % 5_000 == 0:
            elapsed = time.perf_counter() - started
            print(
                f"  {done:,} products, {counts['offers']:,} / {listings:,} listings read, "
                f"{elapsed:.0f} s ({done / elapsed:,.0f} products/s)",
                flush=True,
            )
    loaded = time.perf_counter() - started
    if counts["offers"] != listings:
        raise RuntimeError(f"read {counts['offers']:,} listings, expected {listings:,}")
    es.indices.put_settings(index=INDEX, settings={"index": {"refresh_interval": "1s"}})
    es.indices.refresh(index=INDEX)
    count = es.count(index=INDEX)["count"]
    if count != counts["products"]:
        raise RuntimeError(f"{count:,} product documents, expected {counts['products']:,}")
    t0 = time.perf_counter()
    es.options(request_timeout=3600).indices.forcemerge(index=INDEX, max_num_segments=1)
    merged = time.perf_counter() - t0
    es.indices.put_mapping(index=INDEX, meta={"listings": counts["offers"], "products": counts["products"]})
    print(
        f"built {INDEX}: {counts['products']:,} products, {counts['offers']:,} offers; "
        f"load {loaded:.0f} s + force-merge {merged:.0f} s = {loaded + merged:.0f} s",
        flush=True,
    )


def reusable(es: Elasticsearch, listings: int) -> bool:
    if not es.indices.exists(index=INDEX):
        return False
    meta = next(iter(es.indices.get_mapping(index=INDEX).values()))["mappings"].get("_meta", {})
    return meta.get("listings") == listings and es.count(index=INDEX)["count"] == meta.get("products")


def print_sizes(es: Elasticsearch, alias: str) -> None:
    columns = "index,pri,rep,docs.count,docs.deleted,store.size,pri.store.size"
    print(es.cat.indices(index=f"{INDEX},{alias}", v=True, h=columns, s="index"), flush=True)
    segments = es.cat.segments(index=INDEX, h="shard,segment,docs.count,size", format="json")
    print(f"{INDEX} segments: {[(s['shard'], s['docs.count'], s['size']) for s in segments]}", flush=True)


# --- the one-request search -------------------------------------------------------------------------


def offer_filters(params: dict[str, Any], location: Location, radius_km: float) -> list[dict[str, Any]]:
    """What a listing must be to count today, on an offer: near, active merchant, in stock if asked."""
    filters = [geo_filter("offers.merchant.location", location, radius_km)]
    filters.append({"term": {"offers.merchant.active": True}})
    if params.get("in_stock") is not None:
        filters.append({"term": {"offers.in_stock": params["in_stock"]}})
    return filters


def offers_search(
    params: dict[str, Any], location: Location, radius_km: float, quebec_boost: float
) -> dict[str, Any]:
    """Today's text+geo product search as one request on the offers index.

    Score: text × quebec boost (function_score on the product), then × the best matching offer's
    distance decay through a rescore (score_mode multiply) whose query is a nested query with
    score_mode max over a gauss on the offers' locations: a bool would add the two scores, and no
    function can reach a nested field. Stores: inner_hits of the filtering nested query. Totals:
    hits.total counts products exactly; the nested filter aggregation counts the matching listings.
    """
    filters = offer_filters(params, location, radius_km)
    matching_offers = {
        "nested": {
            "path": "offers",
            "score_mode": "none",
            "query": {"bool": {"filter": filters}},
            "inner_hits": {
                "name": "stores",
                "size": params["stores"],
                "sort": [
                    {"offers.in_stock": "desc"},
                    geo_sort("offers.merchant.location", location),
                    {"offers.price": "asc"},
                ],
                "_source": OFFER_SOURCE,
            },
        }
    }
    text_and_origin = {
        "function_score": {
            "query": {
                "bool": {"must": [text_query(params["q"], PRODUCT_TEXT_FIELDS)], "filter": [matching_offers]}
            },
            "functions": [{"filter": {"term": {"quebec_product": True}}, "weight": quebec_boost}],
            "score_mode": "multiply",
            "boost_mode": "multiply",
        }
    }
    nearest_offer = {
        "nested": {
            "path": "offers",
            "score_mode": "max",
            "query": {
                "function_score": {
                    "query": {"bool": {"filter": filters}},
                    "functions": [distance_decay("offers.merchant.location", location, radius_km)],
                    "boost_mode": "replace",
                }
            },
        }
    }
    aggs: dict[str, Any] = {name: agg for name, agg in FACET_AGGS.items() if name != "price"}
    aggs["offers"] = {
        "nested": {"path": "offers"},
        "aggs": {
            "matching": {
                "filter": {"bool": {"filter": filters}},
                "aggs": {
                    "price": {"range": {"field": "offers.price", "keyed": False, "ranges": PRICE_RANGES}}
                },
            }
        },
    }
    return {
        "query": text_and_origin,
        "rescore": {
            "window_size": RESCORE_WINDOW,
            "query": {"rescore_query": nearest_offer, "score_mode": "multiply"},
        },
        "track_total_hits": True,
        "highlight": highlight(params["q"]),
        "_source": HIT_SOURCE,
        "aggs": aggs,
        "from": (params["page"] - 1) * params["per_page"],
        "size": params["per_page"],
    }


# --- the query mix and the measurement --------------------------------------------------------------


@dataclass
class Search:
    params: dict[str, Any]
    location: Location

    def label(self) -> str:
        stock = " in stock" if self.params.get("in_stock") else ""
        return f"{self.params['q']!r} near {self.params['near']}{stock}"


def search_mix(rng: random.Random, n: int) -> list[Search]:
    """bench.api's text+geo product searches."""
    mix = []
    for _ in range(n):
        params = PRODUCT_SEARCH.load(product_params(rng, rng.choice(TOWNS)))
        place = places.resolve(params["near"])
        mix.append(Search(params, (place.lat, place.lon)))
    return mix


@dataclass
class Samples:
    wall_ms: list[float] = field(default_factory=list)
    took_ms: list[float] = field(default_factory=list)
    cpu_ms: float = 0.0


Design = Callable[[Search], int]  # runs one search, returns the engine's took (ms, all requests)


def designs(es: Elasticsearch, alias: str) -> dict[str, Design]:
    def today(s: Search) -> int:
        return product_search.run(es, alias, s.params, s.location, RADIUS_KM, QUEBEC_BOOST).took

    def nested(s: Search) -> int:
        return es.search(index=INDEX, **offers_search(s.params, s.location, RADIUS_KM, QUEBEC_BOOST))["took"]

    return {"A today (2 requests)": today, "B offers (1 request)": nested}


def measure(runs: dict[str, Design], mix: list[Search], cpu: EngineCpu) -> dict[str, Samples]:
    """Each search with every design in turn (ABAB...), one thread; CPU read around each request."""
    samples = {name: Samples() for name in runs}
    for search in mix:
        for name, run in runs.items():
            c0, t0 = cpu.ms(), time.perf_counter()
            took = run(search)
            wall = (time.perf_counter() - t0) * 1000
            samples[name].cpu_ms += cpu.ms() - c0
            samples[name].wall_ms.append(wall)
            samples[name].took_ms.append(took)
    return samples


def shard_queries(es: Elasticsearch) -> int:
    """Shard-level query phases the engine has run: tells whether other clients searched meanwhile."""
    nodes = es.nodes.stats(metric="indices", index_metric="search")["nodes"]
    return sum(n["indices"]["search"]["query_total"] for n in nodes.values())


def b_variants(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The B request without one of its parts at a time, then without all of them: where its time goes."""

    def without(*parts: str) -> dict[str, Any]:
        variant = copy.deepcopy(body)
        if "rescore" in parts:
            del variant["rescore"]
        if "offers agg" in parts:
            del variant["aggs"]["offers"]
        if "product aggs" in parts:
            variant["aggs"] = {k: v for k, v in variant["aggs"].items() if k == "offers"}
        if "inner_hits" in parts:
            del variant["query"]["function_score"]["query"]["bool"]["filter"][0]["nested"]["inner_hits"]
        if "highlight" in parts:
            del variant["highlight"]
        return variant

    parts = ["rescore", "offers agg", "product aggs", "inner_hits", "highlight"]
    return {"B": body} | {f"B without {p}": without(p) for p in parts} | {"B query only": without(*parts)}


def print_breakdown(es: Elasticsearch, mix: list[Search]) -> None:
    took: dict[str, list[float]] = {}
    for search in mix:
        body = offers_search(search.params, search.location, RADIUS_KM, QUEBEC_BOOST)
        for name, variant in b_variants(body).items():
            took.setdefault(name, []).append(es.search(index=INDEX, **variant)["took"])
    print(f"\nwhere B's time goes ({len(mix)} searches, variants interleaved, one thread)")
    print("| request | engine took p50 / p90 / mean ms |")
    print("|---|---|")
    for name, values in took.items():
        cells = " / ".join(f"{percentile(values, p):.1f}" for p in (0.5, 0.9))
        print(f"| {name} | {cells} / {sum(values) / len(values):.1f} |")


def print_latency(samples: dict[str, Samples]) -> None:
    def ps(values: list[float]) -> str:
        return " / ".join(f"{percentile(values, p):.1f}" for p in (0.5, 0.9, 0.99))

    print(
        "\n| design | n | wall p50 / p90 / p99 ms | engine took p50 / p90 / p99 ms | engine CPU ms/search |"
    )
    print("|---|---|---|---|---|")
    for name, s in samples.items():
        n = len(s.wall_ms)
        print(f"| {name} | {n} | {ps(s.wall_ms)} | {ps(s.took_ms)} | {s.cpu_ms / n:.1f} |")


# --- sanity checks ----------------------------------------------------------------------------------


def arc_km(a: Location, b: Location) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def bad_offers(search: Search, answer: dict[str, Any]) -> int:
    """Offers shown that are out of the radius, of an inactive merchant, or out of stock when asked."""
    bad = 0
    for hit in answer["hits"]["hits"]:
        for offer in hit["inner_hits"]["stores"]["hits"]["hits"]:
            nested = offer["_source"]
            distance = offer["sort"][1]  # the engine's; checked against our own below
            ok = distance <= RADIUS_KM + 1e-6 and nested["merchant"].get("id") is not None
            if search.params.get("in_stock"):
                ok = ok and nested["in_stock"] is True and offer["sort"][0] == 1
            bad += not ok
    return bad


def check_distances(es: Elasticsearch, search: Search, answer: dict[str, Any]) -> int:
    """Our own distance for the offers shown (their location is not in the inner hit's _source)."""
    shown = {
        hit["_id"]: [o["_nested"]["offset"] for o in hit["inner_hits"]["stores"]["hits"]["hits"]]
        for hit in answer["hits"]["hits"]
    }
    if not shown:
        return 0
    docs = es.mget(
        index=INDEX, ids=list(shown), source=["offers.merchant.location", "offers.merchant.active"]
    )
    far = 0
    for doc in docs["docs"]:
        offers = doc["_source"]["offers"]
        for offset in shown[doc["_id"]]:
            loc = offers[offset]["merchant"]["location"]
            far += arc_km(search.location, (loc["lat"], loc["lon"])) > RADIUS_KM + 0.01
            far += offers[offset]["merchant"]["active"] is not True
    return far


def compare(es: Elasticsearch, alias: str, mix: list[Search]) -> None:
    overlaps: list[float] = []
    first_same = same_products = same_listings = same_prices = 0
    stores_same = stores_compared = bad = over_window = 0
    biggest = 0
    print("\nsanity: | search | page overlap | products A / B | listings A / B |")
    for search in mix:
        a = product_search.run(es, alias, search.params, search.location, RADIUS_KM, QUEBEC_BOOST)
        b = es.search(index=INDEX, **offers_search(search.params, search.location, RADIUS_KM, QUEBEC_BOOST))
        b = b.body
        a_keys = [h["_source"]["product_key"] for h in a.page["hits"]["hits"]]
        b_keys = [h["_source"]["product_key"] for h in b["hits"]["hits"]]
        overlap = len(set(a_keys) & set(b_keys)) / len(a_keys) if a_keys else float(not b_keys)
        overlaps.append(overlap)
        first_same += a_keys[:1] == b_keys[:1]
        a_products, b_products = a.page["aggregations"]["products"]["value"], b["hits"]["total"]["value"]
        biggest = max(biggest, b_products)
        over_window += b_products > RESCORE_WINDOW
        matching = b["aggregations"]["offers"]["matching"]
        a_listings, b_listings = a.page["hits"]["total"]["value"], matching["doc_count"]
        same_products += a_products == b_products
        same_listings += a_listings == b_listings
        a_prices = [x["doc_count"] for x in a.facets["price"]["buckets"]]
        same_prices += a_prices == [x["doc_count"] for x in matching["price"]["buckets"]]
        a_stores = {
            x["key"]: [h["_id"] for h in x["stores"]["hits"]["hits"]]
            for x in (a.stores or {}).get("by_product", {}).get("buckets", [])
        }
        for hit in b["hits"]["hits"]:
            key = hit["_source"]["product_key"]
            if key in a_stores:
                stores_compared += 1
                stores_same += a_stores[key] == [
                    o["_source"]["id"] for o in hit["inner_hits"]["stores"]["hits"]["hits"]
                ]
        bad += bad_offers(search, b) + check_distances(es, search, b)
        print(
            f"  | {search.label()} | {overlap:.2f} | {a_products:,} / {b_products:,} "
            f"| {a_listings:,} / {b_listings:,} |",
            flush=True,
        )
    n = len(mix)
    print(
        f"\nsanity over {n} searches: page overlap mean {sum(overlaps) / n:.2f}, min {min(overlaps):.2f}, "
        f"same first product {first_same}/{n}; "
        f"products A (cardinality) = B (hits.total) {same_products}/{n}; "
        f"listings A (hits.total) = B (nested filter count) {same_listings}/{n}; "
        f"price facet identical {same_prices}/{n}; same 3 stores for products on both pages "
        f"{stores_same}/{stores_compared}; offers shown out of radius / inactive / out of stock: {bad}; "
        f"largest B total {biggest:,} products, searches over the rescore window: {over_window}",
        flush=True,
    )


# --- stock updates ----------------------------------------------------------------------------------


@dataclass
class Writes:
    changes: int = 0
    seconds: float = 0.0
    cpu_bulk_ms: float = 0.0
    cpu_with_refresh_ms: float = 0.0
    bytes_sent: int = 0
    lucene_docs: int = 0


def sample_listings(es: Elasticsearch, alias: str, n: int, seed: int) -> list[dict[str, Any]]:
    """n random listings, whole (as today's indexer would re-index them)."""
    return es.search(
        index=alias,
        size=n,
        query={
            "function_score": {"query": live_listings(), "random_score": {"seed": seed, "field": "_seq_no"}}
        },
    )["hits"]["hits"]


def make_copies(
    es: Elasticsearch, alias: str, keys: set[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """LISTINGS_COPY: every listing of these products; OFFERS_COPY: their product documents. Returns
    the product documents by _id, twice (one to change, one to put INDEX back)."""
    for index in (LISTINGS_COPY, OFFERS_COPY):
        es.indices.delete(index=index, ignore_unavailable=True)
    es.indices.create(index=LISTINGS_COPY, **mappings.load("products"))
    es.indices.create(index=OFFERS_COPY, **offers_index_body("1s"))
    query = live_listings([{"terms": {"product_key": sorted(keys)}}])
    actions = (
        {"_index": LISTINGS_COPY, "_id": h["_id"], "_source": h["_source"]}
        for h in sorted_listings(es, alias, True, query)
    )
    copied = sum(1 for _ in streaming_bulk(es, actions, chunk_size=500))
    ids = [doc_id(k) for k in keys]
    products = {d["_id"]: d["_source"] for d in es.mget(index=INDEX, ids=ids)["docs"]}
    for _ in streaming_bulk(
        es, ({"_index": OFFERS_COPY, "_id": i, "_source": d} for i, d in products.items()), chunk_size=50
    ):
        pass
    for index in (LISTINGS_COPY, OFFERS_COPY):
        es.indices.refresh(index=index)
        es.indices.forcemerge(index=index, max_num_segments=1)
    print(f"copies: {copied:,} listings of {len(keys)} products in {LISTINGS_COPY}; same in {OFFERS_COPY}")
    return products, copy.deepcopy(products)


def ndjson(lines: list[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(line) + b"\n" for line in lines)


def timed_bulk(es: Elasticsearch, index: str, bodies: list[bytes], cpu: EngineCpu, writes: Writes) -> None:
    c0, t0 = cpu.ms(), time.perf_counter()
    for body in bodies:
        answer = es.bulk(operations=body, index=index, filter_path="errors,items.*.error")
        if answer.get("errors"):
            raise RuntimeError(f"bulk into {index}: {answer['items'][:1]}")
    writes.seconds += time.perf_counter() - t0
    c1 = cpu.ms()
    es.indices.refresh(index=index)
    writes.cpu_bulk_ms += c1 - c0
    writes.cpu_with_refresh_ms += cpu.ms() - c0
    writes.bytes_sent += sum(len(b) for b in bodies)


def stock_updates(
    es: Elasticsearch, alias: str, cpu: EngineCpu, n: int, rounds: int, batch: int, seed: int
) -> None:
    listings = sample_listings(es, alias, n, seed)
    products, originals = make_copies(es, alias, {h["_source"]["product_key"] for h in listings})
    offset = {}  # listing id -> (product _id, index in its offers)
    for pid, doc in products.items():
        for i, offer in enumerate(doc["offers"]):
            offset[offer["id"]] = (pid, i)
    rng = random.Random(seed)
    methods = {
        f"(a) one listing doc, {LISTINGS_COPY}": LISTINGS_COPY,
        f"(b) whole product doc, {OFFERS_COPY}": OFFERS_COPY,
        f"(b) whole product doc, {INDEX} (full)": INDEX,
    }
    results = {name: Writes() for name in methods}
    for r in range(rounds + 1):  # round 0 warms up
        quantities = [rng.randint(0, 40) for _ in listings]
        listing_lines: list[dict[str, Any]] = []
        product_lines: list[dict[str, Any]] = []
        docs_written = 0
        for hit, quantity in zip(listings, quantities, strict=True):
            source = copy.deepcopy(hit["_source"])
            source["stock"] = {"quantity": quantity}
            source["in_stock"] = quantity > 0
            listing_lines += [{"index": {"_id": hit["_id"]}}, source]
            pid, i = offset[hit["_id"]]
            doc = products[pid]
            doc["offers"][i]["stock"] = {"quantity": quantity}
            doc["offers"][i]["in_stock"] = quantity > 0
            product_lines += [{"index": {"_id": pid}}, doc]
            docs_written += 1 + len(doc["offers"])
        per_batch = 2 * batch
        bodies = {
            LISTINGS_COPY: [
                ndjson(listing_lines[k : k + per_batch]) for k in range(0, len(listing_lines), per_batch)
            ],
            OFFERS_COPY: [
                ndjson(product_lines[k : k + per_batch]) for k in range(0, len(product_lines), per_batch)
            ],
        }
        bodies[INDEX] = bodies[OFFERS_COPY]
        order = list(methods.items())
        order = order[r % len(order) :] + order[: r % len(order)]
        for name, index in order:
            writes = results[name] if r else Writes()
            timed_bulk(es, index, bodies[index], cpu, writes)
            writes.changes += len(listings)
            writes.lucene_docs += len(listings) if index == LISTINGS_COPY else docs_written
    # put the full offers index back as it was built
    restore = [line for pid, doc in originals.items() for line in ({"index": {"_id": pid}}, doc)]
    for k in range(0, len(restore), 2 * batch):
        es.bulk(operations=ndjson(restore[k : k + 2 * batch]), index=INDEX, filter_path="errors")
    es.indices.refresh(index=INDEX)
    es.options(request_timeout=3600).indices.forcemerge(index=INDEX, max_num_segments=1)  # as built
    print(
        f"\nstock changes: {n} random listings × {rounds} rounds, _bulk of {batch}, refresh after each "
        f"method's round; offers per sampled product: mean "
        f"{sum(len(d['offers']) for d in products.values()) / len(products):.0f}, "
        f"max {max(len(d['offers']) for d in products.values())}"
    )
    print(
        "\n| method | changes | changes/s | KB sent/change | Lucene docs/change "
        "| engine CPU ms/change (bulk) | (bulk + refresh) |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, w in results.items():
        print(
            f"| {name} | {w.changes} | {w.changes / w.seconds:,.0f} | {w.bytes_sent / w.changes / 1024:.1f} "
            f"| {w.lucene_docs / w.changes:.1f} | {w.cpu_bulk_ms / w.changes:.2f} "
            f"| {w.cpu_with_refresh_ms / w.changes:.2f} |",
            flush=True,
        )


# --- main -------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--es-url", required=True, help="an engine loaded with the listings")
    parser.add_argument("--prefix", default="benchapi-")
    parser.add_argument(
        "--reuse", action="store_true", help=f"keep {INDEX} if complete instead of rebuilding"
    )
    parser.add_argument("--keep", action="store_true", help=f"do not delete {INDEX} at the end")
    parser.add_argument("--searches", type=int, default=400, help="measured searches per design")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--breakdown", type=int, default=100, help="searches timed for B's breakdown")
    parser.add_argument("--compare", type=int, default=30, help="searches compared for the sanity checks")
    parser.add_argument("--changes", type=int, default=300, help="stock changes per round")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds of stock changes")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    settings = Settings(es_url=args.es_url, index_prefix=args.prefix)
    es = build_client(settings).options(request_timeout=120)
    alias = settings.alias("products")
    cpu = EngineCpu(es)
    listings = es.count(index=alias, query=live_listings())["count"]
    try:
        if args.reuse and reusable(es, listings):
            print(f"reusing {INDEX}", flush=True)
            es.options(request_timeout=3600).indices.forcemerge(index=INDEX, max_num_segments=1)
        else:
            es.indices.delete(index=INDEX, ignore_unavailable=True)
            print(f"building {INDEX} from {alias} ({listings:,} listings)", flush=True)
            build(es, alias, listings)
        print_sizes(es, alias)

        rng = random.Random(args.seed)
        warmup, mix = search_mix(rng, args.warmup), search_mix(rng, args.searches)
        runs = designs(es, alias)
        measure(runs, warmup, cpu)
        load, queries = os.getloadavg(), shard_queries(es)
        samples = measure(runs, mix, cpu)
        queries = shard_queries(es) - queries
        print(f"\nload average before / after the measured searches: {load} / {os.getloadavg()}")
        print(
            f"shard query phases on the engine during them: {queries:,} "
            f"(this script's: ~{6 * len(mix):,}: A 2 shards × 2 requests, B 2 shards × 1)"
        )
        print_latency(samples)
        print_breakdown(es, mix[: args.breakdown])

        compare(es, alias, mix[: args.compare])
        stock_updates(es, alias, cpu, args.changes, args.rounds, batch=50, seed=args.seed)
    finally:
        for index in (LISTINGS_COPY, OFFERS_COPY) if args.keep else (LISTINGS_COPY, OFFERS_COPY, INDEX):
            es.indices.delete(index=index, ignore_unavailable=True)
        print(f"deleted the offersexp-* indices{' but ' + INDEX if args.keep else ''}", flush=True)


if __name__ == "__main__":
    main()
