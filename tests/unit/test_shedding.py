"""Shedding load without an engine: the in-flight bound around a WSGI app that blocks until told,
per-client rate limits on routes that answer before reaching the engine, and the engine's own 429
(its search queue full) passed on as a 503."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import elasticsearch
import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from werkzeug.test import Client
from werkzeug.wrappers import Response

from panier_core.settings import Settings, SettingsError
from query_api import create_app, metrics
from query_api.shedding import InFlightLimit, default_bound


def blocking_app(release: threading.Event, entered: threading.Semaphore):
    """A WSGI app whose API requests stay inside it until `release` is set (``/v1/health`` and the
    page's files never wait)."""

    def app(environ, start_response):
        path = environ["PATH_INFO"]
        if path.startswith("/v1/") and path != "/v1/health":
            entered.release()
            assert release.wait(10)
        return Response(b"{}", content_type="application/json")(environ, start_response)

    return app


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    body = json.loads(response.get_data())
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]
    return body


def test_beyond_the_bound_a_request_is_answered_503_at_once_with_retry_after():
    release, entered, shed = threading.Event(), threading.Semaphore(0), []
    limited = InFlightLimit(blocking_app(release, entered), 2, on_shed=lambda: shed.append(1))
    with ThreadPoolExecutor(2) as pool:
        held = [pool.submit(Client(limited).get, "/v1/products") for _ in range(2)]
        for _ in range(2):
            assert entered.acquire(timeout=5)  # both inside the app, waiting
        refused = Client(limited).get("/v1/products")  # not waiting: answered while the two wait
        assert_error_shape(refused, 503)
        assert refused.headers["Retry-After"] == "1"
        assert int(refused.headers["Content-Length"]) == len(refused.get_data())
        assert shed == [1]
        health = Client(limited).get("/v1/health")  # exempt: a busy worker is not a dead one
        assert health.status_code == 200
        assert Client(limited).get("/assets/js/main.js").status_code == 200  # the page: files only
        release.set()
        assert [f.result(timeout=5).status_code for f in held] == [200, 200]
    assert Client(limited).get("/v1/products").status_code == 200  # slots given back
    assert shed == [1]


def test_a_slot_is_given_back_when_the_app_raises():
    def failing(environ, start_response):
        raise RuntimeError("boom")

    limited = InFlightLimit(failing, 1)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            limited({"PATH_INFO": "/v1/products"}, lambda *a: None)
    assert limited.in_flight == 0


def test_the_default_bound_is_half_the_threads_and_at_least_one():
    assert [default_bound(t) for t in (1, 2, 3, 8, 16)] == [1, 1, 1, 4, 8]
    with pytest.raises(ValueError):
        InFlightLimit(lambda e, s: [], 0)


def test_rate_limits_come_from_settings_and_are_off_in_code():
    assert Settings().rate_limit == Settings().ingest_rate_limit == "off"
    env = Settings.from_env({})
    assert (env.rate_limit, env.ingest_rate_limit) == ("50/second;1500/minute", "10/second;300/minute")
    assert Settings.from_env({"PANIER_RATE_LIMIT": "5/second"}).rate_limit == "5/second"
    with pytest.raises(SettingsError, match="PANIER_INGEST_RATE_LIMIT must be off or limits"):
        Settings.from_env({"PANIER_INGEST_RATE_LIMIT": "many"})
    assert Settings.from_env({"PANIER_API_MAX_IN_FLIGHT": "0"}).max_in_flight == 0
    assert Settings.from_env({}).max_in_flight is None  # half the threads, chosen by panier serve


def shed_count(reason: str) -> float:
    return metrics.SHED.labels(reason)._value.get()


def test_over_its_rate_limit_a_client_gets_429_with_retry_after_in_the_one_shape():
    app = create_app(Settings(index_prefix="unit-", rate_limit="2/minute"))
    client = app.test_client()
    before = shed_count("rate_limit")
    # Refused parameters answer before the engine is asked, and count like any request.
    for _ in range(2):
        assert client.get("/v1/merchants?per_page=0").status_code == 400
    limited = client.get("/v1/merchants?per_page=0")
    body = assert_error_shape(limited, 429)
    assert "2 per 1 minute" in body["error"]["message"]
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert shed_count("rate_limit") == before + 1
    # Each endpoint has its own count; another client address has its own too.
    assert client.get("/v1/suggest?q=").status_code == 400
    other = client.get("/v1/merchants?per_page=0", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 400
    assert client.get("/v1/openapi.json").status_code == 200  # never limited


def test_ingest_has_its_own_rate_limit():
    app = create_app(Settings(index_prefix="unit-", ingest_rate_limit="1/minute"))
    client = app.test_client()
    assert client.post("/v1/ingest/stock", json=[]).status_code == 401  # no key
    assert_error_shape(client.post("/v1/ingest/stock", json=[]), 429)
    assert client.get("/v1/merchants?per_page=0").status_code == 400  # search: off, not limited


def test_no_limiter_is_installed_when_both_limits_are_off():
    app = create_app(Settings(index_prefix="unit-"))
    assert "limiter" not in app.extensions


def engine_error(status: int, error_type: str) -> elasticsearch.ApiError:
    """The exception the client raises for an engine answer of `status` (as the engine words it)."""
    body = {"error": {"type": error_type, "reason": "rejected execution of search"}, "status": status}
    meta = ApiResponseMeta(
        status=status,
        http_version="1.1",
        headers=HttpHeaders(),
        duration=0.01,
        node=NodeConfig("http", "127.0.0.1", 9200),
    )
    return elasticsearch.ApiError(error_type, meta=meta, body=body)


def test_the_engine_s_429_is_passed_on_as_503_with_retry_after():
    app = create_app(Settings(index_prefix="unit-"))

    @app.get("/unit/engine-busy")
    def busy():
        raise engine_error(429, "es_rejected_execution_exception")

    before = metrics.ENGINE_ERRORS.labels("/unit/engine-busy", "busy")._value.get()
    response = app.test_client().get("/unit/engine-busy")
    body = assert_error_shape(response, 503)
    assert body["error"]["message"] == "the search engine is busy; try again shortly"
    assert response.headers["Retry-After"] == "5"
    assert metrics.ENGINE_ERRORS.labels("/unit/engine-busy", "busy")._value.get() == before + 1
