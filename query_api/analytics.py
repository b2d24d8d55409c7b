"""Search analytics: each shopper search becomes one event in the data stream
``<prefix>logs-panier.search-default``, written off the request path.

A search route hands over what it knows (``flask.g.search_event = Search(...)``); an after_request
hook puts it, with the time and the API latency, on a bounded in-memory queue (a put: no I/O on
the request path); a daemon thread in each worker process builds the documents and bulk-writes them with
its own client and a short timeout. When the engine is slow or down, or the queue is full, events
are dropped and counted (``panier_analytics_events_dropped_total``); a search never waits for
analytics and never fails because of it.

Privacy: an event holds no IP address, user id, session or user agent, and its location is the
centre of the shopper's geohash cell of precision 5 (about 5 km × 5 km), never the point given.
See docs/analytics.md.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, NamedTuple

import elasticsearch
import pygeohash
from elasticsearch import Elasticsearch
from flask import Flask, current_app, g

from indexer.engine import bulk_items
from indexer.engine.search_events import data_stream
from indexer.records.text import fold
from panier_core.engine import build_client
from panier_core.settings import Settings

log = logging.getLogger(__name__)

GEOHASH_PRECISION = 5  # cells of about 4.9 km × 4.9 km (less east-west at Quebec's latitudes)
EXTENSION = "panier_analytics"
_KEYWORD_FILTERS = ("category", "brand", "service", "region", "sort")
_BOOLEAN_FILTERS = ("in_stock", "quebec")


# -- events (pure) ----------------------------------------------------------------------------------


class Search(NamedTuple):
    """What a search route knows about one answered search, handed over as ``g.search_event``."""

    endpoint: str  # merchants | products | suggest
    params: dict[str, Any]  # the validated parameters
    where: dict[str, Any] | None  # the location echoed to the shopper (near, lat, lon, radius_km)
    total: int  # what the strict search found (0 for an answer a relaxed search gave)
    took_ms: int  # the engine's `took` for the search request
    understood: dict[str, Any] | None = None  # the answer's ``understood`` (products)
    relaxed: dict[str, Any] | None = None  # the answer's ``relaxed``: the demand the catalogue missed


def normalize_query(text: str | None) -> str:
    """Lowercase, accents folded, punctuation and runs of spaces as one space, trimmed ("" for none).

    The same folding as the catalogue's keys, so "Sirop d'ÉRABLE " and "sirop d’erable" count as one.
    """
    return fold(text) if text else ""


def geohash(lat: float, lon: float, precision: int = GEOHASH_PRECISION) -> str:
    """The geohash of a point (standard base-32 alphabet, longitude bit first; 1 to 12 characters)."""
    return pygeohash.encode(lat, lon, precision)


def cell_bounds(cell: str) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a geohash cell."""
    lat, lon, lat_error, lon_error = pygeohash.decode_exactly(cell)
    return lat - lat_error, lat + lat_error, lon - lon_error, lon + lon_error


def coarse_location(lat: float, lon: float) -> tuple[str, dict[str, float]]:
    """The geohash cell (precision 5) of a point and the cell's centre: all an event keeps of it."""
    cell = geohash(lat, lon)
    centre = pygeohash.decode_exactly(cell)
    return cell, {"lat": round(centre.latitude, 6), "lon": round(centre.longitude, 6)}


def event_document(search: Search, timestamp: float, latency_ms: float) -> dict[str, Any]:
    """The engine document for one search. Field names are what the Kibana dashboards read."""
    params = search.params
    filters: dict[str, Any] = {k: params[k] for k in _KEYWORD_FILTERS + _BOOLEAN_FILTERS if k in params}
    doc: dict[str, Any] = {
        "@timestamp": datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds"),
        "endpoint": search.endpoint,
        "query": normalize_query(params.get("q")),
        "filters": filters,
        "total": search.total,
        "zero_results": search.total == 0,
        "took_ms": search.took_ms,
        "latency_ms": round(latency_ms, 3),
    }
    where = search.where
    if where is None and "lat" in params and "lon" in params:
        where = {"lat": params["lat"], "lon": params["lon"]}
    if where:
        if "near" in where:
            filters["near"] = where["near"]
        if "radius_km" in where:
            filters["radius_km"] = float(where["radius_km"])
        doc["geohash"], doc["location"] = coarse_location(where["lat"], where["lon"])
    if "page" in params:
        doc["page"] = params["page"]
    if search.understood and (search.understood["quebec"] or search.understood["dropped"]):
        doc["understood"] = search.understood
    if search.relaxed:
        doc["relaxed"] = search.relaxed
    return doc


# -- the recorder -----------------------------------------------------------------------------------


class Recorder:
    """A bounded queue and a flusher thread, started lazily in each process that records.

    gunicorn builds the app once in its master (``preload_app``) and forks the workers: a thread
    started in the master would not exist in them, so the first ``record`` in each process (seen by
    its pid) makes a fresh queue and starts that process's own thread and engine client.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        queue_size: int | None = None,
        batch_size: int = 500,
        interval: float = 1.0,
        timeout: float = 1.0,
    ):
        # Imported here, not at module level: prometheus_client must first be imported after
        # `panier serve` has chosen its multiprocess directory, and `panier up` runs its other
        # steps in the same process before serving.
        from query_api import metrics

        self.stream = data_stream(settings)
        self.queue_size = queue_size or settings.analytics_queue_size
        self.batch_size = batch_size
        self.interval = interval
        self.timeout = timeout
        self._client_settings = replace(settings, es_url=settings.analytics_es_url or settings.es_url)
        self._metrics = metrics
        self._start_lock = threading.Lock()
        self._pid: int | None = None
        self._queue: queue.Queue = queue.Queue(self.queue_size)
        self._wake = threading.Event()
        self._closed = False
        self._last_warning: dict[str, float] = {}

    # on the request path: keep it to a queue put
    def record(self, search: Search, timestamp: float, latency_ms: float) -> None:
        if self._pid != os.getpid():
            self._start()
        try:
            self._queue.put_nowait((search, timestamp, latency_ms))
        except queue.Full:
            self._metrics.EVENTS_DROPPED.labels("queue_full").inc()
            return
        if self._queue.qsize() >= self.batch_size:
            self._wake.set()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every event queued so far is written or dropped (tests, benchmarks, exit)."""
        if self._pid != os.getpid():
            return True
        self._wake.set()
        deadline = time.monotonic() + timeout
        done = self._queue.all_tasks_done
        with done:
            while self._queue.unfinished_tasks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                done.wait(remaining)
        return True

    def close(self, timeout: float = 2.0) -> None:
        self.flush(timeout)
        self._closed = True
        self._wake.set()

    def _start(self) -> None:
        with self._start_lock:
            if self._pid == os.getpid():
                return
            self._queue = queue.Queue(self.queue_size)
            self._wake = threading.Event()
            thread = threading.Thread(
                target=self._run, args=(self._queue, self._wake), name="panier-analytics", daemon=True
            )
            thread.start()
            self._pid = os.getpid()
        atexit.register(self.close)

    # the flusher thread: never raises, whatever the engine does
    def _run(self, events: queue.Queue, wake: threading.Event) -> None:
        try:
            client = build_client(self._client_settings).options(
                request_timeout=self.timeout, max_retries=0, retry_on_timeout=False
            )
            try:
                self._loop(client, events, wake)
            finally:
                client.close()
        except Exception:
            log.exception("analytics: the flusher stopped; events are no longer written")

    def _loop(self, client: Elasticsearch, events: queue.Queue, wake: threading.Event) -> None:
        while not self._closed:
            wake.wait(self.interval)
            wake.clear()
            self._metrics.QUEUE_DEPTH.set(events.qsize())
            while True:
                batch = []
                try:
                    while len(batch) < self.batch_size:
                        batch.append(events.get_nowait())
                except queue.Empty:
                    pass
                if not batch:
                    break
                try:
                    self._send(client, batch)
                finally:
                    for _ in batch:
                        events.task_done()
                if len(batch) < self.batch_size:
                    break
            self._metrics.QUEUE_DEPTH.set(events.qsize())

    def _send(self, client: Elasticsearch, batch: list[tuple[Search, float, float]]) -> None:
        dropped = self._metrics.EVENTS_DROPPED
        try:
            docs = [event_document(*item) for item in batch]
            response = client.bulk(
                index=self.stream,
                operations=bulk_items.create_body(docs),
                require_data_stream=True,  # never an ordinary index if the template is missing
                filter_path=bulk_items.FILTER_PATH,
            )
        except (elasticsearch.TransportError, elasticsearch.ApiError) as e:
            dropped.labels("engine").inc(len(batch))
            self._warn("engine", f"analytics engine unavailable, {len(batch)} events dropped: {e}")
            return
        except Exception:  # a bug must not kill the thread: count, log, carry on
            dropped.labels("error").inc(len(batch))
            log.exception("analytics: %d events dropped", len(batch))
            return
        failures = [r for r in bulk_items.results(response) if not r.ok] if response.get("errors") else []
        failed = len(failures)
        if failures:
            dropped.labels("rejected").inc(failed)
            error = failures[0].error or {}
            hint = " (run `panier init`)" if error.get("type") == "index_not_found_exception" else ""
            self._warn("rejected", f"{failed} analytics events refused: {error.get('reason')}{hint}")
        self._metrics.EVENTS_RECORDED.inc(len(batch) - failed)

    def _warn(self, kind: str, message: str) -> None:
        """Log a failure at most once a minute per kind: a down engine must not flood the logs."""
        now = time.monotonic()
        if now - self._last_warning.get(kind, -120.0) >= 60.0:
            self._last_warning[kind] = now
            log.warning(message)


# -- Flask wiring -----------------------------------------------------------------------------------


def init_app(app: Flask, settings: Settings) -> None:
    """Record the searches of this app unless analytics are off (then nothing is added at all)."""
    if not settings.analytics:
        return
    app.extensions[EXTENSION] = Recorder(settings)

    @app.before_request
    def start_clock() -> None:
        g.analytics_started = time.perf_counter()

    @app.after_request
    def record_search(response):
        search = g.pop("search_event", None)
        if search is not None and response.status_code == 200:
            latency_ms = (time.perf_counter() - g.analytics_started) * 1000
            current_app.extensions[EXTENSION].record(search, time.time(), latency_ms)
        return response


def recorder_of(app: Flask) -> Recorder | None:
    return app.extensions.get(EXTENSION)
