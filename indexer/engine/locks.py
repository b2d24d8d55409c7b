"""Engine-side locks: one document per locked name in the locks index, created atomically.

A full reindex locks its alias; a follower locks its inbox. Whoever holds a lock is named in it
(host, pid, a random suffix), so the one who is refused can be told who to wait for, and the holder
keeps a heartbeat in it while it runs. A lock is stale, and the next run takes it over with a
message instead of refusing, when

- its holder ran on this host and its pid is gone (the process was killed or crashed), or
- its heartbeat is older than its time to live (the holder's machine died or lost the engine), or
- (reindex locks) this very process ended the run that held it but could not delete it then,
  because the engine was unreachable.

A live holder's lock is still refused. ``--break-lock`` removes any lock, for the cases above that
cannot be told apart from a live run (a holder on another host whose heartbeat has not expired yet).
The expiry compares the holder's clock with the reader's: the time to live is long enough to cover
the usual differences between machines.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psutil
from elasticsearch import ApiError, ConflictError, Elasticsearch, NotFoundError, TransportError

from indexer.engine.aliases import AliasError
from indexer.engine.internal_indices import ensure_internal_index
from panier_core.settings import Settings

LOCK_INDEX = "panier-locks"
LOCK_TTL_SECONDS = 120.0  # a lock whose heartbeat is older than this is stale
HEARTBEATS_PER_TTL = 4  # so that three missed heartbeats in a row do not expire a live lock
_log = logging.getLogger(__name__)
# Owners whose block this process has left without managing to delete their lock document.
_unreleased: set[str] = set()
_unreleased_lock = threading.Lock()


class LockHeld(AliasError):
    """Someone else holds the lock; the message names them and how to break a dead holder's lock."""


@dataclass
class Lock:
    """A lock this process holds. ``lost`` is set if another run took it over or removed it."""

    name: str
    owner: str
    started_at: str
    took_over: str | None = None  # what was taken over, when the lock was stale
    lost: str | None = None


@dataclass(frozen=True)
class LockInfo:
    """A lock document as the engine holds it."""

    name: str
    owner: str
    started_at: str | None
    heartbeat_at: str | None
    expires_at: str | None
    host: str | None
    pid: int | None

    @classmethod
    def from_source(cls, name: str, source: dict[str, Any]) -> LockInfo:
        owner = str(source.get("owner", "?"))
        host, pid = source.get("host"), source.get("pid")
        if host is None:  # a lock written before hosts and pids had their own fields
            parts = owner.split(":")
            host = parts[0] if len(parts) == 3 else None
            pid = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None
        return cls(
            name, owner, source.get("started_at"), source.get("heartbeat_at"), source.get("expires_at"),
            host, pid,
        )  # fmt: skip

    def stale_because(self, now: datetime | None = None, *, reclaim_unreleased: bool = True) -> str | None:
        """Why the lock's holder is certainly gone, or None when it may still be running."""
        now = now or datetime.now(UTC)
        if reclaim_unreleased and self.owner in _unreleased:
            return "its run ended in this process, which could not reach the engine to release it"
        if self.host == socket.gethostname() and self.pid is not None and not _pid_alive(self.pid):
            return f"its process (pid {self.pid} on this host) is gone"
        if self.expires_at and datetime.fromisoformat(self.expires_at) < now:
            return f"its heartbeat stopped at {self.heartbeat_at}"
        return None

    def describe(self) -> str:
        beat = f", last heartbeat {self.heartbeat_at}" if self.heartbeat_at else ""
        return f"owner {self.owner}, since {self.started_at}{beat}"


@contextmanager
def hold_lock(
    es: Elasticsearch,
    settings: Settings,
    name: str,
    *,
    purpose: str,
    break_lock: bool = False,
    ttl: float = LOCK_TTL_SECONDS,
    reclaim_unreleased: bool = False,
    on_takeover: Callable[[str], None] | None = None,
) -> Iterator[Lock]:
    """Hold the lock ``name`` for the duration of the block; yields the ``Lock``.

    ``purpose`` says what the lock guards, for the refusal message ("reindex of 'products'").
    ``break_lock`` removes the lock first (its holder died without releasing it). A stale lock (see
    the module) is taken over and ``on_takeover`` (default: a logged warning) told which.
    ``reclaim_unreleased`` also takes over a lock this process could not release earlier.
    """
    index = ensure_internal_index(es, settings.alias(LOCK_INDEX))
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    lock = Lock(name, owner, datetime.now(UTC).isoformat())
    if break_lock:
        with contextlib.suppress(NotFoundError):
            es.delete(index=index, id=name, refresh=True)
    seq = _acquire(es, index, lock, purpose, ttl, reclaim_unreleased)
    if lock.took_over:
        (on_takeover or _log.warning)(lock.took_over)
    stop = threading.Event()
    beating = threading.Thread(
        target=_heartbeat, args=(es, index, lock, seq, ttl, stop), name=f"panier-lock-{name}", daemon=True
    )
    beating.start()
    try:
        yield lock
    finally:
        stop.set()
        beating.join(timeout=10)
        if not _release(es, index, name, lock.owner):
            with _unreleased_lock:
                _unreleased.add(lock.owner)


def reindex_lock(
    es: Elasticsearch,
    settings: Settings,
    alias: str,
    *,
    break_lock: bool = False,
    on_takeover: Callable[[str], None] | None = None,
):
    """The lock a reindex (or a rollback) of ``alias`` holds."""
    return hold_lock(
        es, settings, alias, purpose=f"reindex of {alias!r}", break_lock=break_lock,
        reclaim_unreleased=True, on_takeover=on_takeover,
    )  # fmt: skip


def read_locks(es: Elasticsearch, settings: Settings) -> list[LockInfo]:
    """Every lock document (held or stale), by name; [] when no lock was ever taken."""
    try:
        hits = es.search(index=settings.alias(LOCK_INDEX), size=1000, sort=["_doc"])["hits"]["hits"]
    except NotFoundError:
        return []
    return sorted((LockInfo.from_source(h["_id"], h["_source"]) for h in hits), key=lambda i: i.name)


def _document(lock: Lock, ttl: float) -> dict[str, Any]:
    now = datetime.now(UTC)
    host, pid, _ = lock.owner.split(":")
    return {
        "alias": lock.name,
        "owner": lock.owner,
        "host": host,
        "pid": int(pid),
        "started_at": lock.started_at,
        "heartbeat_at": now.isoformat(),
        "expires_at": (now + timedelta(seconds=ttl)).isoformat(),
    }


def _acquire(
    es: Elasticsearch, index: str, lock: Lock, purpose: str, ttl: float, reclaim_unreleased: bool
) -> tuple[int, int]:
    """Create the lock document, or take over a stale one; (seq_no, primary_term) of what we wrote."""
    document = _document(lock, ttl)
    try:
        written = es.index(index=index, id=lock.name, document=document, op_type="create", refresh=True)
        return written["_seq_no"], written["_primary_term"]
    except ConflictError:
        pass
    try:
        held = es.get(index=index, id=lock.name)
    except NotFoundError:  # released between our two requests: try once more, plainly
        written = es.index(index=index, id=lock.name, document=document, op_type="create", refresh=True)
        return written["_seq_no"], written["_primary_term"]
    info = LockInfo.from_source(lock.name, held["_source"])
    why = info.stale_because(reclaim_unreleased=reclaim_unreleased)
    if why is None:
        raise LockHeld(
            f"another {purpose} is running ({info.describe()}); "
            "wait for it, or if it died, rerun with --break-lock"
        )
    try:
        written = es.index(
            index=index, id=lock.name, document=document, refresh=True,
            if_seq_no=held["_seq_no"], if_primary_term=held["_primary_term"],
        )  # fmt: skip
    except ConflictError:
        raise LockHeld(
            f"another {purpose} took over the stale lock of {info.owner} just now; wait for it"
        ) from None
    with _unreleased_lock:
        _unreleased.discard(info.owner)
    lock.took_over = f"took over the stale lock of the {purpose} by {info.owner} ({why})"
    return written["_seq_no"], written["_primary_term"]


def _heartbeat(
    es: Elasticsearch, index: str, lock: Lock, seq: tuple[int, int], ttl: float, stop: threading.Event
) -> None:
    """Every ``ttl / HEARTBEATS_PER_TTL`` seconds, push the lock's expiry forward (compare-and-set)."""
    quick = es.options(request_timeout=max(5.0, ttl / HEARTBEATS_PER_TTL), max_retries=0)
    while not stop.wait(ttl / HEARTBEATS_PER_TTL):
        try:
            written = quick.index(
                index=index, id=lock.name, document=_document(lock, ttl), refresh=True,
                if_seq_no=seq[0], if_primary_term=seq[1],
            )  # fmt: skip
            seq = (written["_seq_no"], written["_primary_term"])
        except (ConflictError, NotFoundError):
            lock.lost = f"the lock of {lock.name!r} was taken over or removed while this run held it"
            return
        except (TransportError, ApiError):
            continue  # the engine is unreachable or busy: try again at the next beat


def _release(es: Elasticsearch, index: str, name: str, owner: str) -> bool:
    """Delete our lock document; False when the engine could not be reached (the lock stays)."""
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
    except (NotFoundError, ConflictError):
        pass  # gone, or taken over (with --break-lock, or as stale)
    except (TransportError, ApiError):
        # Unreachable: the lock stays, and the next run takes it over (our pid gone, heartbeat
        # expired, or, in this same process, known to be ours and over).
        return False
    return True


def _pid_alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True
