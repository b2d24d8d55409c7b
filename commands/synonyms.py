"""``panier synonyms reload``: new search-time synonyms without a reindex."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

import mappings
from indexer.engine import synonyms as search_synonyms

if TYPE_CHECKING:
    from cli import Context


@click.group()
def synonyms() -> None:
    """Search-time synonyms (mappings/synonyms_fr.txt)."""


@synonyms.command("reload")
@click.pass_obj
def synonyms_reload(obj: Context) -> None:
    """Install the synonyms file on the local engine's nodes and reload search analyzers, no reindex."""
    engine = obj.local_engine()
    if engine.status().running:
        for path in engine.install_synonyms(mappings.synonyms_file()):
            click.echo(f"installed {path}")
    else:
        click.echo(
            f"Not the local engine: copy {mappings.synonyms_file()} to config/analysis/ on each node first."
        )
    for index, analyzers in search_synonyms.reload(obj.es, obj.settings).items():
        click.echo(f"reloaded {index}: {', '.join(analyzers)}")
