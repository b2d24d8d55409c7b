"""Search analytics against a real engine: each search becomes an event in the data stream, with the
agreed fields and a coarse location; analytics off writes nothing; an analytics engine that is down
costs events (counted), never searches.

The local engine has no data-streams module, so a data stream cannot be deleted there: the one this
module writes stays until that engine stops (a real Elasticsearch deletes it at teardown).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from datetime import datetime

import pytest
from prometheus_client.parser import text_string_to_metric_families

from indexer.engine import search_events
from panier_core.settings import Settings
from query_api import analytics, create_app
from query_api.analytics import Recorder

from . import corpus
from .api_helpers import dead_url, get
from .faults import FaultProxy

TR = corpus.TROIS_RIVIERES
AT_TR = f"lat={TR[0]}&lon={TR[1]}"


@pytest.fixture(scope="module")
def api_settings(api_settings, es):
    """The shared corpus (conftest.py), with analytics on and the search events' template installed."""
    settings = replace(api_settings, analytics=True)
    assert search_events.install(es, settings) == "installed"
    return settings


def events(es, settings: Settings, query: str) -> list[dict]:
    """The stored events whose normalized query is ``query``, oldest first."""
    stream = search_events.data_stream(settings)
    es.indices.refresh(index=stream)
    hits = es.search(index=stream, query={"term": {"query": query}}, sort=[{"@timestamp": "asc"}], size=100)[
        "hits"
    ]["hits"]
    return [hit["_source"] for hit in hits]


def metric(client, name: str, **labels: str) -> float:
    """A sample from the app's /metrics (0 when the series does not exist yet)."""
    text = client.get("/metrics").get_data(as_text=True)
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def test_install_is_idempotent_and_the_engine_accepts_the_template(es, api_settings):
    assert search_events.install(es, api_settings) == "exists"
    found = es.indices.get_index_template(name=search_events.template_name(api_settings))["index_templates"]
    template = found[0]["index_template"]
    assert template["data_stream"] is not None
    assert template["template"]["lifecycle"]["data_retention"] == "30d"


def test_each_search_becomes_an_event_with_the_dashboard_fields(es, api_settings, app, client):
    started = time.time()
    products = get(
        client,
        "/v1/products?q=Sirop%20d%27%C3%89RABLE&near=trois%20rivieres&radius_km=30&in_stock=true"
        "&quebec=true&category=%C3%89picerie&brand=%C3%89rabli%C3%A8re%20du%20Rang&sort=distance",
    )
    merchants = get(
        client,
        f"/v1/merchants?q=Fromagerie&{AT_TR}&radius_km=10&service=cueillette&region=Mauricie&page=1",
    )
    suggest = get(client, f"/v1/suggest?q=Froma&{AT_TR}")
    assert analytics.recorder_of(app).flush()

    [product_event] = events(es, api_settings, "sirop d erable")
    cell, centre = analytics.coarse_location(TR[0], TR[1])
    assert product_event["endpoint"] == "products"
    assert product_event["filters"] == {
        "category": "Épicerie",
        "brand": "Érablière du Rang",
        "sort": "distance",
        "in_stock": True,
        "quebec": True,
        "near": "Trois-Rivières",  # the place the API resolved, as shoppers were told
        "radius_km": 30.0,
    }
    assert product_event["total"] == products["total"] > 0
    assert product_event["zero_results"] is False
    assert product_event["page"] == 1
    assert isinstance(product_event["took_ms"], int) and product_event["took_ms"] >= 0
    assert product_event["latency_ms"] > 0
    assert len(product_event["geohash"]) == 5
    stamp = datetime.fromisoformat(product_event["@timestamp"]).timestamp()
    assert started - 1 <= stamp <= time.time() + 1

    [merchant_event] = events(es, api_settings, "fromagerie")
    assert merchant_event["endpoint"] == "merchants"
    assert merchant_event["filters"] == {
        "service": "cueillette",
        "region": "Mauricie",
        "sort": "relevance",
        "radius_km": 10.0,
    }
    assert merchant_event["total"] == merchants["total"] > 0
    assert (merchant_event["geohash"], merchant_event["location"]) == (cell, centre)

    [suggest_event] = events(es, api_settings, "froma")
    assert suggest_event["endpoint"] == "suggest"
    assert suggest_event["total"] == len(suggest["items"]) > 0
    assert suggest_event["filters"] == {} and "page" not in suggest_event
    for event in (product_event, merchant_event, suggest_event):
        assert not {"ip", "client", "user", "user_agent", "headers"} & set(event)


def test_a_search_that_finds_nothing_is_flagged(es, api_settings, app, client):
    assert get(client, "/v1/products?q=xylophone%20introuvable")["total"] == 0
    assert get(client, "/v1/merchants?q=xylophone%20introuvable")["total"] == 0
    assert analytics.recorder_of(app).flush()
    found = events(es, api_settings, "xylophone introuvable")
    assert [(e["endpoint"], e["total"], e["zero_results"]) for e in found] == [
        ("products", 0, True),
        ("merchants", 0, True),
    ]


def test_a_relaxed_answer_is_recorded_as_the_zero_result_it_was_with_what_was_relaxed(
    es, api_settings, app, client
):
    body = get(client, "/v1/products?q=miel%20maison")
    assert body["total"] > 0 and body["relaxed"]["dropped"] == ["maison"]
    assert analytics.recorder_of(app).flush()
    [event] = events(es, api_settings, "miel maison")
    assert (event["total"], event["zero_results"]) == (0, True)
    assert event["relaxed"] == {"dropped": ["maison"], "matching": "all"}


def test_the_recorded_location_is_the_centre_of_a_five_km_cell_not_the_point(es, api_settings, app, client):
    point = (46.3511234, -72.5522345)
    get(client, f"/v1/merchants?q=localisation%20approximative&lat={point[0]}&lon={point[1]}")
    assert analytics.recorder_of(app).flush()
    [event] = events(es, api_settings, "localisation approximative")
    location = event["location"]
    assert (location["lat"], location["lon"]) != point
    assert corpus.haversine_km(point, (location["lat"], location["lon"])) < 3.5  # half a cell diagonal
    # The engine agrees: its own geohash grid puts the stored location in the recorded cell.
    result = es.search(
        index=search_events.data_stream(api_settings),
        size=0,
        query={"term": {"query": "localisation approximative"}},
        aggs={"cells": {"geohash_grid": {"field": "location", "precision": 5}}},
    )
    assert [b["key"] for b in result["aggregations"]["cells"]["buckets"]] == [event["geohash"]]
    assert event["geohash"] == analytics.geohash(*point)


def test_with_analytics_off_nothing_is_recorded(es, api_settings, app, client):
    off = create_app(replace(api_settings, analytics=False))
    assert analytics.recorder_of(off) is None
    recorded = metric(client, "panier_analytics_events_recorded_total")
    off_client = off.test_client()
    for _ in range(3):
        assert off_client.get("/v1/merchants?q=rien%20du%20tout").status_code == 200
    assert analytics.recorder_of(app).flush()  # what the module's app had queued is written
    assert events(es, api_settings, "rien du tout") == []
    assert metric(client, "panier_analytics_events_recorded_total") == recorded


def test_searches_answer_when_the_analytics_engine_goes_down_and_the_loss_is_counted(
    engine, es, api_settings
):
    with FaultProxy(engine.url) as proxy:
        app = create_app(replace(api_settings, analytics_es_url=proxy.url))
        client = app.test_client()
        recorder = analytics.recorder_of(app)
        get(client, "/v1/merchants?q=avant%20la%20panne")
        assert recorder.flush()
        assert len(events(es, api_settings, "avant la panne")) == 1

        dropped = metric(client, "panier_analytics_events_dropped_total", reason="engine")
        recorded = metric(client, "panier_analytics_events_recorded_total")
        proxy.plan.down = True
        for _ in range(5):
            assert get(client, "/v1/products?q=pendant%20la%20panne")["total"] == 0
            assert get(client, f"/v1/merchants?{AT_TR}&radius_km=5")["total"] > 0
        assert recorder.flush()
        assert metric(client, "panier_analytics_events_dropped_total", reason="engine") == dropped + 10
        assert metric(client, "panier_analytics_events_recorded_total") == recorded
        proxy.plan.down = False
    assert events(es, api_settings, "pendant la panne") == []


def test_a_full_queue_drops_events_and_counts_them_without_slowing_searches(api_settings):
    app = create_app(replace(api_settings, analytics_es_url=dead_url()))
    # A flusher that only runs when asked: the queue (3 places) fills after three searches.
    app.extensions[analytics.EXTENSION] = recorder = Recorder(
        replace(api_settings, analytics_es_url=dead_url()), queue_size=3, interval=3600, batch_size=1000
    )
    client = app.test_client()
    full = metric(client, "panier_analytics_events_dropped_total", reason="queue_full")
    engine_down = metric(client, "panier_analytics_events_dropped_total", reason="engine")
    for _ in range(10):
        get(client, "/v1/suggest?q=bou")
    assert metric(client, "panier_analytics_events_dropped_total", reason="queue_full") == full + 7
    assert recorder.flush()
    assert metric(client, "panier_analytics_events_dropped_total", reason="engine") == engine_down + 3


def test_events_without_the_template_are_refused_not_written_to_an_ordinary_index(engine, es):
    settings = Settings(es_url=engine.url, index_prefix=f"an{uuid.uuid4().hex[:8]}-", analytics=True)
    client = create_app(settings).test_client()
    recorder = Recorder(settings)
    rejected = metric(client, "panier_analytics_events_dropped_total", reason="rejected")
    recorder.record(analytics.Search("suggest", {"q": "pain"}, None, 1, 1), time.time(), 1.0)
    assert recorder.flush()
    assert metric(client, "panier_analytics_events_dropped_total", reason="rejected") == rejected + 1
    assert not es.indices.exists(index=search_events.data_stream(settings))
