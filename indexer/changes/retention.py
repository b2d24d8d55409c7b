"""How long the changes path remembers: the rules, as pure functions (no engine, no I/O).

Two windows, both settings:

- **Late changes** (``PANIER_LATE_CHANGE_DAYS``, *L*, default 7 days; 0 = no bound): a change is
  accepted only if its ``updated_at`` is at most *L* before the engine's time when it arrives;
  an older one is a reject (``too_late``). Replays of the changes log are not bound again: their
  changes were accepted when they arrived.
- **Log retention** (``PANIER_CHANGES_RETENTION_DAYS``, *R*, default 30 days): the changes log keeps
  at least *R* days, and more when a replay may still need older entries (``prune_cutoff``).

Why purging a tombstone after *L* (plus a margin) cannot let an older upsert bring its record back.
A tombstone only ever refuses changes older than (or as old as) its own versions. Once every version
it holds is older than ``now - L - SAFETY_MARGIN`` (``purge_before``), every change still accepted
has an ``updated_at`` ≥ ``now - L`` — newer than the tombstone — so it would win over the tombstone
anyway: the tombstone refuses nothing any more, and its absence changes no outcome. The margin
covers the time between a change's acceptance and its write (a batch with retries takes seconds)
and the validating process's clock (``updated_at`` may be up to an hour ahead of it).

Replays into a new index (a reindex's, a rollback's target) need the tombstones too, and that index
starts without those of deletes older than its export. So a replay from ``since`` also replays the
deletes logged from ``since - L - SAFETY_MARGIN`` (``deletes_from``): a replayed upsert arrived at
``r ≥ since`` with ``updated_at ≥ r - L``; a delete that beats it has a later ``updated_at``, so it
arrived after ``since - L - 1 h``. Pruning keeps what that needs: entries from the build of each
live index (a rollback replays from there) less *L* and the margins, and from ``now - L`` less the
margins (a reindex from a fresh export); a replay whose entries were pruned refuses to run
(``indexer.changes.changelog.check_complete``) rather than build an index missing changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from indexer.records import documents

SAFETY_MARGIN = timedelta(days=1)
# A rollback replays from its index's build time less reindexing.REPLAY_MARGIN_SECONDS (60 s);
# pruning keeps more than that before each live index's build.
ROLLBACK_MARGIN = timedelta(minutes=10)


def late_window(late_days: int) -> timedelta | None:
    return timedelta(days=late_days) if late_days > 0 else None


def oldest_accepted(now: datetime, late_days: int) -> int | None:
    """The oldest ``updated_at`` (epoch ms) a change arriving ``now`` may carry; None: no bound."""
    window = late_window(late_days)
    return documents.millis(now - window) if window else None


def too_late(version: int, now: datetime, late_days: int) -> bool:
    oldest = oldest_accepted(now, late_days)
    return oldest is not None and version < oldest


def purge_before(now: datetime, late_days: int) -> int | None:
    """Tombstones whose versions are all older than this (epoch ms) may be purged; None: never."""
    window = late_window(late_days)
    return documents.millis(now - window - SAFETY_MARGIN) if window else None


def purgeable(doc: Mapping[str, Any], before: int) -> bool:
    """Whether ``doc`` is a tombstone (or a hidden stock stub) every version of which is older than
    ``before``. A document whose versions cannot be told is kept."""
    if doc.get("deleted") is not True:
        return False
    stored = doc.get("versions") or {}
    values = [v for v in stored.values() if isinstance(v, int | float)]
    if not values and doc.get("updated_at"):
        values = [documents.millis(doc["updated_at"])]
    return bool(values) and max(values) < before


def deletes_from(since: datetime, late_days: int) -> datetime | None:
    """A replay from ``since`` also replays the deletes logged from this moment (None: none more)."""
    window = late_window(late_days)
    return since - window - SAFETY_MARGIN if window else None


def replay_needs_from(since: datetime, late_days: int) -> datetime:
    """The oldest log entry a replay from ``since`` reads."""
    return deletes_from(since, late_days) or since


def prune_cutoff(
    now: datetime, *, retention_days: int, late_days: int, live_built: Iterable[datetime]
) -> datetime:
    """Log entries received before this may be deleted: older than the retention, than what a
    replay from a fresh export needs, and than what a rollback of each live index needs."""
    candidates = [now - timedelta(days=retention_days), replay_needs_from(now - SAFETY_MARGIN, late_days)]
    candidates += [replay_needs_from(built - ROLLBACK_MARGIN, late_days) for built in live_built]
    return min(candidates)


def doomed_days(newest: Mapping[str, datetime], cutoff: datetime) -> list[str]:
    """The log's indices whose newest entry is older than ``cutoff`` (index -> newest entry)."""
    return sorted(name for name, latest in newest.items() if latest < cutoff)
