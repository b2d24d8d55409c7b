"""The shopper-facing query API: a thin Flask app over the merchants and products aliases."""

from __future__ import annotations

from elasticsearch import Elasticsearch
from flask import Flask, abort, request

from panier_core.settings import Settings

MAX_BODY_BYTES = 64 * 1024


def create_app(settings: Settings | None = None, client: Elasticsearch | None = None) -> Flask:
    """App factory: settings from the environment unless given; one pooled engine client per app."""
    from query_api import analytics, engine, errors, ingest, metrics, openapi, search

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

    if "search" in settings.api_parts:
        app.register_blueprint(search.bp)
        openapi.init_app(app)  # the whole API's document, served with the shoppers' part
    if "ingest" in settings.api_parts:
        app.register_blueprint(ingest.bp)
    if settings.cors_origins:
        from flask_cors import CORS

        CORS(app, origins=list(settings.cors_origins), methods=["GET", "OPTIONS"], max_age=600)
    return app
