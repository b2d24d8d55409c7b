"""A follower's checkpoint, kept in the engine: which file and line of its inbox it has applied.

Saved after every chunk of a file, with a heartbeat; ``panier status`` shows each follower's
position and lag, and a follower silent for too long is taken over.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from elasticsearch import Elasticsearch, NotFoundError

from indexer.engine.internal_indices import ensure_internal_index
from panier_core.settings import Settings

STATE_INDEX = "panier-state"


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
    ensure_internal_index(es, settings.alias(STATE_INDEX))
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
