"""``panier es start/stop/status/resolve``: the local engine (local_es/), no Docker needed."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from local_es import ES_VERSION

if TYPE_CHECKING:
    from cli import Context


@click.group()
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
