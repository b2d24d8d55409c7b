"""The shopper-facing query API: a thin Flask app over the merchants and products aliases."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_to_bytes

from elasticsearch import Elasticsearch
from flask import Flask, abort, request

from panier_core.settings import Settings

MAX_BODY_BYTES = 64 * 1024
NOT_UTF8 = "not valid UTF-8 once percent-decoded (send the text's UTF-8 bytes, percent-encoded)"


def create_app(settings: Settings | None = None, client: Elasticsearch | None = None) -> Flask:
    """App factory: settings from the environment unless given; one pooled engine client per app."""
    from query_api import analytics, engine, errors, ingest, limits, metrics, openapi, search

    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = ingest.MAX_BODY_BYTES
    app.json.ensure_ascii = False  # French values as stored
    app.json.sort_keys = False
    engine.init_app(app, settings, client)
    errors.init_app(app)
    metrics.init_app(app)  # after errors: it counts the engine errors those handlers answer
    analytics.init_app(app, settings)

    @app.before_request
    def refuse_large_bodies() -> None:
        # GET endpoints never read their body, so Flask's own limit would not trigger: check here.
        # Merchants' ingest batches may be larger (up to ingest.MAX_BODY_BYTES, Flask's own limit).
        limit = ingest.MAX_BODY_BYTES if request.blueprint == "ingest" else MAX_BODY_BYTES
        if (request.content_length or 0) > limit:
            abort(413)

    @app.before_request
    def refuse_invalid_utf8() -> None:
        # Werkzeug would pass such bytes on altered (q=%FF as the text "%FF"): a 400 instead.
        bad = not_utf8(request.environ.get("PATH_INFO", ""), request.query_string)
        if bad:
            raise errors.ApiError(400, "the URL is not valid UTF-8", bad)

    if "search" in settings.api_parts:
        app.register_blueprint(search.bp)
        openapi.init_app(app)  # the whole API's document, served with the shoppers' part
        from query_api.page import bp as page_bp  # the shopper search page at /, on the endpoints above

        app.register_blueprint(page_bp)
    if "ingest" in settings.api_parts:
        app.register_blueprint(ingest.bp)
    if settings.cors_origins:
        from flask_cors import CORS

        CORS(app, origins=list(settings.cors_origins), methods=["GET", "OPTIONS"], max_age=600)
    limits.init_app(app, settings)  # per-client rate limits, when settings give any
    return app


def not_utf8(path: str, query: bytes) -> dict[str, Any]:
    """The parts of a URL that are not UTF-8 once percent-decoded: ``_path``, or each parameter by
    name; ``path`` as WSGI gives it (decoded, its bytes as latin-1), ``query`` as sent."""
    bad: dict[str, Any] = {}
    if not _utf8(path.encode("latin-1", "replace")):
        bad["_path"] = [NOT_UTF8]
    if _utf8(unquote_to_bytes(query)):  # the usual case: all of it at once
        return bad
    for part in query.split(b"&"):
        name, _, value = (unquote_to_bytes(p.replace(b"+", b" ")) for p in part.partition(b"="))
        if not (_utf8(name) and _utf8(value)):
            bad[name.decode("utf-8", "replace") or "_query"] = [NOT_UTF8]
    return bad


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
