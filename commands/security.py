"""``panier es setup-security``: the roles and API keys of a secured cluster (panier_core/security.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
import elasticsearch

from panier_core import security
from panier_core.settings import Settings

if TYPE_CHECKING:
    from cli import Context


@click.command("setup-security")
@click.option("--keys-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write the keys to DIR/query-api.key and DIR/indexer.key (mode 600).")  # fmt: skip
@click.option("--expiration", default=None, metavar="DURATION",
              help="Lifetime of the keys, e.g. 90d [default: no expiry].")  # fmt: skip
@click.option("--invalidate-previous", is_flag=True,
              help="Invalidate earlier keys of the same names first (rotate).")  # fmt: skip
@click.pass_obj
def setup_security(
    obj: Context, keys_dir: Path | None, expiration: str | None, invalidate_previous: bool
) -> None:
    """Create the analyst role and the query API's and indexer's API keys (secured clusters only).

    Needs a user with the manage_security cluster privilege (e.g. `elastic`). The keys' secrets are
    printed once; set the query API's as PANIER_ES_API_KEY where the API runs, the indexer's where
    `panier reindex` runs.
    """
    try:
        report = security.setup(
            obj.es, obj.settings, expiration=expiration, invalidate_previous=invalidate_previous
        )
    except elasticsearch.AuthorizationException as e:
        raise click.ClickException(
            "Elasticsearch refused (403): the user needs the manage_security cluster privilege "
            "(use the elastic superuser or an administrator's API key)"
        ) from e
    for line in _summary(obj.settings, report):
        click.echo(line)
    if keys_dir is not None:
        for path in security.write_keys(keys_dir, report.keys):
            click.echo(f"wrote {path}")


def _summary(settings: Settings, report: security.SecurityReport) -> list[str]:
    analyst = security.role_names(settings)["analyst"]
    lines = [
        f"role {analyst}: {security.describe_privileges(security.analyst_role(settings))}",
        "  give it to analysts' users; Kibana feature privileges: docs/kibana.md",
    ]
    if report.invalidated:
        lines.append(f"invalidated {report.invalidated} earlier key(s)")
    descriptors = {"query-api": security.query_api_role(settings), "indexer": security.indexer_role(settings)}
    lines += [
        f"API key {key.name} (id {key.id}): {security.describe_privileges(descriptors[key.purpose])}"
        for key in report.keys
    ]
    lines.append("\nThe secrets are shown this once; store them now:")
    lines += [f"  {key.purpose + ':':<11} PANIER_ES_API_KEY={key.encoded}" for key in report.keys]
    return lines
