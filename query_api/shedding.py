"""Load shedding: a bounded number of requests inside a worker at once; beyond it, 503 at once.

Without a bound, a gunicorn worker takes every request its threads can hold and its connections can
queue: under twice its capacity each search waits for the others (the engine and the GIL are shared),
so every shopper gets a slow answer and, at ten times, a time-out. With a bound, the requests inside
the app run at the speed of normal load, and the excess is answered 503 with ``Retry-After`` in
well under a millisecond, in the one error shape. The bound must be below the worker's threads (the
default is half): a thread must be free to say no, or the excess would wait for one all the same.

Only the API (``/v1/…``) is shed. ``/v1/health`` and ``/metrics`` never are: a load balancer or
Prometheus that cannot reach a busy worker would take it for a dead one; nor is the search page and
its assets (``/``, ``/assets/…``: files, no engine), so a page that loads while the API is busy can
still retry its searches.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from query_api.errors import SHED_RETRY_AFTER_SECONDS, error_body

EXEMPT_PATHS = frozenset({"/v1/health", "/metrics"})
MESSAGE = "the server is busy; try again shortly"


def default_bound(threads: int) -> int:
    """Half the worker's threads (at least one): the other half refuses the excess at once."""
    return max(1, threads // 2)


class InFlightLimit:
    """WSGI middleware: at most ``bound`` requests inside ``app`` at once, the others answered 503.

    ``on_shed`` is called for each refused request (a metrics counter). The slot is held until the
    app has returned its answer; the answers of this API are built whole before being returned (none
    streams), so sending them to the client happens outside the bound.
    """

    def __init__(self, app: Callable, bound: int, on_shed: Callable[[], None] | None = None):
        if bound < 1:
            raise ValueError(f"the in-flight bound must be ≥ 1, got {bound}")
        self.app = app
        self.bound = bound
        self.on_shed = on_shed
        self.in_flight = 0
        self._lock = threading.Lock()  # a counter under a lock: a fraction of a Semaphore's cost
        self._body = error_body(503, MESSAGE)
        self._headers = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(self._body))),
            ("Retry-After", str(SHED_RETRY_AFTER_SECONDS)),
        ]

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path in EXEMPT_PATHS or not path.startswith("/v1/"):
            return self.app(environ, start_response)
        with self._lock:
            admitted = self.in_flight < self.bound
            if admitted:
                self.in_flight += 1
        if not admitted:
            if self.on_shed is not None:
                self.on_shed()
            start_response("503 Service Unavailable", list(self._headers))
            return [self._body]
        try:
            return self.app(environ, start_response)
        finally:
            with self._lock:
                self.in_flight -= 1
