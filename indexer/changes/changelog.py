"""The changes log, kept in the engine.

Every change Panier accepts (from a file or the ingest endpoint) is written to the changes log
(``panier-changes-YYYYMMDD``, one small index a day) *before* it is applied. A full reindex replays
the log from the moment it started into the index it built, so the index that goes live is never
older than the one it replaces; replays are harmless because applying a change twice, or out of
order, ends in the same documents (``indexer.records.merge``). Old days are dropped with ``prune``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch, helpers

from indexer.engine import bulk_items
from indexer.engine.internal_indices import ensure_internal_index
from indexer.records.change_lines import Change
from panier_core.settings import Settings

LOG_PREFIX = "panier-changes-"
LOG_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "received_at": {"type": "date"},
        "source": {"type": "keyword"},
        "op": {"type": "keyword"},
        "type": {"type": "keyword"},
        "id": {"type": "keyword"},
        "version": {"type": "date", "format": "epoch_millis"},
        "change": {"type": "object", "enabled": False},
    },
}


def log_index(settings: Settings, day: datetime) -> str:
    return settings.alias(f"{LOG_PREFIX}{day:%Y%m%d}")


def log_pattern(settings: Settings) -> str:
    return settings.alias(f"{LOG_PREFIX}*")


def log(es: Elasticsearch, settings: Settings, changes: list[Change], source: str) -> None:
    """Append ``changes`` to today's log; returns once the engine has them (or raises)."""
    if not changes:
        return
    now = datetime.now(UTC)
    index = log_index(settings, now)
    ensure_internal_index(es, index, LOG_MAPPINGS)
    received = now.isoformat(timespec="milliseconds")
    entries = (
        {
            "received_at": received,
            "source": source,
            "op": change.op,
            "type": change.type,
            "id": change.id,
            "version": change.version,
            "change": change.raw,
        }
        for change in changes
    )
    body = bulk_items.create_body(entries, default=str)  # a change's raw values, as validated
    response = es.bulk(operations=body, index=index, filter_path=bulk_items.FILTER_PATH)
    refused = bulk_items.first_error(response)
    if refused:
        raise RuntimeError(f"the changes log refused an entry: {refused}")


def logged_since(es: Elasticsearch, settings: Settings, since: datetime) -> Iterator[dict[str, Any]]:
    """The raw changes logged at or after ``since`` (any order: replays do not depend on it)."""
    pattern = log_pattern(settings)
    es.indices.refresh(index=pattern, ignore_unavailable=True, allow_no_indices=True)
    query = {"range": {"received_at": {"gte": since.isoformat()}}}
    for hit in helpers.scan(es, index=pattern, query={"query": query}, ignore_unavailable=True, size=2000):
        yield hit["_source"]["change"]


def prune(es: Elasticsearch, settings: Settings, keep_days: int) -> list[str]:
    """Delete the log's days older than ``keep_days``; returns the indices deleted."""
    cutoff = log_index(settings, datetime.now(UTC) - timedelta(days=keep_days))
    names = es.indices.get(index=log_pattern(settings), ignore_unavailable=True).body
    doomed = sorted(n for n in names if n < cutoff)
    if doomed:
        es.indices.delete(index=",".join(doomed))
    return doomed
