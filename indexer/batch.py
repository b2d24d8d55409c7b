"""Full reindex without downtime: new index -> load -> verify -> swap the alias -> prune.

Any failure before the swap deletes the half-built index (or, if even that fails, leaves it
marked ``building`` in its mapping's ``_meta``) and leaves the live alias where it was.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch, helpers
from marshmallow import ValidationError

import mappings
from indexer import aliases, applier, documents, schemas
from indexer.bulk import Action, BulkOptions, EngineUnavailable, bulk_load
from indexer.rejects import Origin, RejectsFile
from indexer.sources import read_records
from panier_core.settings import Settings

Progress = Callable[[int], None]
KINDS = ("merchants", "products")
# Changes logged this long before the export was written are replayed too (clock differences
# between machines; replaying a change the index already has changes nothing).
REPLAY_MARGIN_SECONDS = 60


class ReindexError(RuntimeError):
    """The reindex stopped before the swap; the live alias is untouched. The message says why."""

    def __init__(self, message: str, report: LoadReport):
        super().__init__(message)
        self.report = report


@dataclass
class LoadReport:
    kind: str
    alias: str
    source: str
    read: int = 0
    indexed: int = 0
    rejected: int = 0
    seconds: float = 0.0
    index: str | None = None
    alias_moved: bool = False
    previous: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    replayed: int = 0  # live changes applied to the new index before the swap
    error: str | None = None

    @property
    def docs_per_second(self) -> float:
        return self.indexed / self.seconds if self.seconds else 0.0

    @property
    def unaccounted(self) -> int:
        """Records read that ended neither indexed nor rejected (only when a run was cut short)."""
        return self.read - self.indexed - self.rejected


def merchants_from_alias(es: Elasticsearch, settings: Settings) -> dict[str, dict[str, Any]]:
    """The denormalized fields of every indexed merchant, for a products-only reindex."""
    alias = settings.alias("merchants")
    if not aliases.indices_of(es, alias):
        return {}
    hits = helpers.scan(
        es,
        index=alias,
        _source=[
            "id",
            "name",
            "address",
            "services",
            "location",
            "active",
            "deleted",
            "updated_at",
            "versions",
        ],
    )
    return {hit["_source"]["id"]: documents.merchant_fields(hit["_source"]) for hit in hits}


def _actions(
    kind: str,
    path: Path,
    report: LoadReport,
    rejects: RejectsFile,
    merchants: dict[str, dict[str, Any]] | None,
    collected: dict[str, dict[str, Any]] | None,
    on_progress: Progress | None,
) -> Iterator[Action]:
    schema = schemas.MERCHANT if kind == "merchants" else schemas.PRODUCT
    record_type = kind[:-1]
    indexed_at = documents.iso_utc(datetime.now(UTC))

    def reject(stage: str, origin: Origin, reasons: list[str], record_id: str | None = None) -> None:
        rejects.write(record_type, stage, origin, reasons, record_id)
        report.rejected += 1
        if on_progress:
            on_progress(1)

    for raw in read_records(path):
        report.read += 1
        origin = Origin(raw.source, raw.line, raw.raw)
        if raw.error:
            reject("read", origin, [raw.error])
            continue
        try:
            record = schema.load(raw.data)
        except ValidationError as e:
            rid = raw.data.get("id") if isinstance(raw.data.get("id"), str) else None
            reject("validation", origin, schemas.flatten_errors(e.messages), rid)
            continue
        if kind == "merchants":
            document = documents.merchant_document(record, indexed_at)
            if collected is not None:
                # First occurrence wins, as with op_type=create: a later duplicate is rejected.
                collected.setdefault(record["id"], documents.merchant_fields(document))
        else:
            merchant = (merchants or {}).get(record["merchant_id"])
            if merchant is None:
                reason = f"merchant_id {record['merchant_id']!r} is not among the merchants loaded or indexed"
                reject("validation", origin, [reason], record["id"])
                continue
            document = documents.product_document(record, merchant, indexed_at)
        yield Action(record["id"], document, origin)


def reindex(
    es: Elasticsearch,
    settings: Settings,
    kind: str,
    path: Path,
    *,
    rejects: RejectsFile,
    merchants: dict[str, dict[str, Any]] | None = None,
    collect_merchants: dict[str, dict[str, Any]] | None = None,
    options: BulkOptions | None = None,
    keep: int = 2,
    max_rejected: float = 0.2,
    break_lock: bool = False,
    on_progress: Progress | None = None,
    changes_since: datetime | None = None,
) -> LoadReport:
    """Load ``path`` into a new index for ``kind`` and move the alias to it once verified.

    Live changes logged since ``changes_since`` (default: when ``path`` was written) are replayed
    into the new index before the swap, and changes arriving meanwhile are written to it too.

    For products, ``merchants`` maps merchant ids to the fields a listing carries (default: read
    from the merchants alias). For merchants, ``collect_merchants`` receives those fields for each
    merchant that ends up indexed, ready for a products load in the same run. When more than
    ``max_rejected`` (a fraction) of the records read were rejected, the alias is not moved: a
    catalogue that lost that much is more likely a broken export than a real one.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    alias = settings.alias(kind)
    report = LoadReport(kind=kind, alias=alias, source=str(path))
    started = time.monotonic()
    replay_from = _replay_from(Path(path), changes_since)
    with aliases.reindex_lock(es, settings, alias, break_lock=break_lock):
        aliases.remove_next_alias(es, alias)  # left by a run that died: we hold the lock now
        if kind == "products" and merchants is None:
            merchants = merchants_from_alias(es, settings)
        final_settings = mappings.load(kind)["settings"]["index"]
        # Loading: no refreshes and no replicas; both come back before the swap.
        report.index = aliases.create_index(
            es,
            alias,
            kind,
            settings_override={
                "refresh_interval": "-1",
                "number_of_replicas": 0,
                "auto_expand_replicas": False,
            },
            state="building",
        )
        try:
            collected: dict[str, dict[str, Any]] | None = {} if collect_merchants is not None else None
            actions = _actions(kind, Path(path), report, rejects, merchants, collected, on_progress)
            try:
                result = bulk_load(es, report.index, actions, options, on_progress)
            except EngineUnavailable as e:
                report.indexed = e.result.indexed
                raise ReindexError(
                    f"{e}; {report.indexed:,} of {report.read:,} records were loaded", report
                ) from e
            report.indexed = result.indexed
            for failure in result.failures:
                rejects.write(kind[:-1], "engine", failure.ref, [failure.reason], failure.action_id)
                if collected is not None and failure.status != 409:  # 409: the first one is indexed
                    collected.pop(failure.action_id, None)
            report.rejected += result.failed
            if report.unaccounted:
                raise ReindexError(f"internal error: {report.unaccounted} records unaccounted for", report)
            if report.indexed == 0:
                raise ReindexError(f"no valid {kind} in {path} ({report.read} read, all rejected)", report)
            if report.rejected > max_rejected * report.read:
                raise ReindexError(
                    f"{report.rejected:,} of {report.read:,} {kind} rejected, more than the "
                    f"{max_rejected:.0%} allowed (--max-rejected); see the rejects file",
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
            es.cluster.health(index=report.index, wait_for_status="yellow", timeout="60s")
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
            report.replayed = applier.replay(es, settings, kind, report.index, since=replay_from)
            report.previous = aliases.swap_alias(es, alias, report.index)
            report.alias_moved = True
        except BaseException as e:
            report.error = str(e)
            report.seconds = time.monotonic() - started
            _discard(es, report)
            if isinstance(e, ReindexError):
                raise
            raise ReindexError(f"{type(e).__name__}: {e}", report) from e
        if collect_merchants is not None and collected is not None:
            collect_merchants.update(collected)
        report.pruned = aliases.prune_old_indices(es, alias, keep)
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


def _discard(es: Elasticsearch, report: LoadReport) -> None:
    """Delete the half-built index; if the engine cannot, it stays marked ``building``."""
    if report.index is None:
        return
    try:
        es.indices.delete(index=report.index)
        report.error = f"{report.error} (the half-built index {report.index} was deleted)"
    except Exception:
        report.error = (
            f"{report.error} (could not delete the half-built index {report.index}; "
            "it is marked building in its _meta and can be deleted by hand)"
        )


def rollback(es: Elasticsearch, settings: Settings, kind: str) -> tuple[str, str, int]:
    """Point ``kind``'s alias back at the previous index, first replaying into it the changes logged
    since the current index was built (so a rollback undoes a bad load, not the live changes since).

    Returns (index left, index now live, changes replayed).
    """
    alias = settings.alias(kind)
    current, previous = aliases.rollback_target(es, alias)
    built = aliases.built_at(alias, current)
    since = built - timedelta(seconds=REPLAY_MARGIN_SECONDS)
    aliases.remove_next_alias(es, alias)
    aliases.add_next_alias(es, alias, previous)
    try:
        replayed = applier.replay(es, settings, kind, previous, since=since)
    except BaseException:
        aliases.remove_next_alias(es, alias)
        raise
    aliases.swap_alias(es, alias, previous)
    return current, previous, replayed
