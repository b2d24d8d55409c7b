"""Search events built from a search, without an engine: normalization, coarse location, fields."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

import mappings
from indexer.engine import search_events
from panier_core.settings import Settings
from query_api import analytics
from query_api.analytics import Search, coarse_location, event_document, geohash, normalize_query

TR = (46.3432, -72.5418)  # Trois-Rivières


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Sirop   D'ÉRABLE ", "sirop d erable"),
        ("sirop d’érable", "sirop d erable"),  # a phone's apostrophe counts as the same search
        ("Bière\tde  MICROBRASSERIE", "biere de microbrasserie"),
        ("Crème glacée à l'érable!", "creme glacee a l erable"),
        ("", ""),
        (None, ""),
    ],
)
def test_queries_are_lowercased_folded_and_collapsed(text, expected):
    assert normalize_query(text) == expected


@pytest.mark.parametrize(
    ("lat", "lon", "cell"),
    [
        (57.64911, 10.40744, "u4pru"),  # the classic example of the geohash literature
        (48.8584, 2.2945, "u09tu"),  # Eiffel tower
        (45.5017, -73.5673, "f25dv"),  # Montréal
        (-33.8568, 151.2153, "r3gx2"),  # southern and eastern hemispheres
    ],
)
def test_geohash_matches_known_cells(lat, lon, cell):
    assert geohash(lat, lon) == cell
    assert geohash(lat, lon, 11).startswith(cell)


def test_the_location_kept_is_the_centre_of_a_five_km_cell_never_the_point():
    cell, centre = coarse_location(*TR)
    min_lat, max_lat, min_lon, max_lon = analytics.cell_bounds(cell)
    assert len(cell) == 5
    assert min_lat <= TR[0] <= max_lat and min_lon <= TR[1] <= max_lon
    assert (max_lat - min_lat, max_lon - min_lon) == pytest.approx((180 / 2**12, 360 / 2**13))
    assert centre == pytest.approx({"lat": (min_lat + max_lat) / 2, "lon": (min_lon + max_lon) / 2}, abs=1e-6)
    assert (centre["lat"], centre["lon"]) != TR
    # Every point of the cell maps to the same event location: the point cannot be told apart.
    for lat in (min_lat + 1e-6, max_lat - 1e-6):
        for lon in (min_lon + 1e-6, max_lon - 1e-6):
            assert coarse_location(lat, lon) == (cell, centre)
    height_km = (max_lat - min_lat) * 111.2
    width_km = (max_lon - min_lon) * 111.2 * math.cos(math.radians(TR[0]))
    assert 4.5 < height_km < 5.0 and 3.0 < width_km < 4.0


def test_a_product_search_event_has_the_dashboard_fields():
    params = {
        "q": "Sirop d'Érable",
        "near": "trois rivieres",
        "in_stock": True,
        "quebec": False,
        "category": "Épicerie",
        "brand": "Érablière du Rang",
        "sort": "distance",
        "page": 2,
        "per_page": 20,
        "stores": 3,
        "min_price": 5.0,
    }
    where = {"near": "Trois-Rivières", "lat": TR[0], "lon": TR[1], "radius_km": 25.0}
    doc = event_document(Search("products", params, where, 7, 12), 1_795_000_000.25, 4.56789)
    cell, centre = coarse_location(*TR)
    assert doc == {
        "@timestamp": "2026-11-18T11:06:40.250+00:00",
        "endpoint": "products",
        "query": "sirop d erable",
        "filters": {
            "category": "Épicerie",
            "brand": "Érablière du Rang",
            "sort": "distance",
            "in_stock": True,
            "quebec": False,
            "near": "Trois-Rivières",
            "radius_km": 25.0,
        },
        "total": 7,
        "zero_results": False,
        "took_ms": 12,
        "latency_ms": 4.568,
        "geohash": cell,
        "location": centre,
        "page": 2,
    }


def test_a_suggest_event_takes_its_location_from_lat_lon_and_has_no_page():
    doc = event_document(
        Search("suggest", {"q": "Fro", "lat": TR[0], "lon": TR[1], "size": 8}, None, 0, 1), 0, 1
    )
    assert doc["endpoint"] == "suggest" and doc["query"] == "fro"
    assert doc["zero_results"] is True and doc["filters"] == {}
    assert doc["geohash"] == geohash(*TR) and "page" not in doc


def test_a_search_without_text_or_location_records_an_empty_query_and_no_location():
    doc = event_document(
        Search("merchants", {"sort": "relevance", "page": 1, "per_page": 20}, None, 3, 2), 0, 1
    )
    assert doc["query"] == "" and doc["filters"] == {"sort": "relevance"}
    assert "location" not in doc and "geohash" not in doc


def test_events_hold_nothing_that_identifies_a_shopper():
    params = {"q": "pain", "lat": TR[0], "lon": TR[1], "radius_km": 5.0, "page": 1, "per_page": 20}
    doc = event_document(Search("merchants", params, dict(params), 1, 1), 0, 1)
    flat = str(doc)
    assert str(TR[0]) not in flat and str(TR[1]) not in flat
    assert not {"ip", "client", "user", "user_agent", "session", "lat", "lon"} & set(doc)


def _mapped_fields(properties: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for name, spec in properties.items():
        if "properties" in spec:
            out.update(_mapped_fields(spec["properties"], f"{prefix}{name}."))
        else:
            out[f"{prefix}{name}"] = spec["type"]
    return out


def test_the_template_maps_every_event_field_with_the_agreed_type():
    body = search_events.template_body(Settings(index_prefix="staging-"))
    assert body["index_patterns"] == ["staging-logs-panier.search-*"]
    assert body["data_stream"] == {}
    assert body["template"]["lifecycle"] == {"data_retention": "30d"}
    assert "lifecycle" not in body["template"]["settings"]["index"]  # no ILM
    fields = _mapped_fields(body["template"]["mappings"]["properties"])
    assert fields == {
        "@timestamp": "date",
        "endpoint": "keyword",
        "query": "keyword",
        "filters.category": "keyword",
        "filters.brand": "keyword",
        "filters.service": "keyword",
        "filters.region": "keyword",
        "filters.sort": "keyword",
        "filters.near": "keyword",
        "filters.in_stock": "boolean",
        "filters.quebec": "boolean",
        "filters.radius_km": "float",
        "location": "geo_point",
        "geohash": "keyword",
        "total": "long",
        "zero_results": "boolean",
        "took_ms": "long",
        "latency_ms": "float",
        "page": "integer",
        "understood.quebec": "boolean",
        "understood.certifications": "keyword",
        "understood.dropped": "keyword",
        "relaxed.dropped": "keyword",
        "relaxed.matching": "keyword",
        "relaxed.radius_km": "float",
    }
    params = {
        "q": "x",
        "near": "Laval",
        "in_stock": True,
        "quebec": True,
        "category": "c",
        "brand": "b",
        "service": "livraison",
        "region": "r",
        "sort": "distance",
        "page": 1,
    }
    where = {"near": "Laval", "lat": 45.6, "lon": -73.7, "radius_km": 10}
    understood = {"quebec": True, "certifications": ["Biologique Canada"], "dropped": ["bio"]}
    relaxed = {"dropped": ["maison"], "matching": "all", "radius_km": 100.0}
    doc = event_document(Search("products", params, where, 1, 1, understood, relaxed), 0, 1)
    nested = ("filters", "understood", "relaxed")
    flat = {f"{n}.{k}" for n in nested for k in doc[n]} | (set(doc) - set(nested))
    assert flat == set(fields)


def test_an_event_keeps_what_was_understood_and_relaxed_and_stays_a_zero_result():
    relaxed = {"dropped": ["maison"], "matching": "all"}
    doc = event_document(Search("products", {"q": "saucisses maison"}, None, 0, 3, None, relaxed), 0, 1)
    assert (doc["query"], doc["total"], doc["zero_results"], doc["relaxed"]) == (
        "saucisses maison", 0, True, relaxed
    )  # fmt: skip
    assert "understood" not in doc  # nothing was understood
    quiet = {"quebec": False, "certifications": [], "dropped": []}
    assert "understood" not in event_document(Search("products", {"q": "miel"}, None, 2, 1, quiet), 0, 1)


def test_the_template_file_is_in_the_mappings_package():
    path = mappings.synonyms_file().parent / search_events.TEMPLATE_FILE
    assert path.is_file()


def test_the_data_stream_and_template_follow_the_index_prefix():
    assert search_events.data_stream(Settings()) == "logs-panier.search-default"
    assert search_events.data_stream(Settings(index_prefix="t1-")) == "t1-logs-panier.search-default"
    assert search_events.template_name(Settings(index_prefix="t1-")) == "t1-logs-panier.search"


def test_the_cli_and_analytics_do_not_import_prometheus_client():
    # `panier up` runs `init` (which imports query_api.analytics) and then `serve` in one process;
    # prometheus_client must be imported only after serve has chosen its multiprocess directory.
    code = "import sys, cli, query_api.analytics, query_api.server; print('prometheus_client' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
