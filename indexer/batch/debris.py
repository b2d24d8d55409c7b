"""Half-built indices that failed reindexes left behind, found by the ``building`` mark in their
mapping's ``_meta`` and the lock owner recorded next to it.

A run that fails deletes its own half-built index when it can; when the engine is unreachable at
that moment the index stays, marked. The next reindex of the same alias removes such indices once it
holds the alias's lock, and ``panier status`` lists them meanwhile. An index whose owner still holds
a live lock is a reindex in progress, never debris.
"""

from __future__ import annotations

from dataclasses import dataclass

from elasticsearch import Elasticsearch

import mappings
from indexer.engine import aliases, locks
from panier_core.settings import Settings


@dataclass(frozen=True)
class BuildingIndex:
    alias: str
    index: str
    owner: str | None  # the lock owner of the run that built it (None: built by an older Panier)
    in_progress: bool  # its owner holds a live lock: a reindex is running, not debris
    documents: int | None = None


def live_owners(es: Elasticsearch, settings: Settings) -> set[str]:
    """Owners of the locks that are not stale (see ``locks``)."""
    return {info.owner for info in locks.read_locks(es, settings) if info.stale_because() is None}


def building(es: Elasticsearch, settings: Settings) -> list[BuildingIndex]:
    """Every index of Panier's aliases still marked ``building``, with its document count."""
    owners = live_owners(es, settings)
    found = [
        (settings.alias(name), index, owner)
        for name in mappings.INDEX_NAMES
        for index, owner in aliases.building_indices(es, settings.alias(name)).items()
    ]
    if not found:
        return []
    rows = es.cat.indices(index=",".join(i for _, i, _ in found), format="json", h="index,docs.count")
    counts = {row["index"]: row.get("docs.count") for row in rows}
    return [
        BuildingIndex(alias, index, owner, owner in owners, _int(counts.get(index)))
        for alias, index, owner in found
    ]


def remove_debris(es: Elasticsearch, settings: Settings, alias: str) -> list[str]:
    """Delete ``alias``'s building indices that no live lock owns; returns their names.

    Call it holding the alias's reindex lock: no other run of this alias can be building then, so
    what is marked building and not ours is left by a run that failed.
    """
    owners = live_owners(es, settings)
    in_use = set(aliases.indices_of(es, alias)) | set(aliases.indices_of(es, aliases.next_alias(alias)))
    doomed = [
        index
        for index, owner in aliases.building_indices(es, alias).items()
        if owner not in owners and index not in in_use
    ]
    if doomed:
        es.indices.delete(index=",".join(doomed))
    return doomed


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
