"""Replaying the changes log into an index that is not live yet (a reindex's, a rollback's target)."""

from __future__ import annotations

from datetime import datetime

from elasticsearch import Elasticsearch
from marshmallow import ValidationError

from indexer.changes import changelog, retention
from indexer.changes.applier import Applier, Targets
from indexer.records.change_lines import Change, parse
from panier_core.settings import Settings


def replay(
    es: Elasticsearch, settings: Settings, kind: str, index: str, since: datetime, chunk: int = 500
) -> int:
    """Apply every change logged since ``since`` to ``index`` (a new ``kind`` index); returns how many.

    Replays are idempotent: a change the index already reflects is stale and changes nothing. For a
    products index, merchants changed in that time give their listings their current fields.

    With a late-change window, the deletes logged in that window before ``since`` are replayed too,
    so that the index has the tombstones a replayed (or later) older upsert must meet
    (``indexer.changes.retention``). Refuses (``changelog.LogIncomplete``) when entries it needs were
    pruned, checked again at the end in case a prune ran meanwhile.
    """
    needs_from = retention.replay_needs_from(since, settings.late_change_days)
    changelog.check_complete(es, settings, needs_from)
    deletes_since = retention.deletes_from(since, settings.late_change_days)
    if kind == "merchants":
        targets = Targets(merchants=[index], products=[])
    else:
        targets = Targets(products=[index], merchants_source=settings.alias("merchants"))
    applier = Applier(es, settings, targets=targets, log=False)
    wanted = kind[:-1]
    batch: list[Change] = []
    merchants_changed: set[str] = set()
    count = 0
    for raw in changelog.logged_since(es, settings, since, deletes_since=deletes_since):
        try:
            change = parse(raw)
        except ValidationError:
            continue  # only valid changes are logged; a schema that became stricter skips old ones
        if change.type != wanted:
            if change.type == "merchant":
                merchants_changed.add(change.id)
            continue
        batch.append(change)
        if len(batch) >= chunk:
            applier.apply(batch)
            count += len(batch)
            batch = []
    if batch:
        applier.apply(batch)
        count += len(batch)
    if kind == "products" and merchants_changed:
        current = applier.read(settings.alias("merchants"), merchants_changed)
        for doc, *_rest in current.values():
            if doc is not None:
                applier.propagate(doc, index)
    changelog.check_complete(es, settings, needs_from)
    return count
