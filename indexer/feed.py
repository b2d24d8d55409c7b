"""The changes log and the follower's checkpoints, both kept in the engine.

Every change Panier accepts (from a file or the ingest endpoint) is written to the changes log
(``panier-changes-YYYYMMDD``, one small index a day) *before* it is applied. A full reindex replays
the log from the moment it started into the index it built, so the index that goes live is never
older than the one it replaces; replays are harmless because applying a change twice, or out of
order, ends in the same documents (``indexer.merge``). Old days are dropped with ``prune``.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import elasticsearch
import orjson
from elasticsearch import Elasticsearch, NotFoundError, helpers

from indexer.changes import Change
from panier_core.settings import Settings

LOG_PREFIX = "panier-changes-"
STATE_INDEX = "panier-state"
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
_INTERNAL_SETTINGS = {"number_of_shards": 1, "auto_expand_replicas": "0-1"}
_known: set[str] = set()
_known_lock = threading.Lock()


def _ensure_index(es: Elasticsearch, name: str, mappings: dict[str, Any] | None = None) -> None:
    with _known_lock:
        if name in _known:
            return
    try:
        es.indices.create(index=name, settings=_INTERNAL_SETTINGS, mappings=mappings or {})
    except elasticsearch.BadRequestError as e:
        if e.error != "resource_already_exists_exception":
            raise
    with _known_lock:
        _known.add(name)


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
    _ensure_index(es, index, LOG_MAPPINGS)
    received = now.isoformat(timespec="milliseconds")
    lines = []
    for change in changes:
        entry = {
            "received_at": received,
            "source": source,
            "op": change.op,
            "type": change.type,
            "id": change.id,
            "version": change.version,
            "change": change.raw,
        }
        lines.append(b'{"create":{}}\n' + orjson.dumps(entry, default=str) + b"\n")
    response = es.bulk(operations=b"".join(lines), index=index, filter_path="errors,items.*.error")
    if response.get("errors"):
        first = next(i for i in response["items"] if next(iter(i.values())).get("error"))
        raise RuntimeError(f"the changes log refused an entry: {next(iter(first.values()))['error']}")


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


# -- the follower's checkpoint ------------------------------------------------------------------


@dataclass
class Checkpoint:
    inbox: str
    file: str | None = None  # the file being applied (None: nothing in progress)
    line: int = 0  # lines of ``file`` applied so far
    applied: int = 0  # changes applied since the follower first started on this inbox
    pending_since: str | None = None  # arrival (mtime) of the oldest change not applied yet
    heartbeat: str | None = None


def follower_id(inbox: Path) -> str:
    return "follow-" + hashlib.sha1(str(Path(inbox).resolve()).encode()).hexdigest()[:12]


def load_checkpoint(es: Elasticsearch, settings: Settings, inbox: Path) -> Checkpoint:
    _ensure_index(es, settings.alias(STATE_INDEX))
    try:
        source = es.get(index=settings.alias(STATE_INDEX), id=follower_id(inbox))["_source"]
    except NotFoundError:
        return Checkpoint(inbox=str(Path(inbox).resolve()))
    return Checkpoint(**source)


def save_checkpoint(es: Elasticsearch, settings: Settings, checkpoint: Checkpoint) -> None:
    checkpoint.heartbeat = datetime.now(UTC).isoformat(timespec="milliseconds")
    es.index(
        index=settings.alias(STATE_INDEX),
        id=follower_id(Path(checkpoint.inbox)),
        document=checkpoint.__dict__,
    )


def checkpoints(es: Elasticsearch, settings: Settings) -> list[Checkpoint]:
    """Every follower's checkpoint (for ``panier status``)."""
    index = settings.alias(STATE_INDEX)
    if not es.indices.exists(index=index):
        return []
    es.indices.refresh(index=index)
    hits = es.search(index=index, size=100)["hits"]["hits"]
    return [Checkpoint(**h["_source"]) for h in hits if h["_id"].startswith("follow-")]


def _seconds_since(moment: str | None, now: datetime) -> float | None:
    return (now - datetime.fromisoformat(moment)).total_seconds() if moment else None


def silent_for(checkpoint: Checkpoint, now: datetime | None = None) -> float:
    """Seconds since the follower was last heard from (0 when it never ran)."""
    return _seconds_since(checkpoint.heartbeat, now or datetime.now(UTC)) or 0.0


def describe_followers(found: list[Checkpoint], now: datetime | None = None) -> list[str]:
    """One line per follower: where it is, its lag (oldest unapplied change) and when it was last heard."""
    now = now or datetime.now(UTC)
    lines = []
    for checkpoint in found:
        heard = _seconds_since(checkpoint.heartbeat, now)
        lag = _seconds_since(checkpoint.pending_since, now) or 0.0
        position = f"at {checkpoint.file} line {checkpoint.line}" if checkpoint.file else "idle"
        heard_text = f"last heard {heard:.0f}s ago" if heard is not None else "never heard"
        lines.append(
            f"follower {checkpoint.inbox}: {position}, lag {lag:.1f}s (oldest unapplied change), "
            f"{checkpoint.applied:,} applied, {heard_text}"
        )
    return lines
