"""One error shape for every failure: ``{"error": {"status": N, "message": "...", "fields": {...}}}``.

400 invalid parameters (with each field and its reason, invalid UTF-8 in the URL too), 404 unknown
ids and routes, 405 with ``Allow``, 413 request too large, 415 a body of another media type, 429
with Retry-After over a rate limit (limits.py), 503 with Retry-After (every 503, whoever answers it)
when the engine is unreachable, busy (its own 429), too slow or the catalogue is not loaded, or the
worker is at its bound of requests in flight (shedding.py); anything else is a logged 500 that no
test may ever see (tests/conftest.py fails the test that causes one). Under ``panier serve`` the
answers gunicorn gives before the app (400, 414, 431) have the same shape (server.py's `Worker`).
"""

from __future__ import annotations

import json
from typing import Any

import elasticsearch
from flask import Flask, Response, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

RETRY_AFTER_SECONDS = 5
CATALOGUE_RETRY_AFTER_SECONDS = 60  # a catalogue being loaded takes minutes, not seconds
SHED_RETRY_AFTER_SECONDS = 1  # an overloaded worker: the burst is usually over within a second


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        fields: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields
        self.headers = headers


def error_response(status: int, message: str, fields: dict[str, Any] | None = None, headers=None):
    body: dict[str, Any] = {"status": status, "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify({"error": body})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def error_body(status: int, message: str) -> bytes:
    """The same shape as bytes, for answers given outside Flask: the WSGI server's own (a request
    line or headers it cannot take, query_api/server.py) and load shedding's (query_api/shedding.py)."""
    body = {"error": {"status": status, "message": message}}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _field_messages(messages: Any) -> dict[str, Any]:
    if isinstance(messages, dict):
        return {str(k): v for k, v in messages.items()}
    return {"_request": messages}


def init_app(app: Flask) -> None:
    @app.errorhandler(ValidationError)
    def invalid(e: ValidationError):
        return error_response(400, "invalid parameters", _field_messages(e.messages))

    @app.errorhandler(ApiError)
    def api_error(e: ApiError):
        return error_response(e.status, e.message, e.fields, e.headers)

    @app.errorhandler(elasticsearch.NotFoundError)
    def not_found(e: elasticsearch.NotFoundError):
        if e.error == "index_not_found_exception":
            app.logger.error("engine index missing: %s", e)
            return error_response(
                503,
                "the catalogue is not loaded yet",
                headers={"Retry-After": str(CATALOGUE_RETRY_AFTER_SECONDS)},
            )
        return error_response(404, "not found")

    @app.errorhandler(elasticsearch.ConnectionError)
    @app.errorhandler(elasticsearch.ConnectionTimeout)
    def unavailable(e: Exception):
        app.logger.warning("engine unavailable: %s", e)
        return error_response(
            503,
            "the search engine is unavailable; try again shortly",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    @app.errorhandler(elasticsearch.ApiError)
    def engine_error(e: elasticsearch.ApiError):
        if e.meta.status in (429, 503, 504):
            return error_response(
                503,
                "the search engine is busy; try again shortly",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        app.logger.error("engine refused a query: %s %s", e.meta.status, e.info)
        return error_response(500, "internal error")

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        messages = {404: "no such endpoint", 405: "method not allowed", 413: "request body too large"}
        # The exception's own headers (405's Allow, ...), but our body and its Content-Type.
        headers = {k: v for k, v in e.get_headers() if k.lower() != "content-type"}
        status = e.code or 500
        return error_response(status, messages.get(status, e.description or e.name), headers=headers)

    @app.after_request
    def retry_after_every_503(response: Response) -> Response:
        """Every 503 says when to come back, whichever handler or route answered it."""
        if response.status_code == 503 and "Retry-After" not in response.headers:
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        app.logger.exception("unexpected error")
        return error_response(500, "internal error")
