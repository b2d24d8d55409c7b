"""Housekeeping that runs itself: pruning the changes log and purging old tombstones.

``run`` does both (the rules are ``indexer.changes.retention``); ``run_due`` does it at most once an
hour for the whole deployment (a slot claimed with compare-and-set in the state index, so several
followers and API workers do not all run it), and is what ``panier follow`` calls between polls and
the ingest endpoint, off the request path, after each request (``run_due_in_background``).
``panier changes maintain`` runs it now, for deployments with neither (a cron line).

Pruning waits while a reindex or a rollback holds its lock (its replay may read old entries).
Tombstones are purged from the live indices only, each with the seq_no it was read with, so a
document written meanwhile (brought back by a newer upsert) is never deleted.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from elasticsearch import ConflictError, Elasticsearch, NotFoundError, helpers

from indexer.changes import changelog, retention
from indexer.changes.checkpoints import STATE_INDEX
from indexer.changes.clock import engine_now
from indexer.engine import aliases, bulk_items, locks
from indexer.engine.bulk_items import action_line
from indexer.engine.internal_indices import ensure_internal_index
from panier_core.settings import Settings

log = logging.getLogger(__name__)

EVERY = timedelta(hours=1)
STATE_ID = "maintenance"
KINDS = ("merchants", "products")
# A process asks the engine whether maintenance is due at most this often (per index prefix).
ASK_EVERY_SECONDS = 60.0


@dataclass
class MaintenanceReport:
    pruned: list[str] = field(default_factory=list)  # log indices deleted
    cutoff: datetime | None = None  # log entries received before this could go
    purged: dict[str, int] = field(default_factory=dict)  # kind -> tombstones purged
    waited: str | None = None  # why pruning did not run (a reindex holds its lock)

    def describe(self) -> str:
        parts = []
        if self.waited:
            parts.append(f"log pruning postponed: {self.waited}")
        else:
            parts.append(
                f"log: {', '.join(self.pruned)} deleted" if self.pruned else "log: nothing to delete"
            )
        purged = ", ".join(f"{n:,} {kind}" for kind, n in self.purged.items())
        parts.append(f"tombstones purged: {purged or 'none (PANIER_LATE_CHANGE_DAYS=0 keeps them)'}")
        return "; ".join(parts)


def live_built(es: Elasticsearch, settings: Settings) -> list[datetime]:
    """When each index behind the live aliases was built: the earlier of its name's timestamp (the
    reindexing machine's clock, which a rollback uses) and the engine's ``creation_date``."""
    built = []
    for kind in KINDS:
        alias = settings.alias(kind)
        for index in aliases.indices_of(es, alias):
            created = es.indices.get_settings(index=index, name="index.creation_date")[index]
            moments = [datetime.fromtimestamp(int(created["settings"]["index"]["creation_date"]) / 1000, UTC)]
            with contextlib.suppress(ValueError):  # not a versioned name
                moments.append(aliases.built_at(alias, index))
            built.append(min(moments))
    return built


def reindex_running(es: Elasticsearch, settings: Settings) -> str | None:
    """The lock of a reindex or rollback now running, if any (they lock their alias; a lock whose
    holder is certainly gone does not count)."""
    ids = [settings.alias(kind) for kind in KINDS]
    try:
        docs = es.mget(index=settings.alias(locks.LOCK_INDEX), ids=ids)["docs"]
    except NotFoundError:
        return None
    for doc in docs:
        if doc.get("found"):
            held = locks.LockInfo.from_source(doc["_id"], doc["_source"])
            if held.stale_because(reclaim_unreleased=False) is None:
                return f"a reindex of {held.name!r} is running ({held.describe()})"
    return None


def prune_log(
    es: Elasticsearch, settings: Settings, *, retention_days: int | None = None, now: datetime | None = None
) -> MaintenanceReport:
    """Delete the log's days no replay can need (``retention.prune_cutoff``)."""
    report = MaintenanceReport()
    report.waited = reindex_running(es, settings)
    if report.waited:
        return report
    now = now or engine_now(es)
    report.cutoff = retention.prune_cutoff(
        now,
        retention_days=retention_days or settings.changes_retention_days,
        late_days=settings.late_change_days,
        live_built=live_built(es, settings),
    )
    report.pruned = changelog.prune(es, settings, report.cutoff)
    return report


def purge_tombstones(es: Elasticsearch, settings: Settings, *, now: datetime | None = None) -> dict[str, int]:
    """Delete from the live indices the tombstones older than the late-change window; kind -> count."""
    before = retention.purge_before(now or engine_now(es), settings.late_change_days)
    if before is None:
        return {}
    purged = {}
    for kind in KINDS:
        purged[kind] = 0
        for index in aliases.indices_of(es, settings.alias(kind)):
            purged[kind] += _purge_index(es, index, before)
    return purged


def _purge_index(es: Elasticsearch, index: str, before: int) -> int:
    query = {
        "query": {"term": {"deleted": True}},
        "seq_no_primary_term": True,
        "_source": ["deleted", "versions", "updated_at"],
    }
    lines: list[bytes] = []
    count = 0
    es.indices.refresh(index=index)  # the deletes of the last second too
    for hit in helpers.scan(es, index=index, query=query, size=1000):
        if not retention.purgeable(hit["_source"], before):
            continue
        meta = {"_index": index, "_id": hit["_id"]}
        meta |= {"if_seq_no": hit["_seq_no"], "if_primary_term": hit["_primary_term"]}
        lines.append(action_line("delete", meta))
        if len(lines) >= 1000:
            count += _delete(es, lines)
            lines = []
    if lines:
        count += _delete(es, lines)
    return count


def _delete(es: Elasticsearch, lines: list[bytes]) -> int:
    """Deletes the engine did (409: written meanwhile, so kept; it is purged later if still old)."""
    response = es.bulk(operations=b"".join(lines), filter_path=bulk_items.FILTER_PATH)
    return sum(1 for result in bulk_items.results(response) if result.ok)


def run(es: Elasticsearch, settings: Settings) -> MaintenanceReport:
    """Prune the changes log and purge old tombstones, now."""
    report = prune_log(es, settings)
    report.purged = purge_tombstones(es, settings)
    return report


def run_due(
    es: Elasticsearch, settings: Settings, *, every: timedelta = EVERY, force_ask: bool = False
) -> MaintenanceReport | None:
    """``run`` if nobody in the deployment ran it in the last ``every``; None when not due."""
    if not force_ask and not _time_to_ask(settings):
        return None
    index = ensure_internal_index(es, settings.alias(STATE_INDEX))
    now = engine_now(es)
    try:
        found = es.get(index=index, id=STATE_ID)
        last = datetime.fromisoformat(found["_source"]["last_run"])
        if now - last < every:
            return None
        claim = {"if_seq_no": found["_seq_no"], "if_primary_term": found["_primary_term"]}
    except NotFoundError:
        claim = {"op_type": "create"}
    owner = f"{socket.gethostname()}:{os.getpid()}"
    document = {"last_run": now.isoformat(timespec="milliseconds"), "owner": owner}
    try:
        es.index(index=index, id=STATE_ID, document=document, refresh=True, **claim)
    except ConflictError:
        return None  # another process claimed this run
    return run(es, settings)


_asked: dict[str, float] = {}
_asked_lock = threading.Lock()
_running: set[str] = set()


def _time_to_ask(settings: Settings) -> bool:
    with _asked_lock:
        now = time.monotonic()
        last = _asked.get(settings.index_prefix)
        if last is not None and now - last < ASK_EVERY_SECONDS:
            return False
        _asked[settings.index_prefix] = now
        return True


def run_due_in_background(es: Elasticsearch, settings: Settings) -> None:
    """``run_due`` in a thread of its own (for the ingest endpoint: never on a request's time)."""
    if not _time_to_ask(settings):
        return
    with _asked_lock:
        if settings.index_prefix in _running:
            return
        _running.add(settings.index_prefix)

    def work() -> None:
        try:
            report = run_due(es, settings, force_ask=True)
            if report is not None:
                log.info("changes maintenance: %s", report.describe())
        except Exception:  # housekeeping never takes a worker down; the next hour tries again
            log.exception("changes maintenance failed")
        finally:
            with _asked_lock:
                _running.discard(settings.index_prefix)

    threading.Thread(target=work, name="panier-maintenance", daemon=True).start()
