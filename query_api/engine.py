"""The app's engine client and settings, stored once on the app (the client is thread-safe, pooled)."""

from __future__ import annotations

from elasticsearch import Elasticsearch
from flask import Flask, current_app

from panier_core.engine import build_client
from panier_core.settings import Settings

_KEY = "panier"


def init_app(app: Flask, settings: Settings, client: Elasticsearch | None = None) -> None:
    client = client or build_client(settings)
    # Shoppers wait: a slow engine answers 503 quickly rather than hanging the request.
    client = client.options(
        request_timeout=settings.api_engine_timeout, max_retries=1, retry_on_timeout=False
    )
    app.extensions[_KEY] = {"client": client, "settings": settings}


def get_engine() -> Elasticsearch:
    return current_app.extensions[_KEY]["client"]


def get_settings() -> Settings:
    return current_app.extensions[_KEY]["settings"]
