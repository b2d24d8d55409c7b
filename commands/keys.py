"""``panier keys create/list/revoke``: merchants' API keys for the ingest endpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from tabulate import tabulate

if TYPE_CHECKING:
    from cli import Context


@click.group()
def keys() -> None:
    """Merchants' API keys for the ingest endpoint (stored hashed in the engine)."""


@keys.command("create")
@click.option("--merchant", required=True, help="The merchant id the key acts for, e.g. m-000123.")
@click.option("--label", default=None, help="A note to recognise the key by (e.g. the POS system).")
@click.pass_obj
def keys_create(obj: Context, merchant: str, label: str | None) -> None:
    """Create a key; it is printed once and cannot be shown again."""
    from indexer.changes import merchant_keys

    click.echo(merchant_keys.create(obj.es, obj.settings, merchant, label))
    click.echo(f"(for {merchant}; keep it secret: only its hash is stored)", err=True)


@keys.command("list")
@click.option("--merchant", default=None, help="Only this merchant's keys.")
@click.pass_obj
def keys_list(obj: Context, merchant: str | None) -> None:
    """Key ids, their merchant, and whether they are revoked (never the secrets)."""
    from indexer.changes import merchant_keys

    rows = [
        (k.key_id, k.merchant_id, f"created {k.created_at}",
         f"revoked {k.revoked_at}" if k.revoked_at else "active", k.label or "")
        for k in merchant_keys.list_keys(obj.es, obj.settings, merchant)
    ]  # fmt: skip
    click.echo(tabulate(rows, tablefmt="plain", disable_numparse=True) if rows else "no keys")


@keys.command("revoke")
@click.argument("key_id")
@click.pass_obj
def keys_revoke(obj: Context, key_id: str) -> None:
    """Revoke a key (give its id, or the key itself): it fails from the next request on."""
    from indexer.changes import merchant_keys

    info = merchant_keys.revoke(obj.es, obj.settings, key_id)
    click.echo(f"{info.key_id} ({info.merchant_id}) revoked at {info.revoked_at}")
