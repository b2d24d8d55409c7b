"""``panier``: the admin's command line.

This module holds the group (``main``), the one context object the commands share and the error
handling; the commands live in ``commands/``, one module per topic, and each delegates to indexer/,
query_api/, panier_core/, local_es/ or sample_data/ in a few lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlparse

import click
import elasticsearch
from elasticsearch import Elasticsearch

from commands import changes, indices, keys, kibana, local_engine, sample, security, serve, synonyms
from indexer.engine.aliases import AliasError
from indexer.engine.bulk_items import EngineUnavailable
from local_es import LocalEngine, LocalEngineError
from panier_core.engine import build_client
from panier_core.kibana import KibanaError
from panier_core.security import SecurityNotEnabled
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
            http_port=port or _local_port(self.settings.es_urls[0]),
            nodes=nodes,
            heap=self.settings.local_es_heap,
            data_root=self.settings.local_es_data,
        )


def _local_port(url: str) -> int:
    parsed = urlparse(url)
    if parsed.hostname in ("127.0.0.1", "localhost") and parsed.port:
        return parsed.port
    return 9200


# Domain errors whose message is already the sentence a person can act on.
PLAIN_ERRORS = (
    SettingsError, LocalEngineError, AliasError, KibanaError, SecurityNotEnabled, FileNotFoundError,
    ValueError,
)  # fmt: skip


class PanierGroup(click.Group):
    """Turns the failures a person can act on into one clear sentence instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PLAIN_ERRORS as e:
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
            if isinstance(ctx.obj, Context) and ctx.obj.settings.debug:
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


for command in (
    local_engine.es,
    indices.init, indices.status, indices.reindex, indices.rollback,
    changes.apply_changes, changes.follow, changes.changes,
    keys.keys,
    sample.sample,
    synonyms.synonyms,
    serve.serve, serve.up,
    kibana.kibana,
):  # fmt: skip
    main.add_command(command)
local_engine.es.add_command(security.setup_security)  # panier es setup-security


if __name__ == "__main__":
    main()
