"""The changes log, kept in the engine.

Every change Panier accepts (from a file or the ingest endpoint) is written to the changes log
(``panier-changes-YYYYMMDD``, one small index a day) *before* it is applied. A full reindex replays
the log from the moment it started into the index it built, so the index that goes live is never
older than the one it replaces; replays are harmless because applying a change twice, or out of
order, ends in the same documents (``indexer.records.merge``).

``received_at`` and the day's index come from the engine's clock (``indexer.changes.clock``), never
from the writer's: a replay selects entries by ``received_at``, and a writer whose clock is late
would otherwise log changes a reindex's replay does not see. Old days are dropped by ``prune``
(scheduled by ``indexer.changes.maintenance``) once no replay can need them
(``indexer.changes.retention``); the newest entry a prune deleted is recorded, and a replay that
would need entries up to it refuses to run (``check_complete``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError, helpers

from indexer.changes import retention
from indexer.changes.checkpoints import STATE_INDEX
from indexer.changes.clock import engine_now
from indexer.engine import bulk_items
from indexer.engine.aliases import AliasError
from indexer.engine.internal_indices import ensure_internal_index
from indexer.records.change_lines import Change
from panier_core.settings import Settings

LOG_PREFIX = "panier-changes-"
STATE_ID = "changes-log"  # in the state index: what pruning deleted
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
    """Append ``changes`` to today's log; returns once the engine has them (or raises).

    "Now" is the engine's time: it names the day's index and is every entry's ``received_at``.
    """
    if not changes:
        return
    now = engine_now(es)
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
    # 409: the entry is there already. When a node is lost mid-request the engine retries the
    # bulk on the new primary, which finds its own first attempt (found by tests/faults).
    refused = [r for r in bulk_items.results(response) if not r.ok and r.status != 409]
    if refused:
        raise RuntimeError(f"the changes log refused an entry: {refused[0].describe()}")


class LogIncomplete(AliasError):
    """A replay needs changes-log entries that were pruned; the message says what to do."""


def logged_since(
    es: Elasticsearch, settings: Settings, since: datetime, *, deletes_since: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """The raw changes logged at or after ``since``, and the deletes logged at or after
    ``deletes_since`` (any order: replays do not depend on it)."""
    pattern = log_pattern(settings)
    es.indices.refresh(index=pattern, ignore_unavailable=True, allow_no_indices=True)
    query: dict[str, Any] = {"range": {"received_at": {"gte": since.isoformat()}}}
    if deletes_since is not None and deletes_since < since:
        recent = {"range": {"received_at": {"gte": deletes_since.isoformat()}}}
        deletes = {"bool": {"filter": [{"term": {"op": "delete"}}, recent]}}
        query = {"bool": {"should": [query, deletes], "minimum_should_match": 1}}
    for hit in helpers.scan(es, index=pattern, query={"query": query}, ignore_unavailable=True, size=2000):
        yield hit["_source"]["change"]


def newest_entries(es: Elasticsearch, settings: Settings) -> dict[str, datetime]:
    """Each index of the log -> when its newest entry was received (an empty index: the end of its day)."""
    pattern = log_pattern(settings)
    names = es.indices.get(index=pattern, ignore_unavailable=True, allow_no_indices=True).body
    if not names:
        return {}
    es.indices.refresh(index=pattern, ignore_unavailable=True, allow_no_indices=True)
    newest_of_day = {"newest": {"max": {"field": "received_at"}}}
    aggs = {"days": {"terms": {"field": "_index", "size": 10_000}, "aggs": newest_of_day}}
    answer = es.search(index=pattern, size=0, aggs=aggs, ignore_unavailable=True)
    newest = {
        bucket["key"]: datetime.fromtimestamp(bucket["newest"]["value"] / 1000, UTC)
        for bucket in answer["aggregations"]["days"]["buckets"]
        if bucket["newest"]["value"] is not None
    }
    for name in names:
        if name not in newest:
            day = datetime.strptime(name[-8:], "%Y%m%d").replace(tzinfo=UTC)
            newest[name] = day + timedelta(days=1)
    return newest


def pruned_through(es: Elasticsearch, settings: Settings) -> datetime | None:
    """The newest entry pruning has deleted (None: none): entries received after it are all kept."""
    try:
        source = es.get(index=settings.alias(STATE_INDEX), id=STATE_ID)["_source"]
    except NotFoundError:
        return None
    return datetime.fromisoformat(source["pruned_through"])


def check_complete(es: Elasticsearch, settings: Settings, needs_from: datetime) -> None:
    """Raise ``LogIncomplete`` unless every entry received at or after ``needs_from`` is still kept."""
    through = pruned_through(es, settings)
    if through is not None and needs_from <= through:
        raise LogIncomplete(
            f"the changes log no longer holds the changes from {needs_from:%Y-%m-%d %H:%M} UTC that this "
            f"replay needs (entries up to {through:%Y-%m-%d %H:%M} were pruned); reindex from a newer "
            "export, or raise PANIER_CHANGES_RETENTION_DAYS for the future"
        )


def prune(es: Elasticsearch, settings: Settings, cutoff: datetime) -> list[str]:
    """Delete the log's days whose newest entry was received before ``cutoff``; returns them.

    The newest entry deleted is recorded *before* deleting, so that a replay reading meanwhile
    finds out when it checks again at its end.
    """
    newest = newest_entries(es, settings)
    doomed = retention.doomed_days(newest, cutoff)
    if not doomed:
        return []
    through = max(newest[name] for name in doomed)
    previous = pruned_through(es, settings)
    if previous is None or through > previous:
        state = ensure_internal_index(es, settings.alias(STATE_INDEX))
        document = {"pruned_through": through.isoformat(timespec="milliseconds")}
        es.index(index=state, id=STATE_ID, document=document, refresh=True)
    es.indices.delete(index=",".join(doomed))
    return doomed
