"""Carrying a merchant's fields (name, city, location, services, active...) to its listings.

A listing document holds a copy of its merchant's fields (``indexer.records.documents``), so a
merchant change is written to each of its listings too, with the same compare-and-set writes as
every change (``indexer.changes.writes``). ``propagate`` finds a merchant's listings and updates
them; ``recheck_merchants`` catches a merchant that changed while a batch was writing listings of
its own, whose propagation may have missed them.
"""

from __future__ import annotations

from collections import defaultdict

import elasticsearch
from elasticsearch import Elasticsearch, helpers

from indexer.changes.mergers import listing_merger
from indexer.changes.writes import ApplyStats, Doc, TargetGone, converge, read
from indexer.records import documents
from indexer.records.change_lines import Change

PROPAGATE_CHUNK = 500


def propagate(
    es: Elasticsearch, merchant: Doc, index: str, stats: ApplyStats | None = None, *, max_attempts: int
) -> int:
    """Give every listing of ``merchant`` in ``index`` its current fields; returns listings updated."""
    fields = documents.merchant_fields(merchant)
    try:
        # Listings written a moment ago are found only after a refresh.
        es.indices.refresh(index=index)
        hits = helpers.scan(
            es,
            index=index,
            query={"query": {"term": {"merchant.id": merchant["id"]}}},
            _source=False,
            size=1000,
        )
        ids = [hit["_id"] for hit in hits]
    except elasticsearch.NotFoundError as e:
        raise TargetGone(f"{index} does not exist") from e
    local = stats or ApplyStats()
    updated = 0
    for start in range(0, len(ids), PROPAGATE_CHUNK):
        groups: dict[str, list[int]] = {key: [] for key in ids[start : start + PROPAGATE_CHUNK]}
        results = converge(es, index, groups, listing_merger(fields), None, local, max_attempts=max_attempts)
        updated += sum(1 for r in results.values() if r.doc is not None and r.error is None)
    return updated


def recheck_merchants(
    es: Elasticsearch,
    source: str,
    index: str,
    groups: dict[str, list[int]],
    changes: list[Change],
    used: dict[str, Doc],
    stats: ApplyStats,
    *,
    max_attempts: int,
) -> None:
    """A merchant that changed while this batch wrote its listings (its propagation may have
    missed them): give those listings the merchant's newer fields.

    ``groups``: the listings the batch wrote (positions of their changes); ``used``: the merchant
    fields they were written with; ``source``: where merchants are read now.
    """
    listings: dict[str, list[str]] = defaultdict(list)
    for key, positions in groups.items():
        for i in positions:
            if changes[i].op == "upsert":
                listings[changes[i].record["merchant_id"]].append(key)
    if not listings:
        return
    now = read(es, source, listings)
    for mid, (doc, *_rest) in now.items():
        if doc is None or documents.merchant_fields(doc)["updated_at"] == used[mid]["updated_at"]:
            continue
        fields = documents.merchant_fields(doc)
        behind: dict[str, list[int]] = {key: [] for key in listings[mid]}
        converge(es, index, behind, listing_merger(fields), None, stats, max_attempts=max_attempts)
