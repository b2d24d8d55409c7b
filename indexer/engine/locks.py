"""Engine-side locks: one document per locked name in the locks index, created atomically.

A full reindex locks its alias; a follower locks its inbox. Whoever holds a lock is named in it, so
the one who is refused can be told who to wait for.
"""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from elasticsearch import ConflictError, Elasticsearch, NotFoundError
from elasticsearch import ConnectionError as ConnectionError_

from indexer.engine.aliases import AliasError
from indexer.engine.internal_indices import ensure_internal_index
from panier_core.settings import Settings

LOCK_INDEX = "panier-locks"


class LockHeld(AliasError):
    """Someone else holds the lock; the message names them and how to break a dead holder's lock."""


@contextmanager
def hold_lock(
    es: Elasticsearch, settings: Settings, name: str, *, purpose: str, break_lock: bool = False
) -> Iterator[str]:
    """Hold the lock ``name`` for the duration of the block; yields the owner string.

    ``purpose`` says what the lock guards, for the refusal message ("reindex of 'products'").
    ``break_lock`` removes the lock first (its holder died without releasing it).
    """
    index = ensure_internal_index(es, settings.alias(LOCK_INDEX))
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    if break_lock:
        with contextlib.suppress(NotFoundError):
            es.delete(index=index, id=name, refresh=True)
    document = {"alias": name, "owner": owner, "started_at": datetime.now(UTC).isoformat()}
    try:
        es.index(index=index, id=name, document=document, op_type="create", refresh=True)
    except ConflictError:
        held = es.get(index=index, id=name)["_source"]
        raise LockHeld(
            f"another {purpose} is running (owner {held.get('owner')}, "
            f"since {held.get('started_at')}); wait for it, or if it died, rerun with --break-lock"
        ) from None
    try:
        yield owner
    finally:
        _release(es, index, name, owner)


def reindex_lock(es: Elasticsearch, settings: Settings, alias: str, *, break_lock: bool = False):
    """The lock a reindex (or a rollback) of ``alias`` holds."""
    return hold_lock(es, settings, alias, purpose=f"reindex of {alias!r}", break_lock=break_lock)


def _release(es: Elasticsearch, index: str, name: str, owner: str) -> None:
    try:
        held = es.get(index=index, id=name)
        if held["_source"].get("owner") == owner:
            es.delete(
                index=index,
                id=name,
                if_seq_no=held["_seq_no"],
                if_primary_term=held["_primary_term"],
                refresh=True,
            )
    except (NotFoundError, ConflictError, ConnectionError_):
        # Gone, taken over with --break-lock, or the engine is unreachable (then the lock stays
        # and the next run says how to break it).
        pass
