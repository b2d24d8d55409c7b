"""One settings object, read from the environment once, passed explicitly everywhere else."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_ES_URL = "http://127.0.0.1:9200"
_PREFIX_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message names the variable."""


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "panier"


@dataclass(frozen=True)
class Settings:
    es_url: str = DEFAULT_ES_URL
    es_api_key: str | None = None
    es_username: str | None = None
    es_password: str | None = field(default=None, repr=False)
    es_ca_certs: str | None = None
    # Prepended to alias and index names ("" -> aliases "merchants" and "products").
    index_prefix: str = ""
    request_timeout: float = 10.0
    max_retries: int = 3
    # Local engine (panier es ...): where the runner is built and nodes keep their data.
    local_es_home: Path = field(default_factory=lambda: _default_cache() / "elasticsearch")
    local_es_heap: str = "1g"
    local_es_data: Path | None = None  # default: <local_es_home>/cluster
    # Query API
    api_engine_timeout: float = 2.0  # seconds an engine request may take before the API answers 503
    quebec_boost: float = 1.25  # relevance multiplier for certified Quebec products (1 = none)
    cors_origins: tuple[str, ...] = ()  # e.g. ("https://panier.example",); empty = no CORS headers
    # Which blueprints an API process serves: "search" (shoppers) and/or "ingest" (merchants).
    api_parts: tuple[str, ...] = ("search", "ingest")
    # Search analytics (query_api/analytics.py). On by default from the environment (PANIER_ANALYTICS);
    # off for Settings built in code (tests, scripts) unless they ask, so they never write events.
    analytics: bool = False
    analytics_es_url: str | None = None  # where events go; None = es_url (same credentials)
    analytics_queue_size: int = 10_000  # events waiting in memory per worker; beyond, dropped and counted

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        def number(name: str, default: float, kind: type) -> float:
            raw = get(name)
            if raw is None:
                return default
            try:
                value = kind(raw)
            except ValueError:
                raise SettingsError(f"{name}={raw!r} is not a {kind.__name__}") from None
            if value < 0:
                raise SettingsError(f"{name} must be ≥ 0, got {raw}")
            return value

        def switch(name: str, default: bool) -> bool:
            raw = (get(name) or ("on" if default else "off")).lower()
            if raw not in ("on", "off", "true", "false", "1", "0", "yes", "no"):
                raise SettingsError(f"{name} must be on or off, got {raw!r}")
            return raw in ("on", "true", "1", "yes")

        settings = cls(
            es_url=get("PANIER_ES_URL") or DEFAULT_ES_URL,
            es_api_key=get("PANIER_ES_API_KEY"),
            es_username=get("PANIER_ES_USERNAME"),
            es_password=get("PANIER_ES_PASSWORD"),
            es_ca_certs=get("PANIER_ES_CA_CERTS"),
            index_prefix=get("PANIER_INDEX_PREFIX") or "",
            request_timeout=float(number("PANIER_ES_TIMEOUT", 10.0, float)),
            max_retries=int(number("PANIER_ES_MAX_RETRIES", 3, int)),
            local_es_home=Path(get("PANIER_ES_HOME") or _default_cache() / "elasticsearch"),
            local_es_heap=get("PANIER_ES_HEAP") or "1g",
            local_es_data=Path(data) if (data := get("PANIER_ES_DATA")) else None,
            api_engine_timeout=float(number("PANIER_API_ENGINE_TIMEOUT", 2.0, float)),
            quebec_boost=float(number("PANIER_QUEBEC_BOOST", 1.25, float)),
            cors_origins=tuple(o.strip() for o in (get("PANIER_CORS_ORIGINS") or "").split(",") if o.strip()),
            api_parts=tuple(
                p.strip() for p in (get("PANIER_API") or "search,ingest").split(",") if p.strip()
            ),
            analytics=switch("PANIER_ANALYTICS", True),
            analytics_es_url=get("PANIER_ANALYTICS_ES_URL"),
            analytics_queue_size=int(number("PANIER_ANALYTICS_QUEUE_SIZE", 10_000, int)),
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        if not self.es_url.startswith(("http://", "https://")):
            raise SettingsError(f"PANIER_ES_URL must start with http:// or https://, got {self.es_url!r}")
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
        if self.analytics_queue_size < 1:
            raise SettingsError(f"PANIER_ANALYTICS_QUEUE_SIZE must be ≥ 1, got {self.analytics_queue_size}")
        if not re.fullmatch(r"\d+[mg]", self.local_es_heap):
            raise SettingsError(f"PANIER_ES_HEAP must look like 512m or 1g, got {self.local_es_heap!r}")

    def alias(self, name: str) -> str:
        """The alias shoppers' searches go through, e.g. ``merchants`` or ``<prefix>merchants``."""
        return f"{self.index_prefix}{name}"

    def with_prefix(self, index_prefix: str) -> Settings:
        return replace(self, index_prefix=index_prefix)
