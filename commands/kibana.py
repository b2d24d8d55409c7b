"""``panier kibana import``: Panier's saved objects into Kibana (panier_core/kibana.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from panier_core import kibana as kibana_import

if TYPE_CHECKING:
    from cli import Context


@click.group("kibana")
def kibana() -> None:
    """Kibana: import Panier's data views, Lens visualizations, maps and dashboards."""


@kibana.command("import")
@click.option("--url", envvar="PANIER_KIBANA_URL", default=kibana_import.DEFAULT_URL, show_default=True,
              help="Kibana's base URL [env PANIER_KIBANA_URL].")  # fmt: skip
@click.option("--space", envvar="PANIER_KIBANA_SPACE", default=kibana_import.DEFAULT_SPACE, show_default=True,
              help="Kibana space id [env PANIER_KIBANA_SPACE].")  # fmt: skip
@click.option("--overwrite/--no-overwrite", default=True, show_default=True,
              help="Replace objects that already exist with the same id.")  # fmt: skip
@click.option("--username", envvar="PANIER_KIBANA_USERNAME",
              help="[env PANIER_KIBANA_USERNAME; default: PANIER_ES_USERNAME]")  # fmt: skip
@click.option("--password", envvar="PANIER_KIBANA_PASSWORD",
              help="[env PANIER_KIBANA_PASSWORD; default: PANIER_ES_PASSWORD]")  # fmt: skip
@click.option("--api-key", envvar="PANIER_KIBANA_API_KEY",
              help="Encoded API key [env PANIER_KIBANA_API_KEY; default: PANIER_ES_API_KEY].")  # fmt: skip
@click.option("--ca-certs", envvar="PANIER_KIBANA_CA_CERTS", type=click.Path(exists=True, dir_okay=False),
              help="CA bundle for an https Kibana [env PANIER_KIBANA_CA_CERTS].")  # fmt: skip
@click.option("--from", "source", type=click.Path(exists=True, path_type=Path), default=None,
              help="NDJSON file or directory [default: the objects shipped in kibana/].")  # fmt: skip
@click.option("--timeout", type=click.FloatRange(1, 600), default=30.0, show_default=True, help="Seconds.")
@click.pass_obj
def import_command(obj: Context, url: str, space: str, overwrite: bool, username: str | None,
                   password: str | None, api_key: str | None, ca_certs: str | None, source: Path | None,
                   timeout: float) -> None:  # fmt: skip
    """Import the saved objects into Kibana through its saved-objects API (kbn-xsrf, multipart NDJSON).

    Credentials default to the Elasticsearch ones (PANIER_ES_API_KEY, else PANIER_ES_USERNAME and
    PANIER_ES_PASSWORD): Kibana's users are Elasticsearch users.
    """
    if api_key and (username or password):
        raise click.UsageError("give either --api-key or --username/--password, not both")
    if password and not username:
        raise click.UsageError("--password needs --username")
    try:
        paths = kibana_import.source_files(source)
    except FileNotFoundError as e:
        raise click.BadParameter(str(e), param_hint="--from") from None
    prefix = obj.settings.index_prefix
    report = kibana_import.import_files(
        url, paths, index_prefix=prefix, space=space, overwrite=overwrite, ca_certs=ca_certs, timeout=timeout,
        credentials=kibana_import.credentials(username, password, api_key, obj.settings),
    )  # fmt: skip
    for line in _summary(report, url, space, prefix):
        click.echo(line)


def _summary(report: kibana_import.ImportReport, url: str, space: str, prefix: str) -> list[str]:
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(report.imported.items()))
    lines = [f"Imported {report.total} saved objects into Kibana at {url} (space {space}): {counts}"]
    if prefix:
        lines.append(f"Data views point at {', '.join(prefix + t for t in kibana_import.PREFIXED_TITLES)}.")
    if report.kept:
        lines.append(f"Kept {len(report.kept)} existing object(s) as they were (--no-overwrite).")
    lines += [f"warning: {warning}" for warning in report.warnings]
    lines += [f"  {title}: {link}" for title, link in report.dashboards]
    return lines
