"""The app's engine client and settings, stored once on the app (the client is thread-safe, pooled),
and ``msearch``, which fails as a ``search`` does."""

from __future__ import annotations

import dataclasses
from typing import Any

import elasticsearch
from elasticsearch import Elasticsearch
from elasticsearch.exceptions import HTTP_EXCEPTIONS
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


def msearch(es: Elasticsearch, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """An ``_msearch`` answer, raising the client's own exception for the first failed search (so
    that the API answers it as it answers a failed ``search``: 503 when the engine is busy, ...)."""
    response = es.msearch(searches=lines)
    for answer in response["responses"]:
        if "error" in answer:
            status = answer.get("status", 500)
            error = answer["error"]
            kind = error.get("type", "error") if isinstance(error, dict) else str(error)
            raise HTTP_EXCEPTIONS.get(status, elasticsearch.ApiError)(
                message=kind, meta=dataclasses.replace(response.meta, status=status), body=answer
            )
    return response.body
