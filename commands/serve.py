"""``panier serve`` (the query API under gunicorn) and ``panier up`` (the embedded default)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from commands.indices import init, reindex
from indexer.engine import aliases

if TYPE_CHECKING:
    from cli import Context

TRY = "curl 'http://127.0.0.1:{port}/v1/products?q=sirop%20d%27%C3%A9rable&near=Trois-Rivi%C3%A8res'"


@click.command()
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


@click.command()
@click.option("--merchants", "n_merchants", type=click.IntRange(1, 100_000), default=300, show_default=True)
@click.option("--listings", type=click.IntRange(1, 5_000_000), default=20_000, show_default=True)
@click.option(
    "--reload", is_flag=True, help="Reindex the sample data even if the aliases already hold documents."
)
@click.option(
    "--serve/--no-serve", "then_serve", default=True, show_default=True, help="Serve the API afterwards."
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="API port.")
@click.pass_context
def up(
    ctx: click.Context, n_merchants: int, listings: int, reload: bool, then_serve: bool, port: int
) -> None:
    """The embedded default: start the local engine, create the indices, load sample data, serve the API."""
    import sample_data

    obj: Context = ctx.obj
    obj.local_engine().start(log=click.echo)
    ctx.invoke(init)
    if reload or not all(row.documents for row in aliases.describe(obj.es, obj.settings)):
        root = obj.settings.local_es_home / "sample"
        data = sample_data.cached(root, merchants=n_merchants, listings=listings, log=click.echo)
        ctx.invoke(reindex, what="all", source=data)
    else:
        click.echo("Sample data already loaded (use --reload to load it again).")
    click.echo(f"\nThe engine keeps running at {obj.local_engine().url}; stop it with `panier es stop`.")
    if then_serve:
        click.echo(f"Try: {TRY.format(port=port)}")
        ctx.invoke(serve, port=port)
