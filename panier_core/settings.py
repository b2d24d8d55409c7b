"""One settings object, read from the environment once, passed explicitly everywhere else.

Each setting is declared once, as a field of `Settings` made by `setting()`: its environment
variable, how the variable is parsed (an environs parser, i.e. a marshmallow field), its default and
what it means. `VARIABLES` lists the declarations; a test holds the README's Configuration table to
them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import MISSING, Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, NamedTuple

import marshmallow as ma
from environs import Env, EnvValidationError

DEFAULT_ES_URL = "http://127.0.0.1:9200"
DEVELOPMENT_CURSOR_SECRET = "panier-development-cursor-secret"  # public by design: production sets its own
MIN_SECRET_CHARS = 16
_PREFIX_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message names the variable."""


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "panier"


def _default_es_home() -> Path:
    return _default_cache() / "elasticsearch"


def setting(
    variable: str,
    default: Any = None,
    *,
    help: str,
    parser: str = "str",
    factory: Any = None,
    from_env: Any = MISSING,
    documented: str | None = None,
    repr: bool = True,
) -> Any:
    """A `Settings` field read from the environment variable `variable` with the parser `parser`.

    Parsers: environs' ``str`` and ``path``; ``float`` and ``int`` (≥ 0); ``switch`` (on/off);
    ``names`` (comma-separated, as a tuple). `from_env` is the default when reading the environment,
    if it differs from the one for settings built in code; `documented` is how the README shows the
    default when the value itself cannot say it.
    """
    metadata = {
        "variable": variable,
        "parser": parser,
        "help": help,
        "from_env": from_env,
        "documented": documented,
    }
    if factory is not None:
        return field(default_factory=factory, metadata=metadata, repr=repr)
    return field(default=default, metadata=metadata, repr=repr)


@dataclass(frozen=True)
class Settings:
    # One node's URL, or several separated by commas (``es_urls``): requests fail over between them.
    es_url: str = setting(
        "PANIER_ES_URL", DEFAULT_ES_URL, help="the engine: one node's URL, or several separated by commas"
    )
    es_api_key: str | None = setting("PANIER_ES_API_KEY", help="API key (preferred over basic auth)")
    es_username: str | None = setting("PANIER_ES_USERNAME", help="basic auth user (with the password)")
    es_password: str | None = setting("PANIER_ES_PASSWORD", help="basic auth password", repr=False)
    es_ca_certs: str | None = setting("PANIER_ES_CA_CERTS", help="CA bundle for https")
    # Prepended to alias and index names ("" -> aliases "merchants" and "products").
    index_prefix: str = setting("PANIER_INDEX_PREFIX", "", help="prepended to aliases and indices")
    request_timeout: float = setting(
        "PANIER_ES_TIMEOUT", 10.0, parser="float", help="seconds an engine request may take"
    )
    max_retries: int = setting(
        "PANIER_ES_MAX_RETRIES", 3, parser="int", help="retries of an engine request on connection errors"
    )
    # Local engine (panier es ...): where the runner is built and nodes keep their data.
    # setting() returns a dataclasses.field; ruff (RUF009) only sees a call, hence the two ignores.
    local_es_home: Path = setting(  # noqa: RUF009
        "PANIER_ES_HOME",
        factory=_default_es_home,
        parser="path",
        documented="~/.cache/panier/elasticsearch",  # $XDG_CACHE_HOME/panier/elasticsearch when set
        help="where the local engine's runner is built",
    )
    local_es_heap: str = setting("PANIER_ES_HEAP", "1g", help="heap of each local node, e.g. 512m or 1g")
    local_es_data: Path | None = setting(  # noqa: RUF009
        "PANIER_ES_DATA", parser="path", documented="<home>/cluster", help="where local nodes keep their data"
    )
    # Query API
    api_engine_timeout: float = setting(
        "PANIER_API_ENGINE_TIMEOUT",
        2.0,
        parser="float",
        help="seconds an engine request may take before the API answers 503",
    )
    quebec_boost: float = setting(
        "PANIER_QUEBEC_BOOST",
        1.25,
        parser="float",
        help="relevance multiplier for certified Quebec products (1 = none, at most 10)",
    )
    cors_origins: tuple[str, ...] = setting(
        "PANIER_CORS_ORIGINS",
        (),
        parser="names",
        help="origins allowed to call the API from a browser, e.g. https://panier.example; none = no CORS",
    )
    # Signs the merchants search's next_cursor (query_api/cursors.py). The default is public (it is
    # in this file): fine on a developer's machine, and production must set its own.
    cursor_secret: str = setting(
        "PANIER_CURSOR_SECRET",
        DEVELOPMENT_CURSOR_SECRET,
        help="signs next_cursor so that a client cannot forge or alter one; production must set it",
        documented="a development value",
        repr=False,
    )
    # Which blueprints an API process serves: "search" (shoppers) and/or "ingest" (merchants).
    api_parts: tuple[str, ...] = setting(
        "PANIER_API", ("search", "ingest"), parser="names", help="which parts an API process serves"
    )
    # The shopper search page (query_api/page.py): its map's tile URL template; empty, no tiles (the
    # points on a plain background with municipality names: works offline and in tests).
    map_tiles: str = setting(
        "PANIER_MAP_TILES",
        "",
        help="tile URL template ({z}/{x}/{y}) of the search page's map; a space, then its attribution",
    )
    # Search analytics (query_api/analytics.py). On by default from the environment (PANIER_ANALYTICS);
    # off for Settings built in code (tests, scripts) unless they ask, so they never write events.
    analytics: bool = setting(
        "PANIER_ANALYTICS", False, from_env=True, parser="switch", help="off records no search events"
    )
    analytics_es_url: str | None = setting(
        "PANIER_ANALYTICS_ES_URL",
        documented="PANIER_ES_URL",  # None: the engine of es_url, with the same credentials
        help="where search events go",
    )
    analytics_queue_size: int = setting(
        "PANIER_ANALYTICS_QUEUE_SIZE",
        10_000,
        parser="int",
        help="events waiting in memory per worker; beyond, dropped and counted",
    )
    # Load shedding under `panier serve` (query_api/shedding.py): requests inside one worker at once.
    # None: half its threads, so that the other half can refuse the excess at once (503) instead of
    # leaving it to wait for a thread; 0: no bound.
    max_in_flight: int | None = setting(
        "PANIER_API_MAX_IN_FLIGHT",
        parser="int",
        documented="threads ÷ 2",
        help="requests inside one worker at once; beyond, 503 with Retry-After at once (0: no bound)",
    )
    # Per-client rate limits (query_api/limits.py), by client address, counted in each worker's
    # memory. Off for Settings built in code (tests, scripts: one address sends everything).
    rate_limit: str = setting(
        "PANIER_RATE_LIMIT",
        "off",
        from_env="50/second;1500/minute",
        help="what one client address may send to the search endpoints, per worker; off for no limit",
    )
    ingest_rate_limit: str = setting(
        "PANIER_INGEST_RATE_LIMIT",
        "off",
        from_env="10/second;300/minute",
        help="what one client address may send to the ingest endpoints, per worker; off for no limit",
    )
    # Housekeeping of the changes path (indexer/changes/retention.py, maintenance.py).
    changes_retention_days: int = setting(
        "PANIER_CHANGES_RETENTION_DAYS",
        30,
        parser="int",
        help="days of the changes log kept at least (more while a replay may still need them)",
    )
    # 0 (the default for Settings built in code: tests replay fixed, old dates) accepts changes of
    # any age and keeps tombstones forever.
    late_change_days: int = setting(
        "PANIER_LATE_CHANGE_DAYS",
        0,
        from_env=7,
        parser="int",
        help="days a change may arrive after its updated_at (older: a reject); tombstones are purged after",
    )
    # The command line (cli.py): an unexpected error shows its traceback instead of one sentence.
    debug: bool = setting(
        "PANIER_DEBUG", False, parser="switch", help="on shows a failed command's traceback"
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from `env` (default: the process environment); blank values count as unset."""
        reader = _Reader(os.environ if env is None else env)
        values = {}
        for declared in fields(cls):
            variable, parser = declared.metadata["variable"], declared.metadata["parser"]
            try:
                values[declared.name] = getattr(reader, parser)(
                    variable, _env_default(declared), **_parser_options(parser, variable)
                )
            except EnvValidationError as e:
                messages = e.error_messages
                raise SettingsError(messages[0] if isinstance(messages, list) else str(e)) from None
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        urls = self.es_urls
        if not urls:
            raise SettingsError(f"PANIER_ES_URL names no engine, got {self.es_url!r}")
        for url in urls:
            if not url.startswith(("http://", "https://")):
                where = f" (in {self.es_url!r})" if len(urls) > 1 else ""
                raise SettingsError(f"PANIER_ES_URL must start with http:// or https://, got {url!r}{where}")
        if self.index_prefix and not _PREFIX_RE.match(self.index_prefix):
            raise SettingsError(
                "PANIER_INDEX_PREFIX must be lowercase letters, digits, '-', '_' or '.', "
                f"and not start with a symbol; got {self.index_prefix!r}"
            )
        if (self.es_username is None) != (self.es_password is None):
            raise SettingsError("set both PANIER_ES_USERNAME and PANIER_ES_PASSWORD, or neither")
        if self.es_ca_certs and not Path(self.es_ca_certs).is_file():
            raise SettingsError(f"PANIER_ES_CA_CERTS={self.es_ca_certs!r}: no such file")
        if not 1.0 <= self.quebec_boost <= 10.0:
            raise SettingsError(f"PANIER_QUEBEC_BOOST must be between 1 and 10, got {self.quebec_boost}")
        if not self.api_parts or set(self.api_parts) - {"search", "ingest"}:
            parts = ",".join(self.api_parts)
            raise SettingsError(f"PANIER_API must list search and/or ingest, got {parts!r}")
        if self.analytics_es_url and not self.analytics_es_url.startswith(("http://", "https://")):
            raise SettingsError(
                f"PANIER_ANALYTICS_ES_URL must start with http:// or https://, got {self.analytics_es_url!r}"
            )
        if len(self.cursor_secret) < MIN_SECRET_CHARS:
            raise SettingsError(f"PANIER_CURSOR_SECRET must be at least {MIN_SECRET_CHARS} characters long")
        if self.analytics_queue_size < 1:
            raise SettingsError(f"PANIER_ANALYTICS_QUEUE_SIZE must be ≥ 1, got {self.analytics_queue_size}")
        for variable, value in (
            ("PANIER_RATE_LIMIT", self.rate_limit),
            ("PANIER_INGEST_RATE_LIMIT", self.ingest_rate_limit),
        ):
            _check_rate_limit(variable, value)
        if self.changes_retention_days < 1:
            raise SettingsError(
                f"PANIER_CHANGES_RETENTION_DAYS must be ≥ 1, got {self.changes_retention_days}"
            )
        if not re.fullmatch(r"\d+[mg]", self.local_es_heap):
            raise SettingsError(f"PANIER_ES_HEAP must look like 512m or 1g, got {self.local_es_heap!r}")

    @property
    def es_urls(self) -> tuple[str, ...]:
        """The node addresses of ``es_url``, in order (``PANIER_ES_URL`` may list several)."""
        return parse_urls(self.es_url)

    def alias(self, name: str) -> str:
        """The alias shoppers' searches go through, e.g. ``merchants`` or ``<prefix>merchants``."""
        return f"{self.index_prefix}{name}"

    def with_prefix(self, index_prefix: str) -> Settings:
        return replace(self, index_prefix=index_prefix)


def _check_rate_limit(variable: str, value: str) -> None:
    """``off``, or rate limits as Flask-Limiter reads them: ``50/second;1500/minute``."""
    if value == "off":
        return
    from limits import parse_many  # Flask-Limiter's own parser

    try:
        parse_many(value)
    except ValueError:
        raise SettingsError(
            f"{variable} must be off or limits such as 50/second;1500/minute, got {value!r}"
        ) from None


def parse_urls(value: str) -> tuple[str, ...]:
    """``"http://a:9200, http://b:9200"`` -> ``("http://a:9200", "http://b:9200")``: comma-separated,
    blanks around and between addresses ignored, duplicates dropped (the first one kept)."""
    return tuple(dict.fromkeys(url.strip() for url in value.split(",") if url.strip()))


# -- reading the environment with environs ----------------------------------------------------------


class _Switch(ma.fields.Boolean):
    """on/off, true/false, yes/no or 1/0, in any case."""

    truthy = frozenset({"on", "true", "yes", "1"})
    falsy = frozenset({"off", "false", "no", "0"})

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        return super()._deserialize(str(value).lower(), attr, data, **kwargs)


class _Names(ma.fields.Field):
    """A comma-separated list such as ``search,ingest``, as a tuple; blank items are ignored."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> tuple[str, ...]:
        return tuple(name.strip() for name in str(value).split(",") if name.strip())


class _Reader(Env):
    """environs' parsers over the mapping given to `Settings.from_env` instead of ``os.environ``."""

    def __init__(self, source: Mapping[str, str]):
        super().__init__(eager=True)
        self._source = source
        self.add_parser_from_field("switch", _Switch)
        self.add_parser_from_field("names", _Names)

    # environs' hook for where values come from (sloria/environs#51). No prefix, no ${VAR}
    # expansion; a blank value is unset, as an empty `PANIER_INDEX_PREFIX=` in a unit file means.
    def _get_from_environ(
        self, key: str, default: Any, *, proxied: bool = False
    ) -> tuple[str, Any, str | None]:
        value = self._source.get(key, "").strip()
        return key, value or default, None


def _parser_options(parser: str, variable: str) -> dict[str, Any]:
    """The marshmallow options of a parser, with error messages that name the variable."""
    if parser in ("float", "int"):
        invalid = f"{variable}={{input!r}} is not a{'n' if parser == 'int' else ''} {parser}"
        shown = "{input:g}" if parser == "float" else "{input}"  # -1, not -1.0, for PANIER_ES_TIMEOUT=-1
        return {
            "validate": ma.validate.Range(min=0, error=f"{variable} must be ≥ 0, got {shown}"),
            "error_messages": {
                "invalid": invalid,
                "too_large": invalid,
                "special": f"{variable} must be a finite number",  # nan, inf
            },
        }
    if parser == "switch":
        return {"error_messages": {"invalid": f"{variable} must be on or off, got {{input!r}}"}}
    return {}


def _env_default(declared: Field) -> Any:
    if declared.metadata["from_env"] is not MISSING:
        return declared.metadata["from_env"]
    if declared.default_factory is not MISSING:
        return declared.default_factory()
    return declared.default


# -- the declarations, for docs and tests -----------------------------------------------------------


class Variable(NamedTuple):
    name: str  # the environment variable
    attribute: str  # of Settings
    default: str  # as the README's Configuration table shows it
    help: str


def _documented_default(declared: Field) -> str:
    if declared.metadata["documented"] is not None:
        return declared.metadata["documented"]
    value = _env_default(declared)
    if isinstance(value, bool):
        return "on" if value else "off"
    if value is None or value in ("", ()):
        return "–"
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


VARIABLES: tuple[Variable, ...] = tuple(
    Variable(f.metadata["variable"], f.name, _documented_default(f), f.metadata["help"])
    for f in fields(Settings)
)
