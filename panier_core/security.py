"""Least privilege on a secured cluster (``panier es setup-security``).

Three identities, each allowed only what its job needs:

- the query API (API key): search and get through the two aliases, and append its search events
  to the analytics data stream;
- the indexer (API key): build versioned indices, load them, move the aliases, and keep its own
  ``panier-*`` indices (locks, changes log, keys, state);
- analysts (role ``panier_analyst``, for people's users): read the aliases and the search events
  in Kibana. Kibana's feature privileges are Kibana's to grant: ``kibana_role`` is the body for
  Kibana's role API (docs/kibana.md).

The descriptors are plain data built from the settings (the index prefix), so tests read them as
the specification. Only ``setup`` talks to the engine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import elasticsearch
from elasticsearch import Elasticsearch

from panier_core.settings import Settings

# The analytics data stream the query API writes its search events to (mappings/search_events.json),
# behind the index prefix like everything else (query_api/analytics.py).
SEARCH_EVENTS = "logs-panier.search-*"
APPLICATION = "panier"
# Kibana features an analyst needs to look at the dashboards, read-only (Kibana 8.x feature ids;
# 8.18 introduced dashboard_v2, discover_v2 and visualize_v2 as replacements of the first three).
KIBANA_ANALYST_FEATURES: dict[str, list[str]] = {
    "dashboard": ["read"],
    "discover": ["read"],
    "visualize": ["read"],
    "maps": ["read"],
}
KEY_FILES = {"query-api": "query-api.key", "indexer": "indexer.key"}


class SecurityNotEnabled(Exception):
    """The cluster has no security features (the local engine has no x-pack), or they are off."""


def _aliases(settings: Settings) -> list[str]:
    return [settings.alias("merchants"), settings.alias("products")]


def _metadata(purpose: str) -> dict[str, str]:
    return {"application": APPLICATION, "purpose": purpose}


def query_api_role(settings: Settings) -> dict[str, Any]:
    """The query API: read through the aliases, append search events, nothing else."""
    return {
        # GET / (engine version) answers /v1/health; `monitor` is the smallest named privilege for it.
        "cluster": ["monitor"],
        "indices": [
            # view_index_metadata: /v1/health lists the indices behind each alias (GET _alias).
            {"names": _aliases(settings), "privileges": ["read", "view_index_metadata"]},
            # create_doc appends and never overwrites; auto_configure lets the first event create
            # the data stream from its index template.
            {"names": [settings.alias(SEARCH_EVENTS)], "privileges": ["create_doc", "auto_configure"]},
        ],
        "metadata": _metadata("query API"),
    }


def indexer_role(settings: Settings) -> dict[str, Any]:
    """The indexer: its own indices and aliases only; no cluster settings, users or other indices."""
    owned = [settings.alias("merchants*"), settings.alias("products*"), settings.alias("panier-*")]
    return {
        # `panier status` shows engine version and cluster health.
        "cluster": ["monitor"],
        "indices": [
            # manage: create and delete versioned indices, change their settings (refresh, replicas),
            # move aliases (the alias and its indices all match these names), reload analyzers.
            # write: bulk loads and incremental changes. read: the count check before a swap,
            # merchant fields for products, locks and state.
            {"names": owned, "privileges": ["manage", "read", "write"]},
        ],
        "metadata": _metadata("indexer"),
    }


def analyst_role(settings: Settings) -> dict[str, Any]:
    """Analysts in Kibana: read the catalogue and the search events, see their mappings."""
    return {
        "cluster": [],
        "indices": [
            {
                "names": [*_aliases(settings), settings.alias(SEARCH_EVENTS)],
                "privileges": ["read", "view_index_metadata"],
            },
        ],
        "metadata": _metadata("Kibana analysts"),
    }


def kibana_role(settings: Settings, spaces: tuple[str, ...] = ("*",)) -> dict[str, Any]:
    """Body of Kibana's ``PUT /api/security/role/<analyst role>``: the same index privileges plus
    read-only Dashboard, Discover, Visualize Library and Maps."""
    descriptor = analyst_role(settings)
    return {
        "elasticsearch": {"cluster": descriptor["cluster"], "indices": descriptor["indices"]},
        "kibana": [{"base": [], "feature": KIBANA_ANALYST_FEATURES, "spaces": list(spaces)}],
        "metadata": descriptor["metadata"],
    }


def role_names(settings: Settings) -> dict[str, str]:
    return {
        "query-api": settings.alias("panier-query-api"),
        "indexer": settings.alias("panier-indexer"),
        "analyst": settings.alias("panier_analyst"),
    }


def api_key_requests(settings: Settings, expiration: str | None = None) -> dict[str, dict[str, Any]]:
    """What ``POST /_security/api_key`` receives for each key, by purpose."""
    names = role_names(settings)
    bodies = {}
    for purpose, descriptor in (("query-api", query_api_role(settings)), ("indexer", indexer_role(settings))):
        body: dict[str, Any] = {
            "name": names[purpose],
            "role_descriptors": {names[purpose]: descriptor},
            "metadata": _metadata(purpose),
        }
        if expiration:
            body["expiration"] = expiration
        bodies[purpose] = body
    return bodies


@dataclass(frozen=True)
class CreatedKey:
    purpose: str
    name: str
    id: str
    encoded: str = field(repr=False)


@dataclass
class SecurityReport:
    roles: list[str] = field(default_factory=list)
    keys: list[CreatedKey] = field(default_factory=list)
    invalidated: int = 0


def security_enabled(es: Elasticsearch) -> bool:
    """True when the cluster has security features and they are on (GET /_xpack)."""
    try:
        info = es.xpack.info(categories="features").body
    except elasticsearch.ApiError as e:
        # Without x-pack, /_xpack is no handler (400/404/405); 401/403 mean security is there.
        if e.meta.status in (400, 404, 405):
            return False
        raise
    security = (info.get("features") or {}).get("security") or {}
    return bool(security.get("available")) and bool(security.get("enabled"))


def setup(
    es: Elasticsearch, settings: Settings, *, expiration: str | None = None, invalidate_previous: bool = False
) -> SecurityReport:
    """Put the analyst role and create the two API keys; raises SecurityNotEnabled first if need be."""
    if not security_enabled(es):
        raise SecurityNotEnabled(
            f"security is not enabled on this cluster ({settings.es_url}), so there are no roles or API "
            "keys to set up (the local engine has no x-pack security; use a secured cluster such as the "
            "docker-compose stack, docs/docker.md)"
        )
    report = SecurityReport()
    names = role_names(settings)
    es.security.put_role(name=names["analyst"], **analyst_role(settings))
    report.roles.append(names["analyst"])
    requests = api_key_requests(settings, expiration)
    if invalidate_previous:
        for body in requests.values():
            answer = es.security.invalidate_api_key(name=body["name"]).body
            report.invalidated += len(answer.get("invalidated_api_keys") or [])
    for purpose, body in requests.items():
        created = es.security.create_api_key(**body).body
        report.keys.append(CreatedKey(purpose, created["name"], created["id"], created["encoded"]))
    return report


def write_keys(directory: Path, keys: list[CreatedKey]) -> list[Path]:
    """Each key's encoded form in ``directory/<purpose>.key``, readable by its owner only."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for key in keys:
        path = directory / KEY_FILES[key.purpose]
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key.encoded + "\n")
        path.chmod(0o600)
        written.append(path)
    return written


def describe_privileges(descriptor: dict[str, Any]) -> str:
    """One line per descriptor: `read, view_index_metadata on merchants, products; ...`."""
    parts = [f"{', '.join(i['privileges'])} on {', '.join(i['names'])}" for i in descriptor["indices"]]
    if descriptor["cluster"]:
        parts.append(f"cluster: {', '.join(descriptor['cluster'])}")
    return "; ".join(parts)
