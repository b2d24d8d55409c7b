"""Versioned indices behind stable aliases.

Shoppers' searches go through the aliases ``merchants`` and ``products`` (with the settings' prefix).
Each alias points at one versioned index such as ``merchants-20261124t120000123``; a full reindex
builds a new one and swaps the alias in one ``_aliases`` call.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from elasticsearch import Elasticsearch, NotFoundError

import mappings
from indexer.records.visibility import ALIAS_FILTER
from panier_core.settings import Settings


class AliasError(RuntimeError):
    """The engine's indices are not in a state Panier can work with; the message says what to do."""


def versioned_name(alias: str, now: datetime | None = None) -> str:
    """``<alias>-YYYYMMDDtHHMMSSmmm`` in UTC: sorts by creation time, unique to the millisecond."""
    now = now or datetime.now(UTC)
    return f"{alias}-{now:%Y%m%dt%H%M%S}{now.microsecond // 1000:03d}"


def built_at(alias: str, index: str) -> datetime:
    """When a ``versioned_name`` index was created (to the second)."""
    return datetime.strptime(index[len(alias) + 1 :][:15], "%Y%m%dt%H%M%S").replace(tzinfo=UTC)


def next_alias(alias: str) -> str:
    """The alias a reindex puts on the index it built, so that live changes reach it before the swap."""
    return f"{alias}-next"


def remove_next_alias(es: Elasticsearch, alias: str) -> None:
    with contextlib.suppress(NotFoundError):
        es.indices.delete_alias(index="*", name=next_alias(alias))


def add_next_alias(es: Elasticsearch, alias: str, index: str) -> None:
    es.indices.update_aliases(
        actions=[{"add": {"index": index, "alias": next_alias(alias), "filter": ALIAS_FILTER}}]
    )


def create_index(
    es: Elasticsearch,
    alias: str,
    mapping: str,
    *,
    settings_override: dict | None = None,
    state: str = "ready",
    owner: str | None = None,
) -> str:
    """Create a new versioned index for ``alias`` from the mapping file ``mapping``; returns its name.

    ``state`` is recorded in the mapping's ``_meta`` (``building`` until a reindex verified it), with
    the ``owner`` of the lock of the run building it: a building index whose owner holds no live lock
    is debris of a failed run.
    """
    body = mappings.load(mapping)
    if settings_override:
        body["settings"]["index"].update(settings_override)
    body["mappings"]["_meta"]["state"] = state
    if owner:
        body["mappings"]["_meta"]["owner"] = owner
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
    upgraded: dict[str, str] = field(default_factory=dict)  # alias -> what was brought up to date

    @property
    def changed(self) -> bool:
        return bool(self.created or self.upgraded)


def ensure_aliases(es: Elasticsearch, settings: Settings) -> InitReport:
    """Create a versioned index and its alias for each of merchants and products, unless present.

    Idempotent. An alias that already exists keeps its index; an index made by an older Panier gets
    the fields added since (mappings only grow) and its alias the filter that hides tombstones.
    """
    report = InitReport()
    for name in mappings.INDEX_NAMES:
        alias = settings.alias(name)
        current = indices_of(es, alias)
        if current:
            report.existing[alias] = ", ".join(current)
            upgraded = _upgrade(es, alias, name, current)
            if upgraded:
                report.upgraded[alias] = upgraded
            continue
        if es.indices.exists(index=alias):
            raise AliasError(
                f"{alias!r} is a concrete index, not an alias (perhaps created by a stray write); "
                f"delete or rename it, then run init again"
            )
        index = create_index(es, alias, name)
        es.indices.update_aliases(actions=[{"add": {"index": index, "alias": alias, "filter": ALIAS_FILTER}}])
        report.created[alias] = index
    return report


def _upgrade(es: Elasticsearch, alias: str, mapping: str, indices: list[str]) -> str:
    done = []
    wanted = mappings.load(mapping)["mappings"]["properties"]
    for index in indices:
        have = es.indices.get_mapping(index=index)[index]["mappings"].get("properties", {})
        missing = {k: v for k, v in wanted.items() if k not in have}
        nested_missing = {
            k: v
            for k, v in wanted.items()
            if k in have and "properties" in v and set(v["properties"]) - set(have[k].get("properties", {}))
        }
        if missing or nested_missing:
            es.indices.put_mapping(index=index, properties={**missing, **nested_missing})
            done.append(f"fields {', '.join(sorted({*missing, *nested_missing}))} added to {index}")
        aliases = es.indices.get_alias(index=index, name=alias)[index]["aliases"]
        if aliases.get(alias, {}).get("filter") != ALIAS_FILTER:
            es.indices.update_aliases(
                actions=[{"add": {"index": index, "alias": alias, "filter": ALIAS_FILTER}}]
            )
            done.append("filter hiding deleted records added to the alias")
    return "; ".join(done)


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


def versioned_indices(es: Elasticsearch, alias: str) -> list[str]:
    """Every ``<alias>-<timestamp>`` index, oldest first."""
    pattern = re.compile(rf"^{re.escape(alias)}-\d{{8}}t\d{{9}}$")
    names = es.indices.get(index=f"{alias}-*", expand_wildcards="open,closed", ignore_unavailable=True).body
    return sorted(n for n in names if pattern.match(n))


def building_indices(es: Elasticsearch, alias: str) -> dict[str, str | None]:
    """The versioned indices of ``alias`` still marked ``building``, with the owner that built each."""
    names = versioned_indices(es, alias)
    if not names:
        return {}
    found = es.indices.get_mapping(index=",".join(names), expand_wildcards="open,closed").body
    out = {}
    for name in names:
        meta = found.get(name, {}).get("mappings", {}).get("_meta", {})
        if meta.get("state") == "building":
            out[name] = meta.get("owner")
    return out


class CopiesNotActive(AliasError):
    """The new index's shard copies did not all become active in time; the alias was not moved."""


def wait_for_copies(es: Elasticsearch, index: str, timeout: float) -> str:
    """Wait until every copy of ``index``'s shards is active, as far as the cluster can place them;
    returns the health reached.

    Green when the index has replicas and the cluster more than one data node (moving the alias
    while replicas are still recovering leaves searches on one copy); yellow is all one node can
    reach when an index asks for replicas. After ``timeout`` seconds, ``CopiesNotActive``.
    """
    index_settings = es.indices.get_settings(index=index, name="index.number_of_replicas")
    replicas = int(index_settings[index]["settings"]["index"]["number_of_replicas"])
    data_nodes = es.cluster.health()["number_of_data_nodes"]
    wanted = "green" if replicas > 0 and data_nodes > 1 else "yellow"
    health = es.options(request_timeout=timeout + 30, ignore_status=408).cluster.health(
        index=index, wait_for_status=wanted, timeout=f"{timeout:g}s"
    )
    if health["timed_out"]:
        raise CopiesNotActive(
            f"the shards of {index} were not all active after {timeout:g} s (health {health['status']}, "
            f"{health['unassigned_shards']} unassigned, {health['initializing_shards']} initializing, "
            f"{replicas} replica(s) on {data_nodes} data node(s))"
        )
    return health["status"]


def mark_ready(es: Elasticsearch, index: str, mapping: str) -> None:
    meta = dict(mappings.load(mapping)["mappings"]["_meta"], state="ready")
    es.indices.put_mapping(index=index, meta=meta)


def swap_alias(es: Elasticsearch, alias: str, index: str) -> list[str]:
    """Point ``alias`` at ``index`` only, in one atomic ``_aliases`` call; returns the indices it left.

    The same call takes the reindex's ``-next`` alias off ``index``: from then on live changes reach
    it through ``alias`` itself, so no change lands on the old index alone.
    """
    previous = [i for i in indices_of(es, alias) if i != index]
    actions: list[dict] = [{"remove": {"index": i, "alias": alias}} for i in previous]
    actions.append({"add": {"index": index, "alias": alias, "filter": ALIAS_FILTER}})
    actions.append({"remove": {"index": index, "alias": next_alias(alias), "must_exist": False}})
    es.indices.update_aliases(actions=actions)
    return previous


def prune_old_indices(es: Elasticsearch, alias: str, keep: int) -> list[str]:
    """Delete versioned indices the alias does not use, except the ``keep`` newest; returns the deleted."""
    current = set(indices_of(es, alias))
    spare = [i for i in versioned_indices(es, alias) if i not in current]
    doomed = spare[: max(0, len(spare) - keep)]
    if doomed:
        es.indices.delete(index=",".join(doomed))
    return doomed


def rollback_target(es: Elasticsearch, alias: str) -> tuple[str, str]:
    """(the index ``alias`` points at, the newest kept index older than it), or ``AliasError``."""
    current = indices_of(es, alias)
    if len(current) != 1:
        raise AliasError(f"{alias!r} points at {current or 'nothing'}; rollback needs exactly one index")
    building = building_indices(es, alias)  # debris of failed runs is never a rollback target
    older = [i for i in versioned_indices(es, alias) if i < current[0] and i not in building]
    if not older:
        raise AliasError(f"no index older than {current[0]} is kept for {alias!r}; nothing to roll back to")
    return current[0], older[-1]
