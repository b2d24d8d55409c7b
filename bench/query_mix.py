"""The query API benchmark's shopper query mix, and each query two ways: as the API path a
shopper requests, and as the engine requests the API sends for it (``bench.api`` times both;
``bench.analytics`` sends the API side).
"""

from __future__ import annotations

import random
import urllib.parse
from collections.abc import Callable

from elasticsearch import Elasticsearch

from panier_core.settings import Settings
from query_api import places
from query_api.queries import MerchantLookup, MerchantSearch, ProductPage, ProductSearch, Suggestions, Where
from query_api.schemas import LOOKUP, MERCHANT_SEARCH, PRODUCT_SEARCH, SUGGEST

TOWNS = [
    "Montréal",
    "Québec",
    "Trois-Rivières",
    "Sherbrooke",
    "Gatineau",
    "Laval",
    "Saguenay",
    "Rimouski",
    "Saint-Jérôme",
    "Drummondville",
    "Granby",
    "Lévis",
]
WORDS = [
    "sirop",
    "sirop d'érable",
    "fromage",
    "pain",
    "bière",
    "miel",
    "chocolat",
    "tuque",
    "café",
    "bleuets",
    "croustilles",
    "savon",
    "livre",
    "confiture",
    "cidre",
    "beurre",
    "tarte",
    "vin",
    "épicerie",
    "fromagerie",
]
PREFIXES = ["s", "si", "fr", "fro", "bou", "éra", "erab", "pa", "ch", "mi", "bi", "dé"]


def product_params(rng: random.Random, town: str) -> dict[str, str]:
    """A text+geo product search as a shopper sends it: a word near a town, 25 km, in stock half the time."""
    params = {"q": rng.choice(WORDS), "near": town, "radius_km": "25"}
    if rng.random() < 0.5:
        params["in_stock"] = "true"
    return params


def query_mix(
    rng: random.Random, n: int, merchant_ids: list[str], listing_ids: list[str]
) -> list[tuple[str, dict]]:
    """(type, params) pairs; the same list drives both paths."""
    mix = []
    for i in range(n):
        kind = ["products", "products", "merchants", "suggest", "facets", "map", "lookup"][i % 7]
        town = rng.choice(TOWNS)
        if kind == "products":
            params = product_params(rng, town)
        elif kind == "merchants":
            params = {"near": town, "radius_km": "15", "sort": "distance"}
            if rng.random() < 0.5:
                params["q"] = rng.choice(WORDS)
        elif kind == "suggest":
            place = places.resolve(town)
            params = {"q": rng.choice(PREFIXES), "lat": str(place.lat), "lon": str(place.lon)}
        elif kind == "facets":
            params = {"near": town, "radius_km": "50", "per_page": "1"}
        elif kind == "map":
            place = places.resolve(town)
            params = {
                "bbox": f"{place.lon - 0.5},{place.lat - 0.3},{place.lon + 0.5},{place.lat + 0.3}",
                "zoom": "9",
                "per_page": "1",
            }
        else:
            params = {"id": rng.choice(merchant_ids if rng.random() < 0.5 else listing_ids)}
        mix.append((kind, params))
    return mix


def api_path(kind: str, params: dict) -> str:
    if kind == "lookup":
        return f"/v1/{'merchants' if params['id'].startswith('m-') else 'products'}/{params['id']}"
    path = {
        "products": "products",
        "merchants": "merchants",
        "suggest": "suggest",
        "facets": "products",
        "map": "merchants",
    }
    return f"/v1/{path[kind]}?{urllib.parse.urlencode(params)}"


def direct_call(es: Elasticsearch, settings: Settings, kind: str, params: dict) -> Callable[[], object]:
    """The engine requests the API sends for these parameters, built and sent by the same code
    (the search objects of ``query_api.queries``, without reading the answers); each call returns
    the engine's ``took`` (ms) summed over its requests, or None for lookups (``get`` reports none)."""
    if kind == "lookup":
        if params["id"].startswith("m-"):
            merchant = MerchantLookup(params["id"], settings)

            def merchant_page() -> object:
                es.get(index=merchant.index, **merchant.request())
                return None

            return merchant_page
        page = ProductPage(params["id"], LOOKUP.load({}), Where(), settings)

        def product_page() -> object:  # the get, then every store of the product, as the API does
            doc = es.get(index=page.index, **page.request())["_source"]
            es.search(index=page.index, **page.stores_request(doc))
            return None

        return product_page
    if kind == "suggest":
        suggestions = Suggestions(SUGGEST.load(params), settings)
        body = suggestions.request()
        return lambda: es.search(index=suggestions.index, **body)["took"]
    schema = PRODUCT_SEARCH if kind in ("products", "facets") else MERCHANT_SEARCH
    p = schema.load(params)
    where = Where()
    if "near" in p:
        place = places.resolve(p["near"])
        where = Where((place.lat, place.lon), p.get("radius_km", where.radius_km))
    if schema is PRODUCT_SEARCH:
        search = ProductSearch(p, where, settings)

        def products() -> object:  # the page, then one _msearch for its stores and its facets
            page, follow_ups = search.send(es)
            return page["took"] + follow_ups["took"]

        return products
    merchants = MerchantSearch(p, where, settings)
    if not p.get("q"):
        body = merchants.request()
        return lambda: es.search(index=merchants.index, **body)["took"]

    def merchants_with_words() -> object:  # the carriers among the listings, then the merchants
        carriers, took = merchants.find_carriers(es)
        return took + es.search(index=merchants.index, **merchants.request(carriers))["took"]

    return merchants_with_words
