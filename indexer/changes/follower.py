"""Change files -> the engine: ``panier apply FILE`` and ``panier follow DIR``.

The follower takes the inbox's files in name order, applies each in chunks, records its position
(file and line) in the engine after every chunk, and moves a finished file to ``done/``. After a
crash it resumes from the last recorded line: the lines of an unfinished chunk are applied again,
which changes nothing (``indexer.records.merge``), so no change is lost or applied twice in effect.

Writers should put a file in the inbox in one step (write elsewhere, then rename), since a file is
read as soon as it appears. Files whose names start with ``.`` are ignored.

Between polls the follower also runs the changes path's housekeeping when it is due
(``indexer.changes.maintenance``: the log pruned, old tombstones purged, at most hourly).
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from elasticsearch import Elasticsearch
from marshmallow import ValidationError

from indexer.changes import checkpoints, maintenance
from indexer.changes.applier import Applier
from indexer.changes.outcomes import APPLIED, STALE
from indexer.engine import locks
from indexer.files.rejects import Origin, RejectsFile
from indexer.files.sources import read_records
from indexer.records import change_lines, schemas
from panier_core.settings import Settings

CHANGE_SUFFIXES = (".jsonl", ".gz", ".ndjson")


@dataclass
class ApplyReport:
    source: str
    read: int = 0
    applied: int = 0
    stale: int = 0  # older than what is indexed (a replay, a duplicate, a late arrival): nothing to do
    rejected: int = 0
    written: int = 0  # documents written; fewer than changes when a burst was coalesced

    @property
    def unaccounted(self) -> int:
        return self.read - self.applied - self.stale - self.rejected


def apply_file(
    applier: Applier,
    path: Path,
    rejects: RejectsFile,
    *,
    start_line: int = 0,
    chunk: int = 500,
    on_chunk: Callable[[int, ApplyReport], None] | None = None,
) -> ApplyReport:
    """Apply the changes of ``path`` after line ``start_line``; calls ``on_chunk(line, report)`` per chunk."""
    report = ApplyReport(source=str(path))
    batch: list[tuple[change_lines.Change, Origin]] = []
    last_line = start_line

    def flush() -> None:
        written_before = applier.stats.written
        outcomes = applier.apply([c for c, _ in batch])
        report.written += applier.stats.written - written_before
        for (change, origin), outcome in zip(batch, outcomes, strict=True):
            if outcome.status == APPLIED:
                report.applied += 1
            elif outcome.status == STALE:
                report.stale += 1
            else:
                report.rejected += 1
                rejects.write(change.type, "engine", origin, [outcome.reason or outcome.status], change.id)
        batch.clear()
        if on_chunk:
            on_chunk(last_line, report)

    for raw in read_records(path):
        if raw.line <= start_line:
            continue
        report.read += 1
        last_line = raw.line
        origin = Origin(raw.source, raw.line, raw.raw)
        if raw.error:
            rejects.write("change", "read", origin, [raw.error])
            report.rejected += 1
            continue
        try:
            batch.append((change_lines.parse(raw.data), origin))
        except ValidationError as e:
            rid = (
                raw.data.get("id") or (raw.data.get("doc") or {}).get("id")
                if isinstance(raw.data, dict)
                else None
            )
            rejects.write("change", "validation", origin, schemas.flatten_errors(e.messages), rid)
            report.rejected += 1
        if len(batch) >= chunk:
            flush()
    flush()
    return report


@dataclass
class FollowOptions:
    done: Path | None = None  # default: <inbox>/done
    rejects: Path | None = None  # default: <inbox>/rejects
    interval: float = 0.5
    chunk: int = 500
    once: bool = False  # apply what is there, then return
    break_lock: bool = False  # take over from a follower that died without releasing its lock


# A follower records a heartbeat at least every 5 s; one silent for longer than this is dead, and a new
# follower takes its lock over without being told to.
STALE_AFTER_SECONDS = 30.0


def inbox_files(inbox: Path) -> list[Path]:
    return sorted(
        p
        for p in inbox.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.name.endswith(CHANGE_SUFFIXES)
    )


def follow(
    es: Elasticsearch,
    settings: Settings,
    inbox: Path,
    options: FollowOptions,
    *,
    stop: threading.Event | None = None,
    echo: Callable[[str], None] = print,
    applier: Applier | None = None,
) -> int:
    """Apply the inbox's files in name order until ``stop`` is set (or once); returns changes applied."""
    inbox = Path(inbox).resolve()
    if not inbox.is_dir():
        raise FileNotFoundError(f"{inbox}: no such directory")
    done = options.done or inbox / "done"
    rejects_dir = options.rejects or inbox / "rejects"
    done.mkdir(parents=True, exist_ok=True)
    applier = applier or Applier(es, settings, source=f"follow:{inbox.name}")
    stop = stop or threading.Event()
    total = 0
    lock = checkpoints.follower_id(inbox)
    if (
        not options.break_lock
        and checkpoints.silent_for(checkpoints.load_checkpoint(es, settings, inbox)) > STALE_AFTER_SECONDS
    ):
        options.break_lock = True  # its follower died without releasing the lock (crash, engine lost)
    with locks.hold_lock(es, settings, lock, purpose=f"follower of {inbox}", break_lock=options.break_lock):
        checkpoint = checkpoints.load_checkpoint(es, settings, inbox)
        if checkpoint.file:
            echo(f"resuming {checkpoint.file} after line {checkpoint.line}")
        last_beat = 0.0
        while not stop.is_set():
            files = inbox_files(inbox)
            checkpoint.pending_since = _oldest(files)
            if files or time.monotonic() - last_beat > 5:
                checkpoints.save_checkpoint(es, settings, checkpoint)
                last_beat = time.monotonic()
            for path in files:
                if stop.is_set():
                    break
                total += _follow_file(es, settings, applier, path, checkpoint, rejects_dir, options, echo)
                # Forget the position before moving the file: a crash in between applies the file
                # again (changing nothing), never skips the start of a later file of the same name.
                checkpoint.file, checkpoint.line = None, 0
                checkpoint.pending_since = _oldest([p for p in inbox_files(inbox) if p != path])
                checkpoints.save_checkpoint(es, settings, checkpoint)
                _move(path, done)
            _maintain(es, settings, echo)
            if options.once:
                break
            stop.wait(options.interval)
    return total


def _follow_file(
    es: Elasticsearch,
    settings: Settings,
    applier: Applier,
    path: Path,
    checkpoint: checkpoints.Checkpoint,
    rejects_dir: Path,
    options: FollowOptions,
    echo: Callable[[str], None],
) -> int:
    start = checkpoint.line if checkpoint.file == path.name else 0
    checkpoint.file, checkpoint.line = path.name, start
    applied_before = checkpoint.applied

    def on_chunk(line: int, report: ApplyReport) -> None:
        checkpoint.line = line
        checkpoint.applied = applied_before + report.applied
        checkpoints.save_checkpoint(es, settings, checkpoint)

    with RejectsFile(rejects_dir / f"{path.name}.rejects.jsonl") as rejects:
        report = apply_file(applier, path, rejects, start_line=start, chunk=options.chunk, on_chunk=on_chunk)
    echo(
        f"{path.name}: {report.read} read, {report.applied} applied, {report.stale} already newer, "
        f"{report.rejected} rejected" + (f" (see {rejects.path})" if report.rejected else "")
    )
    return report.applied


def _maintain(es: Elasticsearch, settings: Settings, echo: Callable[[str], None]) -> None:
    """Prune the changes log and purge old tombstones when due (hourly for the whole deployment);
    a failure is said and left for the next time, never stops the follower."""
    try:
        report = maintenance.run_due(es, settings)
    except Exception as e:
        echo(f"housekeeping failed ({type(e).__name__}: {e}); it is tried again within the hour")
        return
    if report is not None:
        echo(f"housekeeping: {report.describe()}")


def _oldest(files: list[Path]) -> str | None:
    if not files:
        return None
    mtime = min(p.stat().st_mtime for p in files)
    return datetime.fromtimestamp(mtime, UTC).isoformat(timespec="milliseconds")


def _move(path: Path, folder: Path) -> None:
    target = folder / path.name
    if target.exists():
        target = folder / f"{path.stem}.{datetime.now(UTC):%Y%m%dT%H%M%S%f}{path.suffix}"
    shutil.move(str(path), target)
