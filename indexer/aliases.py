"""Versioned indices behind stable aliases.

Shoppers' searches go through the aliases ``merchants`` and ``products`` (with the settings' prefix).
Each alias points at one versioned index such as ``merchants-20261124t120000123``; a full reindex
builds a new one and swaps the alias in one ``_aliases`` call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from elasticsearch import Elasticsearch, NotFoundError

import mappings
from panier_core.settings import Settings


class AliasError(RuntimeError):
    """The engine's indices are not in a state Panier can work with; the message says what to do."""


def versioned_name(alias: str, now: datetime | None = None) -> str:
    """``<alias>-YYYYMMDDtHHMMSSmmm`` in UTC: sorts by creation time, unique to the millisecond."""
    now = now or datetime.now(UTC)
    return f"{alias}-{now:%Y%m%dt%H%M%S}{now.microsecond // 1000:03d}"


def create_index(
    es: Elasticsearch, alias: str, mapping: str, *, settings_override: dict | None = None
) -> str:
    """Create a new versioned index for ``alias`` from the mapping file ``mapping``; returns its name."""
    body = mappings.load(mapping)
    if settings_override:
        body["settings"]["index"].update(settings_override)
    name = versioned_name(alias)
    while es.indices.exists(index=name):
        name = versioned_name(alias)
    es.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])
    return name


def indices_of(es: Elasticsearch, alias: str) -> list[str]:
    """The indices ``alias`` points at (normally exactly one), sorted; [] when the alias is absent."""
    try:
        return sorted(es.indices.get_alias(name=alias).body)
    except NotFoundError:
        return []


@dataclass
class InitReport:
    created: dict[str, str] = field(default_factory=dict)  # alias -> new index
    existing: dict[str, str] = field(default_factory=dict)  # alias -> index it already points at

    @property
    def changed(self) -> bool:
        return bool(self.created)


def ensure_aliases(es: Elasticsearch, settings: Settings) -> InitReport:
    """Create a versioned index and its alias for each of merchants and products, unless present.

    Idempotent: an alias that already exists is left exactly as it is.
    """
    report = InitReport()
    for name in mappings.INDEX_NAMES:
        alias = settings.alias(name)
        current = indices_of(es, alias)
        if current:
            report.existing[alias] = ", ".join(current)
            continue
        if es.indices.exists(index=alias):
            raise AliasError(
                f"{alias!r} is a concrete index, not an alias (perhaps created by a stray write); "
                f"delete or rename it, then run init again"
            )
        index = create_index(es, alias, name)
        es.indices.update_aliases(actions=[{"add": {"index": index, "alias": alias}}])
        report.created[alias] = index
    return report


@dataclass
class AliasStatus:
    alias: str
    indices: list[str]
    documents: int | None


def describe(es: Elasticsearch, settings: Settings) -> list[AliasStatus]:
    """For each alias: the indices it points at and how many documents they hold."""
    out = []
    for name in mappings.INDEX_NAMES:
        alias = settings.alias(name)
        indices = indices_of(es, alias)
        count = es.count(index=alias)["count"] if indices else None
        out.append(AliasStatus(alias, indices, count))
    return out
