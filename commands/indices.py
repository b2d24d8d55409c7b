"""``panier init``, ``status``, ``reindex`` and ``rollback``: the versioned indices behind the aliases."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from tabulate import tabulate

from commands import EXIT_REJECTS
from indexer.batch import debris, reindexing
from indexer.batch.loader import BulkOptions
from indexer.batch.progress import ProgressReporter, summary_table
from indexer.batch.rollback import rollback as rollback_alias
from indexer.engine import aliases, locks, search_events
from indexer.files import rejects as rejects_file
from indexer.files.sources import export_files

if TYPE_CHECKING:
    from cli import Context


@click.command()
@click.pass_obj
def init(obj: Context) -> None:
    """Create the versioned indices and their aliases if they do not exist (idempotent)."""
    report = aliases.ensure_aliases(obj.es, obj.settings)
    for alias, index in report.created.items():
        click.echo(f"created  {alias} -> {index}")
    for alias, index in report.existing.items():
        click.echo(f"exists   {alias} -> {index}")
    for alias, what in report.upgraded.items():
        click.echo(f"upgraded {alias}: {what}")
    state = search_events.install(obj.es, obj.settings)
    click.echo(
        f"{state:<8} {search_events.template_name(obj.settings)} (index template of the search events)"
    )
    if not report.changed:
        click.echo("Nothing to do: every alias already exists.")


@click.command()
@click.pass_obj
def status(obj: Context) -> None:
    """Show engine health, each alias, the index it points to and its document count."""
    from indexer.changes import checkpoints

    info, health = obj.es.info(), obj.es.cluster.health()
    click.echo(
        f"engine {obj.settings.es_url}  Elasticsearch {info['version']['number']}  "
        f"cluster={health['cluster_name']}  health={health['status']}  nodes={health['number_of_nodes']}"
    )
    click.echo(
        tabulate(_alias_rows(aliases.describe(obj.es, obj.settings)), tablefmt="plain", disable_numparse=True)
    )
    for line in _debris_lines(debris.building(obj.es, obj.settings)):
        click.echo(line)
    for line in _lock_lines(locks.read_locks(obj.es, obj.settings)):
        click.echo(line)
    for line in checkpoints.describe_followers(checkpoints.checkpoints(obj.es, obj.settings)):
        click.echo(line)


def _alias_rows(described: list[aliases.AliasStatus]) -> list[tuple[str, str, str]]:
    return [
        (row.alias, f"-> {', '.join(row.indices)}", f"documents={row.documents}")
        if row.indices
        else (row.alias, "-> (missing: run `panier init`)", "")
        for row in described
    ]


def _debris_lines(building: list[debris.BuildingIndex]) -> list[str]:
    """Indices marked building: a reindex in progress, or debris that the next reindex deletes."""
    lines = []
    for row in building:
        documents = f"documents={row.documents}" if row.documents is not None else "documents=?"
        if row.in_progress:
            lines.append(f"building {row.index}  {documents}  (reindex in progress, owner {row.owner})")
        else:
            lines.append(
                f"debris   {row.index}  {documents}  (half-built by a failed reindex; "
                f"the next reindex of {row.alias} deletes it)"
            )
    return lines


def _lock_lines(held: list[locks.LockInfo]) -> list[str]:
    lines = []
    for info in held:
        why = info.stale_because()
        state = f"stale: {why}; the next run takes it over" if why else "held"
        lines.append(f"lock     {info.name}  {info.describe()}  ({state})")
    return lines


@click.command()
@click.argument("what", type=click.Choice(["merchants", "products", "all"]))
@click.option(
    "--from", "source", required=True, type=click.Path(exists=True, path_type=Path),
    help="A data file, or a directory holding merchants.jsonl and products.jsonl (.csv, .gz accepted).",
)  # fmt: skip
@click.option("--rejects", "rejects_path", type=click.Path(path_type=Path), default=None,
              help="Rejects file (JSONL) [default: rejects/<what>-<time>.jsonl].")  # fmt: skip
@click.option("--keep", type=click.IntRange(0, 20), default=2, show_default=True,
              help="Previous indices kept per alias for `panier rollback`.")  # fmt: skip
@click.option("--max-rejected", type=click.FloatRange(0, 1), default=0.2, show_default=True,
              help="Largest share of rejected records that still moves the alias.")  # fmt: skip
@click.option("--break-lock", is_flag=True,
              help="Remove the alias's lock first (a dead run's lock is taken over without it).")  # fmt: skip
@click.option("--changes-since", type=click.DateTime(["%Y-%m-%dT%H:%M:%S"]), default=None,
              help="Replay live changes logged since this UTC time [default: file's mtime].")  # fmt: skip
@click.option("--copies-timeout", type=click.FloatRange(1, 3600), default=120.0, show_default=True,
              help="Seconds the new index's shard copies may take to be active before the swap.")  # fmt: skip
@click.option(
    "--concurrency", type=click.IntRange(1, 8), default=2, show_default=True, help="Bulk requests in flight."
)
@click.option(
    "--chunk-mb", type=click.FloatRange(0.1, 50), default=4.0, show_default=True, help="Bulk request size."
)
@click.pass_obj
def reindex(obj: Context, what: str, source: Path, rejects_path: Path | None, keep: int, max_rejected: float,
            break_lock: bool, changes_since: datetime | None, copies_timeout: float, concurrency: int,
            chunk_mb: float) -> None:  # fmt: skip
    """Rebuild merchants, products or both from files, then swap the alias(es) with no downtime.

    Exit codes: 0 everything loaded; 3 loaded and the aliases moved, but some records were rejected
    (see the rejects file); 1 the reindex failed and the live aliases were left untouched.

    On a cluster, the alias moves only once every copy of the new index's shards is active (green).
    """
    try:
        files = export_files(what, source)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--from") from None
    bulk = BulkOptions(concurrency=concurrency, chunk_bytes=int(chunk_mb * 1024 * 1024))
    since = changes_since.replace(tzinfo=UTC) if changes_since else None
    options = reindexing.ReindexOptions(bulk, keep, max_rejected, break_lock, since, copies_timeout)
    with rejects_file.RejectsFile(rejects_path or rejects_file.default_path(what)) as rejects:
        try:
            reports = reindexing.reindex_all(
                obj.es, obj.settings, files, rejects=rejects, options=options, progress=ProgressReporter
            )
        except reindexing.ReindexError as e:
            click.echo(summary_table(e.reports) + rejects.summary(), err=True)
            raise click.ClickException(
                f"reindex of {e.report.alias} failed, alias left where it was: {e}"
            ) from e
    click.echo(summary_table(reports) + rejects.summary())
    _housekeeping(obj)
    if rejects.count:
        sys.exit(EXIT_REJECTS)


def _housekeeping(obj: Context) -> None:
    """After a reindex, the changes log's housekeeping if it is due (``panier changes maintain``):
    a failure is said, never the reindex's."""
    from indexer.changes import maintenance

    try:
        done = maintenance.run_due(obj.es, obj.settings)
    except Exception as e:  # the reindex succeeded; housekeeping runs again later
        click.echo(f"changes log housekeeping skipped: {e}", err=True)
        return
    if done is not None:
        click.echo(f"changes log housekeeping: {done.describe()}")


@click.command()
@click.argument("what", type=click.Choice(["merchants", "products"]))
@click.option("--break-lock", is_flag=True, help="Remove a stale lock left by a reindex that died.")
@click.pass_obj
def rollback(obj: Context, what: str, break_lock: bool) -> None:
    """Point the alias back at the previous index kept by the last reindex."""
    left, now, replayed = rollback_alias(obj.es, obj.settings, what, break_lock=break_lock)
    click.echo(
        f"{obj.settings.alias(what)}: {left} -> {now} "
        f"({replayed:,} changes logged since {left} was built replayed into it)"
    )
