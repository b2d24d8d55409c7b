"""GET /metrics: requests and latency by route and status, engine errors by reason, the analytics
series; and under `panier serve` (several gunicorn workers) every scrape adds up all the workers."""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from indexer.engine import search_events
from panier_core.settings import Settings
from query_api import create_app

from .api_helpers import dead_url, panier_serve

REPO = Path(__file__).resolve().parents[2]
# The client and its corpus (api_settings) come from conftest.py.


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    return samples(response.get_data(as_text=True))


def value(scraped: dict, name: str, **labels: str) -> float:
    return scraped.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_and_latency_are_counted_by_route_and_status(client):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/v1/suggest?q=fro").status_code == 200
    assert client.get("/v1/merchants?per_page=0").status_code == 400
    assert client.get("/v1/merchants/m-nope").status_code == 404
    assert client.get("/v2/anything").status_code == 404
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("panier_http_requests_total", endpoint="/v1/suggest", status="200") == 3
    assert delta("panier_http_requests_total", endpoint="/v1/merchants", status="400") == 1
    assert delta("panier_http_requests_total", endpoint="/v1/merchants/<merchant_id>", status="404") == 1
    assert delta("panier_http_requests_total", endpoint="unmatched", status="404") == 1  # never raw paths
    assert delta("panier_http_request_duration_seconds_count", endpoint="/v1/suggest", status="200") == 3
    assert delta("panier_http_request_duration_seconds_sum", endpoint="/v1/suggest", status="200") > 0
    assert (
        delta("panier_http_request_duration_seconds_bucket", endpoint="/v1/suggest", status="200", le="+Inf")
        == 3
    )
    assert (
        delta("panier_http_requests_total", endpoint="/metrics", status="200") == 0
    )  # scrapes are not traffic
    # An unknown id is the shopper's 404, not an engine error.
    assert (
        delta("panier_engine_errors_total", endpoint="/v1/merchants/<merchant_id>", reason="not_loaded") == 0
    )


def test_engine_errors_are_counted_by_reason(engine, client):
    down = create_app(Settings(es_url=dead_url(), max_retries=0)).test_client()
    empty = create_app(Settings(es_url=engine.url, index_prefix=f"mx{uuid.uuid4().hex[:8]}-")).test_client()
    before = scrape(client)
    assert down.get("/v1/merchants?q=pain").status_code == 503
    assert down.get("/v1/products?q=pain").status_code == 503
    assert empty.get("/v1/suggest?q=pain").status_code == 503  # no catalogue under that prefix
    after = scrape(client)

    def delta(**labels: str) -> float:
        name = "panier_engine_errors_total"
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta(endpoint="/v1/merchants", reason="unavailable") == 1
    assert delta(endpoint="/v1/products", reason="unavailable") == 1
    assert delta(endpoint="/v1/suggest", reason="not_loaded") == 1
    assert value(after, "panier_http_requests_total", endpoint="/v1/merchants", status="503") >= 1


def test_the_analytics_series_are_exposed(client):
    scraped = scrape(client)
    names = {name for name, _labels in scraped}
    assert {"panier_analytics_events_recorded_total", "panier_analytics_queue_depth"} <= names
    for reason in ("queue_full", "engine", "rejected", "error"):
        assert ("panier_analytics_events_dropped_total", (("reason", reason),)) in scraped


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # a new connection each time
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_panier_serve_adds_up_every_worker_and_writes_their_events(es, api_settings, tmp_path):
    assert search_events.install(es, api_settings) == "installed"
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"left by an earlier run")  # must be wiped at start
    env = dict(
        os.environ,
        PANIER_ES_URL=api_settings.es_url,
        PANIER_INDEX_PREFIX=api_settings.index_prefix,
        PANIER_ANALYTICS="on",
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
    )
    with panier_serve(tmp_path / "serve.log", env, workers=2, threads=2, ready="/v1/health") as base:
        searches = 24
        for _ in range(searches):
            assert fetch(f"{base}/v1/merchants?q=plusieurs%20processus")[0] == 200
        # Whichever worker answers the scrape, it reports the requests of both.
        for _ in range(6):
            status, text = fetch(f"{base}/metrics")
            assert status == 200
            scraped = samples(text)
            assert (
                value(scraped, "panier_http_requests_total", endpoint="/v1/merchants", status="200")
                == searches
            )
        # Each worker started its own flusher (the app was built before the fork): all events arrive.
        stream = search_events.data_stream(api_settings)
        query = {"term": {"query": "plusieurs processus"}}
        for _ in range(100):
            es.indices.refresh(index=stream, ignore_unavailable=True)
            if es.options(ignore_status=404).count(index=stream, query=query).get("count", 0) >= searches:
                break
            time.sleep(0.2)
        assert es.count(index=stream, query=query)["count"] == searches
        scraped = samples(fetch(f"{base}/metrics")[1])
        assert value(scraped, "panier_analytics_events_recorded_total") == searches
    assert not list(metrics_dir.glob("counter_1.db"))
