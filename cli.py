"""``panier``: the admin's command line. Each command delegates to indexer/ or local_es/ in a few lines."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

import click
import elasticsearch
from elasticsearch import Elasticsearch

from indexer.batch import reindexing
from indexer.batch.loader import BulkOptions
from indexer.batch.progress import ProgressReporter, summary_table
from indexer.batch.rollback import rollback as rollback_alias
from indexer.engine import aliases, search_events
from indexer.engine.bulk_items import EngineUnavailable
from indexer.files.rejects import RejectsFile
from indexer.files.sources import export_files
from local_es import ES_VERSION, LocalEngine, LocalEngineError
from panier_core.engine import build_client
from panier_core.kibana import kibana
from panier_core.security import setup_security
from panier_core.settings import Settings, SettingsError


@dataclass
class Context:
    settings: Settings
    _client: Elasticsearch | None = field(default=None, repr=False)

    @property
    def es(self) -> Elasticsearch:
        if self._client is None:
            self._client = build_client(self.settings)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def local_engine(self, port: int | None = None, nodes: int = 1) -> LocalEngine:
        return LocalEngine(
            home=self.settings.local_es_home,
            http_port=port or _local_port(self.settings.es_url),
            nodes=nodes,
            heap=self.settings.local_es_heap,
            data_root=self.settings.local_es_data,
        )


def _local_port(url: str) -> int:
    parsed = urlparse(url)
    if parsed.hostname in ("127.0.0.1", "localhost") and parsed.port:
        return parsed.port
    return 9200


class PanierGroup(click.Group):
    """Turns the failures a person can act on into one clear sentence instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (SettingsError, LocalEngineError, aliases.AliasError, FileNotFoundError, ValueError) as e:
            raise click.ClickException(str(e)) from e
        except EngineUnavailable as e:
            raise click.ClickException(f"{e}; what was applied stays applied, run the command again") from e
        except elasticsearch.ConnectionError as e:
            url = ctx.obj.settings.es_url if isinstance(ctx.obj, Context) else "the engine"
            raise click.ClickException(
                f"cannot reach Elasticsearch at {url} ({e.message}). "
                "Start the local engine with `panier es start`, or set PANIER_ES_URL."
            ) from e
        except elasticsearch.AuthenticationException as e:
            raise click.ClickException(
                "Elasticsearch refused the credentials; "
                "check PANIER_ES_API_KEY or PANIER_ES_USERNAME/PANIER_ES_PASSWORD"
            ) from e
        except elasticsearch.ApiError as e:
            raise click.ClickException(f"Elasticsearch answered {e.meta.status}: {e.message} {e.info}") from e
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except Exception as e:
            if os.environ.get("PANIER_DEBUG"):
                raise
            raise click.ClickException(
                f"unexpected error: {type(e).__name__}: {e} (set PANIER_DEBUG=1 to see the traceback)"
            ) from e


@click.group(cls=PanierGroup)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Panier: search backend of a Quebec buy-local directory."""
    try:
        settings = Settings.from_env()
    except SettingsError as e:
        raise click.ClickException(str(e)) from e
    ctx.obj = Context(settings)
    ctx.call_on_close(ctx.obj.close)


# -- local engine ---------------------------------------------------------------------------------


@main.group()
def es() -> None:
    """The local Elasticsearch (no Docker needed): resolve, start, stop, status."""


@es.command("resolve")
@click.pass_obj
def es_resolve(obj: Context) -> None:
    """Build the runner with Maven into the cache (start does this on first use)."""
    dist = obj.local_engine().resolve(log=click.echo)
    click.echo(f"Elasticsearch {ES_VERSION} ready in {dist}")


@es.command("start")
@click.option(
    "--nodes", type=click.IntRange(1, 5), default=1, show_default=True, help="Nodes in the cluster."
)
@click.option(
    "--port",
    type=click.IntRange(1024, 65000),
    default=None,
    help="HTTP port of node 1 [default: from PANIER_ES_URL, else 9200].",
)
@click.option("--clean", is_flag=True, help="Delete the local cluster's data first.")
@click.option("--timeout", type=float, default=180.0, show_default=True, help="Seconds to wait for health.")
@click.pass_obj
def es_start(obj: Context, nodes: int, port: int | None, clean: bool, timeout: float) -> None:
    """Start a local Elasticsearch (one node by default) and wait until it is green or yellow."""
    engine = obj.local_engine(port, nodes)
    status = engine.start(clean=clean, timeout=timeout, log=click.echo)
    click.echo(
        f"{status.url}  health={status.health}  nodes={status.number_of_nodes}  data={engine.cluster_dir}"
    )


@es.command("stop")
@click.pass_obj
def es_stop(obj: Context) -> None:
    """Stop every node of the local engine."""
    stopped = obj.local_engine().stop()
    click.echo(f"Stopped {stopped} node(s)." if stopped else "No local engine was running.")


@es.command("status")
@click.pass_obj
def es_status(obj: Context) -> None:
    """Show the local engine's nodes and health; exit code 1 when it is not running."""
    status = obj.local_engine().status()
    if not status.running:
        click.echo("Local engine: not running.")
        sys.exit(1)
    for node in status.nodes:
        click.echo(
            f"{node.name}  pid={node.pid}  port={node.http_port}  {'running' if node.alive else 'stopped'}"
        )
    click.echo(f"health={status.health or 'not answering'}  nodes in cluster={status.number_of_nodes}")


# -- indices --------------------------------------------------------------------------------------


@main.command()
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
    template = search_events.template_name(obj.settings)
    click.echo(f"{state:<8} {template} (index template of the search events)")
    if not report.changed:
        click.echo("Nothing to do: every alias already exists.")


@main.command()
@click.pass_obj
def status(obj: Context) -> None:
    """Show engine health, each alias, the index it points to and its document count."""
    info = obj.es.info()
    health = obj.es.cluster.health()
    click.echo(
        f"engine {obj.settings.es_url}  Elasticsearch {info['version']['number']}  "
        f"cluster={health['cluster_name']}  health={health['status']}  nodes={health['number_of_nodes']}"
    )
    for row in aliases.describe(obj.es, obj.settings):
        if row.indices:
            click.echo(f"{row.alias:<24} -> {', '.join(row.indices)}  documents={row.documents}")
        else:
            click.echo(f"{row.alias:<24} -> (missing: run `panier init`)")
    from indexer.changes import checkpoints

    for line in checkpoints.describe_followers(checkpoints.checkpoints(obj.es, obj.settings)):
        click.echo(line)


EXIT_REJECTS = 3


@main.command()
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
@click.option("--break-lock", is_flag=True, help="Remove a stale lock left by a reindex that died.")
@click.option("--changes-since", type=click.DateTime(["%Y-%m-%dT%H:%M:%S"]), default=None,
              help="Replay live changes logged since this UTC time [default: file's mtime].")  # fmt: skip
@click.option(
    "--concurrency", type=click.IntRange(1, 8), default=2, show_default=True, help="Bulk requests in flight."
)
@click.option(
    "--chunk-mb", type=click.FloatRange(0.1, 50), default=4.0, show_default=True, help="Bulk request size."
)
@click.pass_obj
def reindex(obj: Context, what: str, source: Path, rejects_path: Path | None, keep: int, max_rejected: float,
            break_lock: bool, changes_since: datetime | None, concurrency: int,
            chunk_mb: float) -> None:  # fmt: skip
    """Rebuild merchants, products or both from files, then swap the alias(es) with no downtime.

    Exit codes: 0 everything loaded; 3 loaded and the aliases moved, but some records were rejected
    (see the rejects file); 1 the reindex failed and the live aliases were left untouched.
    """
    try:
        files = export_files(what, source)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--from") from None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    since = changes_since.replace(tzinfo=UTC) if changes_since else None
    bulk = BulkOptions(concurrency=concurrency, chunk_bytes=int(chunk_mb * 1024 * 1024))
    options = reindexing.ReindexOptions(bulk, keep, max_rejected, break_lock, since)
    with RejectsFile(rejects_path or Path("rejects") / f"{what}-{stamp}.jsonl") as rejects:
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
    if rejects.count:
        sys.exit(EXIT_REJECTS)


@main.command()
@click.argument("what", type=click.Choice(["merchants", "products"]))
@click.pass_obj
def rollback(obj: Context, what: str) -> None:
    """Point the alias back at the previous index kept by the last reindex."""
    left, now, replayed = rollback_alias(obj.es, obj.settings, what)
    click.echo(
        f"{obj.settings.alias(what)}: {left} -> {now} "
        f"({replayed:,} changes logged since {left} was built replayed into it)"
    )


# -- incremental changes --------------------------------------------------------------------------


@main.command("apply")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rejects", "rejects_path", type=click.Path(path_type=Path), default=None,
              help="Rejects file (JSONL) [default: rejects/changes-<time>.jsonl].")  # fmt: skip
def apply_changes(path: Path, rejects_path: Path | None) -> None:
    """Apply a changes file (upsert, delete, stock lines). Exit 3 when some lines were rejected."""
    obj = click.get_current_context().obj
    from indexer.changes.applier import Applier
    from indexer.changes.follower import apply_file

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    with RejectsFile(rejects_path or Path("rejects") / f"changes-{stamp}.jsonl") as rejects:
        applier = Applier(obj.es, obj.settings, source=f"apply:{path.name}")
        report = apply_file(applier, path, rejects)
    click.echo(
        f"{path}: {report.read:,} read = {report.applied:,} applied + {report.stale:,} already newer "
        f"+ {report.rejected:,} rejected; {report.written:,} documents written"
    )
    if rejects.count:
        click.echo(f"Rejects: {rejects.count:,} in {rejects.path}")
        sys.exit(EXIT_REJECTS)


@main.command()
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
def follow(inbox: Path, done: Path | None, rejects: Path | None, interval: float, once: bool,
           break_lock: bool) -> None:  # fmt: skip
    """Watch INBOX and apply its change files in name order, resuming where it stopped."""
    obj = click.get_current_context().obj
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


@main.group()
def keys() -> None:
    """Merchants' API keys for the ingest endpoint (stored hashed in the engine)."""


@keys.command("create")
@click.option("--merchant", required=True, help="The merchant id the key acts for, e.g. m-000123.")
@click.option("--label", default=None, help="A note to recognise the key by (e.g. the POS system).")
@click.pass_obj
def keys_create(obj: Context, merchant: str, label: str | None) -> None:
    """Create a key; it is printed once and cannot be shown again."""
    from indexer.changes import merchant_keys as keystore

    key = keystore.create(obj.es, obj.settings, merchant, label)
    click.echo(key)
    click.echo(f"(for {merchant}; keep it secret: only its hash is stored)", err=True)


@keys.command("list")
@click.option("--merchant", default=None, help="Only this merchant's keys.")
@click.pass_obj
def keys_list(obj: Context, merchant: str | None) -> None:
    """Key ids, their merchant, and whether they are revoked (never the secrets)."""
    from indexer.changes import merchant_keys as keystore

    found = keystore.list_keys(obj.es, obj.settings, merchant)
    for info in found:
        state = f"revoked {info.revoked_at}" if info.revoked_at else "active"
        click.echo(
            f"{info.key_id}  {info.merchant_id}  created {info.created_at}  {state}  {info.label or ''}"
        )
    if not found:
        click.echo("no keys")


@keys.command("revoke")
@click.argument("key_id")
@click.pass_obj
def keys_revoke(obj: Context, key_id: str) -> None:
    """Revoke a key (give its id, or the key itself): it fails from the next request on."""
    from indexer.changes import merchant_keys as keystore

    info = keystore.revoke(obj.es, obj.settings, key_id)
    click.echo(f"{info.key_id} ({info.merchant_id}) revoked at {info.revoked_at}")


@main.group()
def changes() -> None:
    """The changes log kept in the engine (replayed by reindex and rollback)."""


@changes.command("prune")
@click.option("--keep-days", type=click.IntRange(1, 3650), default=30, show_default=True)
@click.pass_obj
def changes_prune(obj: Context, keep_days: int) -> None:
    """Delete the log's days older than --keep-days."""
    from indexer.changes import changelog

    doomed = changelog.prune(obj.es, obj.settings, keep_days)
    click.echo(f"deleted {', '.join(doomed)}" if doomed else "nothing to delete")


@main.command()
@click.option("--merchants", "n_merchants", type=click.IntRange(1, 1_000_000), default=200, show_default=True)
@click.option("--listings", type=click.IntRange(0, 50_000_000), default=5_000, show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Directory to write to."
)
def sample(n_merchants: int, listings: int, seed: int, out: Path) -> None:
    """Write contract-valid sample merchants.jsonl and products.jsonl (deterministic per seed)."""
    from sample_data import generate

    with ProgressReporter("sample listings", None, total=listings) as progress:
        summary = generate(out, merchants=n_merchants, listings=listings, seed=seed, progress=progress.set)
    click.echo(f"{summary.merchants:,} merchants -> {summary.merchants_path}")
    click.echo(f"{summary.listings:,} listings  -> {summary.products_path}")


@main.group()
def synonyms() -> None:
    """Search-time synonyms (mappings/synonyms_fr.txt)."""


@synonyms.command("reload")
@click.pass_obj
def synonyms_reload(obj: Context) -> None:
    """Install the synonyms file on the local engine's nodes and reload search analyzers, no reindex."""
    import mappings

    engine = obj.local_engine()
    if engine.status().running:
        for path in engine.install_synonyms(mappings.synonyms_file()):
            click.echo(f"installed {path}")
    else:
        click.echo(
            f"Not the local engine: copy {mappings.synonyms_file()} to config/analysis/ on each node first."
        )
    targets = [obj.settings.alias(n) for n in mappings.INDEX_NAMES]
    result = obj.es.indices.reload_search_analyzers(index=",".join(targets), ignore_unavailable=True)
    for detail in result.get("reload_details", []):
        click.echo(f"reloaded {detail['index']}: {', '.join(detail['reloaded_analyzers'])}")


# -- embedded default -----------------------------------------------------------------------------


@main.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 in a container)."
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True, help="Worker processes.")
@click.option(
    "--threads", type=click.IntRange(1, 64), default=8, show_default=True, help="Threads per worker."
)
@click.pass_obj
def serve(obj: Context, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the shopper query API with gunicorn (Ctrl-C to stop)."""
    from query_api.server import serve as run

    click.echo(f"Query API on http://{host}:{port}/v1 (engine {obj.settings.es_url})")
    run(obj.settings, host=host, port=port, workers=workers, threads=threads)


@main.command()
@click.option("--merchants", "n_merchants", type=click.IntRange(1, 100_000), default=300, show_default=True)
@click.option("--listings", type=click.IntRange(1, 5_000_000), default=20_000, show_default=True)
@click.option(
    "--reload", is_flag=True, help="Reindex the sample data even if the aliases already hold documents."
)
@click.option(
    "--serve/--no-serve", "then_serve", default=True, show_default=True, help="Serve the API afterwards."
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="API port.")
@click.pass_obj
def up(obj: Context, n_merchants: int, listings: int, reload: bool, then_serve: bool, port: int) -> None:
    """The embedded default: start the local engine, create the indices, load sample data, serve the API."""
    from sample_data import FORMAT, generate

    obj.local_engine().start(log=click.echo)
    click.get_current_context().invoke(init)
    loaded = {row.alias: row.documents for row in aliases.describe(obj.es, obj.settings)}
    if reload or not all(loaded.values()):
        data = obj.settings.local_es_home / "sample" / f"{n_merchants}-{listings}-v{FORMAT}"
        if not (data / "products.jsonl").is_file():
            click.echo(f"Generating sample data ({n_merchants:,} merchants, {listings:,} listings) in {data}")
            generate(data, merchants=n_merchants, listings=listings, seed=42)
        click.get_current_context().invoke(reindex, what="all", source=data)
    else:
        click.echo("Sample data already loaded (use --reload to load it again).")
    click.echo(f"\nThe engine keeps running at {obj.local_engine().url}; stop it with `panier es stop`.")
    if then_serve:
        click.echo(
            f"Try: curl 'http://127.0.0.1:{port}/v1/products?q=sirop%20d%27%C3%A9rable&near=Trois-Rivi%C3%A8res'"
        )
        click.get_current_context().invoke(serve, port=port)


main.add_command(kibana)  # panier kibana import
es.add_command(setup_security)  # panier es setup-security


if __name__ == "__main__":
    main()
