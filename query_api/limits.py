"""Per-client rate limits (Flask-Limiter): beyond them, 429 with ``Retry-After`` in the one error shape.

A client is its address (``REMOTE_ADDR``: the API does not trust ``X-Forwarded-For``; behind a
proxy, have the proxy limit, or let it set the address). Counts live in each worker's memory
(Flask-Limiter's ``memory://`` storage, a fixed window per limit), so addresses are never written
anywhere and are forgotten when their window ends; a client whose connections reach several workers
can send up to the limit to each. ``PANIER_RATE_LIMIT`` applies to each of the shoppers' endpoints,
``PANIER_INGEST_RATE_LIMIT`` to each of the merchants'; ``/v1/health``, ``/metrics`` and the
OpenAPI document are never limited.
"""

from __future__ import annotations

import time

from flask import Flask, Response, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

from panier_core.settings import Settings
from query_api.errors import error_response

EXEMPT_PATHS = frozenset({"/v1/health", "/metrics"})
OFF = "off"


def init_app(app: Flask, settings: Settings) -> Limiter | None:
    """Limit the blueprints `settings` give limits to; None (nothing installed) when both are off."""
    from query_api import ingest, metrics, search

    limited = [
        (blueprint, value)
        for blueprint, value in ((search.bp, settings.rate_limit), (ingest.bp, settings.ingest_rate_limit))
        if value != OFF and blueprint.name in app.blueprints
    ]
    if not limited:
        return None

    def breached(limit: RequestLimit) -> Response:
        metrics.SHED.labels("rate_limit").inc()
        wait = max(1, int(limit.reset_at - time.time()))  # reset_at is rounded up already
        message = f"too many requests (at most {limit.limit}); try again later"
        return error_response(429, message, headers={"Retry-After": str(wait)})

    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri="memory://",
        headers_enabled=False,  # no X-RateLimit-* on every answer; a 429 says Retry-After
        on_breach=breached,
    )
    limiter.request_filter(lambda: request.path in EXEMPT_PATHS)
    for blueprint, value in limited:
        limiter.limit(value)(blueprint)  # recorded under the blueprint's name, for this app only

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(e: RateLimitExceeded) -> Response:
        return e.response  # the answer `breached` built

    return limiter
