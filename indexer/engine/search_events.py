"""The search events' data stream and its index template (``mappings/search_events.json``).

``panier init`` installs the template; the query API writes events to the data stream (the engine
creates it on the first event); Kibana reads it.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import elasticsearch
from elasticsearch import Elasticsearch

from panier_core.settings import Settings

TEMPLATE_FILE = "search_events.json"


def data_stream(settings: Settings) -> str:
    """Where events go: ``logs-panier.search-default``, behind the settings' index prefix."""
    return f"{settings.index_prefix}logs-panier.search-default"


def template_name(settings: Settings) -> str:
    return f"{settings.index_prefix}logs-panier.search"


def template_body(settings: Settings) -> dict[str, Any]:
    """``mappings/search_events.json`` with the index pattern behind the settings' prefix."""
    text = resources.files("mappings").joinpath(TEMPLATE_FILE).read_text(encoding="utf-8")
    body = json.loads(text)
    body["index_patterns"] = [f"{settings.index_prefix}{p}" for p in body["index_patterns"]]
    return body


def install(es: Elasticsearch, settings: Settings) -> str:
    """Install (or upgrade) the index template of the events' data stream; idempotent.

    Returns ``"installed"``, ``"updated"`` (an older ``version`` was there) or ``"exists"``. The data
    stream itself is created by the engine on the first event written to it.
    """
    body = template_body(settings)
    name = template_name(settings)
    try:
        found = es.indices.get_index_template(name=name)["index_templates"]
    except elasticsearch.NotFoundError:
        found = []
    current = found[0]["index_template"] if found else None
    if (
        current
        and current.get("version") == body["version"]
        and current["index_patterns"] == body["index_patterns"]
    ):
        return "exists"
    es.indices.put_index_template(name=name, body=body)
    return "updated" if current else "installed"
