"""``panier sample``: contract-valid sample files (sample_data/)."""

from __future__ import annotations

from pathlib import Path

import click

from indexer.batch.progress import ProgressReporter


@click.command()
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
