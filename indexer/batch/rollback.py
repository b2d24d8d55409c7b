"""Rollback: the alias back on the index the last reindex replaced, with the live changes since."""

from __future__ import annotations

from datetime import timedelta

from elasticsearch import Elasticsearch

from indexer.batch.reindexing import REPLAY_MARGIN_SECONDS
from indexer.changes import replay
from indexer.engine import aliases, locks
from panier_core.settings import Settings


def rollback(
    es: Elasticsearch, settings: Settings, kind: str, *, break_lock: bool = False
) -> tuple[str, str, int]:
    """Point ``kind``'s alias back at the previous index, first replaying into it the changes logged
    since the current index was built (so a rollback undoes a bad load, not the live changes since).

    Holds the alias's reindex lock throughout. Returns (index left, index now live, changes replayed).
    """
    alias = settings.alias(kind)
    with locks.reindex_lock(es, settings, alias, break_lock=break_lock):
        return _rollback(es, settings, kind, alias)


def _rollback(es: Elasticsearch, settings: Settings, kind: str, alias: str) -> tuple[str, str, int]:
    current, previous = aliases.rollback_target(es, alias)
    built = aliases.built_at(alias, current)
    since = built - timedelta(seconds=REPLAY_MARGIN_SECONDS)
    aliases.remove_next_alias(es, alias)
    aliases.add_next_alias(es, alias, previous)
    try:
        replayed = replay.replay(es, settings, kind, previous, since=since)
    except BaseException:
        aliases.remove_next_alias(es, alias)
        raise
    aliases.swap_alias(es, alias, previous)
    return current, previous, replayed
