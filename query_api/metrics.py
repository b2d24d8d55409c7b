"""Prometheus metrics at ``GET /metrics``: requests, latency, engine errors, search analytics.

Under ``panier serve`` the API runs in several gunicorn worker processes, and a scrape reaches just
one of them. prometheus_client's multiprocess mode makes every worker write its values to files in
``PROMETHEUS_MULTIPROC_DIR`` and ``/metrics`` add up the files of all workers, so each scrape sees
the whole server. The mode is chosen when prometheus_client is first imported: query_api/server.py
sets the directory up before the app (and so this module) is imported. Without the variable (tests,
``flask run``) values live in this process's default registry.
"""

from __future__ import annotations

import os
import time

import elasticsearch
from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
PATH = "/metrics"

REQUESTS = Counter(
    "panier_http_requests", "HTTP requests answered, by route and status.", ["endpoint", "status"]
)
LATENCY = Histogram(
    "panier_http_request_duration_seconds",
    "Time from the request reaching the app to its answer, by route and status.",
    ["endpoint", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
ENGINE_ERRORS = Counter(
    "panier_engine_errors",
    "Requests failed by the engine: unavailable (connection), timeout, busy (429/503/504), "
    "not_loaded (alias or index missing), refused (any other engine error).",
    ["endpoint", "reason"],
)
EVENTS_RECORDED = Counter(
    "panier_analytics_events_recorded", "Search events written to the analytics data stream."
)
EVENTS_DROPPED = Counter(
    "panier_analytics_events_dropped",
    "Search events lost: queue_full (the flusher is behind), engine (bulk request failed), "
    "rejected (the engine refused the event), error (a bug; logged).",
    ["reason"],
)
QUEUE_DEPTH = Gauge(
    "panier_analytics_queue_depth",
    "Search events waiting to be written, summed over live workers (sampled by each flusher).",
    multiprocess_mode="livesum",
)
for _reason in ("queue_full", "engine", "rejected", "error"):
    EVENTS_DROPPED.labels(_reason)  # present at 0 from the start, so that rate() works
SHED = Counter(
    "panier_http_requests_shed",
    "Requests refused to protect the server: in_flight (the worker already had its bound of requests "
    "in flight: 503, not in panier_http_requests), rate_limit (the client was over its limit: 429).",
    ["reason"],
)
for _reason in ("in_flight", "rate_limit"):
    SHED.labels(_reason)


def _endpoint() -> str:
    rule = request.url_rule
    return rule.rule if rule is not None else "unmatched"  # bounded: routes, never raw paths


def _engine_error_reason(e: Exception) -> str | None:
    if isinstance(e, elasticsearch.ConnectionTimeout):
        return "timeout"
    if isinstance(e, elasticsearch.ConnectionError):
        return "unavailable"
    if isinstance(e, elasticsearch.NotFoundError):
        return "not_loaded" if e.error == "index_not_found_exception" else None  # else an unknown id
    if isinstance(e, elasticsearch.ApiError):
        return "busy" if e.meta.status in (429, 503, 504) else "refused"
    return None


def init_app(app: Flask) -> None:
    """Count every request and serve ``/metrics``. Call after errors.init_app: it wraps the engine
    error handlers registered there, so that each engine failure is counted where it is answered."""

    @app.before_request
    def start_clock() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def count(response: Response) -> Response:
        endpoint = _endpoint()
        if endpoint != PATH:
            status = str(response.status_code)
            REQUESTS.labels(endpoint, status).inc()
            started = g.get("metrics_started")
            if started is not None:
                LATENCY.labels(endpoint, status).observe(time.perf_counter() - started)
        return response

    handlers = app.error_handler_spec[None][None]
    for exc_class, handler in list(handlers.items()):
        if issubclass(exc_class, elasticsearch.ApiError | elasticsearch.TransportError):
            handlers[exc_class] = _counting(handler)

    app.add_url_rule(PATH, "metrics", exposition, methods=["GET"])


def _counting(handler):
    def counted(e: Exception):
        reason = _engine_error_reason(e)
        if reason is not None:
            ENGINE_ERRORS.labels(_endpoint(), reason).inc()
        return handler(e)

    return counted


def exposition() -> Response:
    if MULTIPROCESS:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})
