"""``panier apply``, ``follow``, ``changes prune`` and ``changes maintain``: the incremental path
(indexer/changes/)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from commands import EXIT_REJECTS
from indexer.files import rejects as rejects_file

if TYPE_CHECKING:
    from cli import Context


@click.command("apply")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rejects", "rejects_path", type=click.Path(path_type=Path), default=None,
              help="Rejects file (JSONL) [default: rejects/changes-<time>.jsonl].")  # fmt: skip
@click.pass_obj
def apply_changes(obj: Context, path: Path, rejects_path: Path | None) -> None:
    """Apply a changes file (upsert, delete, stock lines). Exit 3 when some lines were rejected."""
    from indexer.changes.applier import Applier
    from indexer.changes.follower import apply_file

    with rejects_file.RejectsFile(rejects_path or rejects_file.default_path("changes")) as rejects:
        report = apply_file(Applier(obj.es, obj.settings, source=f"apply:{path.name}"), path, rejects)
    click.echo(
        f"{path}: {report.read:,} read = {report.applied:,} applied + {report.stale:,} already newer "
        f"+ {report.rejected:,} rejected; {report.written:,} documents written"
    )
    if rejects.count:
        click.echo(rejects.summary().lstrip())
        sys.exit(EXIT_REJECTS)


@click.command()
@click.argument("inbox", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--done", type=click.Path(file_okay=False, path_type=Path), help="Where finished files go [INBOX/done]."
)
@click.option(
    "--rejects", type=click.Path(file_okay=False, path_type=Path), help="Rejects folder [INBOX/rejects]."
)
@click.option(
    "--interval",
    type=click.FloatRange(0.05, 60),
    default=0.5,
    show_default=True,
    help="Seconds between polls.",
)
@click.option("--once", is_flag=True, help="Apply the files there now, then exit.")
@click.option("--break-lock", is_flag=True, help="Take over from a dead follower (automatic after 30 s).")
@click.pass_obj
def follow(obj: Context, inbox: Path, done: Path | None, rejects: Path | None, interval: float, once: bool,
           break_lock: bool) -> None:  # fmt: skip
    """Watch INBOX and apply its change files in name order, resuming where it stopped."""
    from indexer.changes.follower import FollowOptions
    from indexer.changes.follower import follow as run

    click.echo(f"following {inbox.resolve()} (Ctrl-C to stop)" if not once else f"applying {inbox.resolve()}")
    try:
        options = FollowOptions(done, rejects, interval, once=once, break_lock=break_lock)
        total = run(obj.es, obj.settings, inbox, options, echo=click.echo)
    except KeyboardInterrupt:
        click.echo("stopped; the next `panier follow` resumes from the last recorded line")
        return
    click.echo(f"{total:,} changes applied")


@click.group()
def changes() -> None:
    """The changes log kept in the engine (replayed by reindex and rollback)."""


@changes.command("prune")
@click.option("--keep-days", type=click.IntRange(1, 3650), default=None,
              help="Days kept at least [PANIER_CHANGES_RETENTION_DAYS, 30].")  # fmt: skip
@click.pass_obj
def changes_prune(obj: Context, keep_days: int | None) -> None:
    """Delete the log's days older than --keep-days that no replay can still need.

    Never what a rollback of the live indices, or a reindex from a recent export, would replay;
    postponed while a reindex runs. `panier follow` and the ingest API do this on their own.
    """
    from indexer.changes import maintenance

    report = maintenance.prune_log(obj.es, obj.settings, retention_days=keep_days)
    if report.waited:
        raise click.ClickException(f"not now: {report.waited}; try again when it has finished")
    kept = f"entries received since {report.cutoff:%Y-%m-%d %H:%M} UTC are kept" if report.cutoff else ""
    click.echo(
        f"deleted {', '.join(report.pruned)}; {kept}" if report.pruned else f"nothing to delete; {kept}"
    )


@changes.command("maintain")
@click.pass_obj
def changes_maintain(obj: Context) -> None:
    """Prune the changes log and purge tombstones older than the late-change window, now.

    `panier follow` and the ingest API run this hourly on their own; without either, run it from
    cron (e.g. `17 * * * * panier changes maintain`).
    """
    from indexer.changes import maintenance

    click.echo(maintenance.run(obj.es, obj.settings).describe())
