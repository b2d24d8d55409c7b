"""Full reindex without downtime: new index -> load -> verify -> swap the alias -> prune.

Any failure before the swap deletes the half-built index (or, if even that fails, leaves it
marked ``building`` in its mapping's ``_meta``, for the next run to delete: ``debris``) and leaves
the live alias where it was. The report's counts add up on failure too (``report``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from elasticsearch import ConnectionError as ConnectionError_
from elasticsearch import ConnectionTimeout, Elasticsearch

import mappings
from indexer.batch import debris
from indexer.batch.actions import Progress, merchants_from_alias, record_actions
from indexer.batch.loader import BulkOptions, BulkResult, EngineUnavailable, bulk_load
from indexer.batch.report import LoadReport, ReindexError
from indexer.changes import replay
from indexer.engine import aliases, locks
from indexer.files.rejects import RejectsFile
from panier_core.settings import Settings

KINDS = ("merchants", "products")
# Changes logged this long before the export was written are replayed too (clock differences
# between machines; replaying a change the index already has changes nothing).
REPLAY_MARGIN_SECONDS = 60
# Loading: no refreshes and no replicas; both come back before the swap.
LOADING_SETTINGS = {"refresh_interval": "-1", "number_of_replicas": 0, "auto_expand_replicas": False}


@dataclass
class ReindexOptions:
    bulk: BulkOptions | None = None
    keep: int = 2  # previous indices kept per alias, for rollback
    # When more than this share of the records read were rejected, the alias is not moved: a
    # catalogue that lost that much is more likely a broken export than a real one.
    max_rejected: float = 0.2
    break_lock: bool = False  # remove a lock left by a reindex that died
    changes_since: datetime | None = None  # replay live changes from here [default: the files' mtime]
    # How long the alias waits for every copy of the new index's shards (replicas on other nodes).
    copies_timeout: float = 120.0


# Given (kind, path), a context manager yielding the progress callback of that load.
ProgressFactory = Callable[[str, Path], AbstractContextManager[Progress | None]]


def reindex_all(
    es: Elasticsearch,
    settings: Settings,
    files: list[tuple[str, Path]],
    *,
    rejects: RejectsFile,
    options: ReindexOptions | None = None,
    progress: ProgressFactory | None = None,
) -> list[LoadReport]:
    """Reindex each ``(kind, path)`` in order (merchants before products); one report each.

    Listings take their merchants' fields from the merchants loaded in the same run, and live
    changes are replayed from the earliest file's time. On failure, ``ReindexError.reports`` holds
    the reports so far (the failed one last); the aliases already moved stay moved.
    """
    options = options or ReindexOptions()
    since = options.changes_since or export_time([path for _, path in files])
    run = dataclasses.replace(options, changes_since=since)
    reports: list[LoadReport] = []
    merchants: dict[str, dict[str, Any]] | None = None
    for kind, path in files:
        with progress(kind, path) if progress else nullcontext() as on_progress:
            try:
                report = reindex(
                    es, settings, kind, path, rejects=rejects, options=run,
                    merchants=merchants if kind == "products" else None, on_progress=on_progress,
                )  # fmt: skip
            except ReindexError as e:
                e.reports = [*reports, e.report]
                raise
        reports.append(report)
        if kind == "merchants":
            merchants = report.merchants
    return reports


def reindex(
    es: Elasticsearch,
    settings: Settings,
    kind: str,
    path: Path,
    *,
    rejects: RejectsFile,
    options: ReindexOptions | None = None,
    merchants: dict[str, dict[str, Any]] | None = None,
    on_progress: Progress | None = None,
) -> LoadReport:
    """Load ``path`` into a new index for ``kind`` and move the alias to it once verified.

    Live changes logged since ``options.changes_since`` (default: when ``path`` was written) are
    replayed into the new index before the swap, and changes arriving meanwhile are written to it too.

    For products, ``merchants`` maps merchant ids to the fields a listing carries (default: read
    from the merchants alias). A merchants load returns those fields in ``report.merchants``.
    """
    options = options or ReindexOptions()
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    alias = settings.alias(kind)
    report = LoadReport(kind=kind, alias=alias, source=str(path))
    started = time.monotonic()
    replay_from = _replay_from(Path(path), options.changes_since)
    with locks.reindex_lock(
        es, settings, alias, break_lock=options.break_lock, on_takeover=report.notes.append
    ) as lock:
        aliases.remove_next_alias(es, alias)  # left by a run that died: we hold the lock now
        report.debris = debris.remove_debris(es, settings, alias)
        if report.debris:
            report.notes.append(f"deleted half-built indices of failed runs: {', '.join(report.debris)}")
        if kind == "products" and merchants is None:
            merchants = merchants_from_alias(es, settings)
        final_settings = mappings.load(kind)["settings"]["index"]
        report.index = aliases.create_index(
            es, alias, kind, settings_override=LOADING_SETTINGS, state="building", owner=lock.owner
        )
        loaded = BulkResult()  # filled as items end, so that a run cut short still has its counts
        accounted = False
        try:
            actions = record_actions(kind, Path(path), report, rejects, merchants, on_progress)
            try:
                bulk_load(es, report.index, actions, options.bulk, on_progress, result=loaded)
            except EngineUnavailable as e:
                accounted = _account(report, loaded, rejects, stopped_by="engine lost")
                raise ReindexError(f"{e}; {report.reconciliation()}", report) from e
            accounted = _account(report, loaded, rejects)
            if report.unaccounted:
                raise ReindexError(f"internal error: {report.unaccounted} records unaccounted for", report)
            if report.indexed == 0:
                raise ReindexError(f"no valid {kind} in {path} ({report.read} read, all rejected)", report)
            if report.rejected > options.max_rejected * report.read:
                raise ReindexError(
                    f"{report.rejected:,} of {report.read:,} {kind} rejected, more than the "
                    f"{options.max_rejected:.0%} allowed (--max-rejected); see the rejects file",
                    report,
                )
            es.indices.put_settings(
                index=report.index,
                settings={
                    "refresh_interval": final_settings["refresh_interval"],
                    "auto_expand_replicas": final_settings["auto_expand_replicas"],
                },
            )
            es.indices.refresh(index=report.index)
            try:
                aliases.wait_for_copies(es, report.index, options.copies_timeout)
            except aliases.CopiesNotActive as e:
                raise ReindexError(str(e), report) from e
            in_engine = es.count(index=report.index)["count"]
            if in_engine != report.indexed:
                raise ReindexError(
                    f"verification failed: the new index holds {in_engine:,} documents, "
                    f"the loader counted {report.indexed:,}",
                    report,
                )
            aliases.mark_ready(es, report.index, kind)
            # Live changes: from now on they are written to the new index too (its -next alias);
            # those that arrived since the start are replayed from the changes log.
            aliases.add_next_alias(es, alias, report.index)
            report.replayed = replay.replay(es, settings, kind, report.index, since=replay_from)
            if lock.lost:
                raise ReindexError(f"{lock.lost}; this run does not move the alias", report)
            report.previous = aliases.swap_alias(es, alias, report.index)
            report.alias_moved = True
        except BaseException as e:
            if not accounted:  # cut short inside the load: what the loader confirmed, the rest not
                _account(report, loaded, rejects, stopped_by=_stopped_by(e))
            message = str(e) if isinstance(e, ReindexError) else f"{type(e).__name__}: {e}"
            if report.unaccounted and "not confirmed" not in message:
                message = f"{message}; {report.reconciliation()}"
            report.error = message
            report.seconds = time.monotonic() - started
            _discard(es, report)
            if isinstance(e, ReindexError):
                raise
            raise ReindexError(message, report) from e
        report.pruned = aliases.prune_old_indices(es, alias, options.keep)
    report.seconds = time.monotonic() - started
    return report


def export_time(paths: list[Path]) -> datetime:
    """When the export was taken, as far as the files tell: the oldest modification time (or now)."""
    times = [datetime.now(UTC)]
    for path in paths:
        with contextlib.suppress(OSError):
            times.append(datetime.fromtimestamp(Path(path).stat().st_mtime, UTC))
    return min(times)


def _replay_from(path: Path, since: datetime | None) -> datetime:
    """Changes logged from this moment on are replayed into the new index: by default from when the
    export file was written, less a margin for clocks."""
    return (since or export_time([path])) - timedelta(seconds=REPLAY_MARGIN_SECONDS)


def _account(
    report: LoadReport, loaded: BulkResult, rejects: RejectsFile, *, stopped_by: str | None = None
) -> bool:
    """Copy the loader's counts into the report and its failures to the rejects file; True."""
    report.indexed = loaded.indexed
    for failure in loaded.failures:
        rejects.write(report.kind[:-1], "engine", failure.ref, [failure.reason], failure.action_id)
        if report.kind == "merchants" and failure.status != 409:  # 409: the first one is indexed
            report.merchants.pop(failure.action_id, None)
    report.rejected += loaded.failed
    if report.unaccounted:
        report.stopped_by = stopped_by
    return True


def _stopped_by(error: BaseException) -> str:
    """What cut a load short, in the words of the summary's "not confirmed" count."""
    if isinstance(error, KeyboardInterrupt | SystemExit):
        return "interrupted"
    if isinstance(error, EngineUnavailable | ConnectionError_ | ConnectionTimeout):
        return "engine lost"
    return f"stopped by {type(error).__name__}"


def _discard(es: Elasticsearch, report: LoadReport) -> None:
    """Delete the half-built index; if the engine cannot, it stays marked ``building``."""
    if report.index is None:
        return
    try:
        es.indices.delete(index=report.index)
        report.error = f"{report.error} (the half-built index {report.index} was deleted)"
    except Exception:
        report.error = (
            f"{report.error} (could not delete the half-built index {report.index}; it stays marked "
            "building in its _meta: `panier status` lists it and the next reindex deletes it)"
        )
