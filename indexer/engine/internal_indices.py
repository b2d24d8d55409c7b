"""Panier's own small indices (locks, changes log, follower state, merchant keys): created on first use."""

from __future__ import annotations

import threading
from typing import Any

import elasticsearch
from elasticsearch import Elasticsearch

# One shard, and a replica wherever a second node can hold it.
INTERNAL_SETTINGS = {"number_of_shards": 1, "auto_expand_replicas": "0-1"}
_known: set[str] = set()
_known_lock = threading.Lock()


def ensure_internal_index(es: Elasticsearch, name: str, mappings: dict[str, Any] | None = None) -> str:
    """Create ``name`` unless it exists (or another process just created it); returns ``name``.

    Remembered per process, so a hot path (the changes log) asks the engine once.
    """
    with _known_lock:
        if name in _known:
            return name
    try:
        es.indices.create(index=name, settings=INTERNAL_SETTINGS, mappings=mappings or {})
    except elasticsearch.BadRequestError as e:
        if e.error != "resource_already_exists_exception":
            raise
    with _known_lock:
        _known.add(name)
    return name
