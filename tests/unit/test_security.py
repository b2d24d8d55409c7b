"""Least privilege, read from the role descriptors `panier es setup-security` sends.

Each identity gets what its job needs and nothing else: the query API reads through the two
aliases and appends search events; the indexer owns its indices and aliases; analysts read.
"""

from __future__ import annotations

import stat
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from indexer.changes import changelog, checkpoints, merchant_keys
from indexer.engine import locks, search_events
from panier_core import security
from panier_core.settings import Settings

PLAIN = Settings()
STAGING = Settings(index_prefix="staging-")
# Elasticsearch 8 privilege names (a typo would be refused by the engine, at setup time only).
INDEX_PRIVILEGES = {
    "all", "auto_configure", "create", "create_doc", "create_index", "delete", "delete_index", "index",
    "maintenance", "manage", "manage_data_stream_lifecycle", "manage_follow_index", "manage_ilm",
    "manage_leader_index", "monitor", "read", "read_cross_cluster", "view_index_metadata", "write",
}  # fmt: skip
WRITING = {
    "all",
    "create",
    "create_doc",
    "create_index",
    "delete",
    "delete_index",
    "index",
    "manage",
    "write",
}


def privileges_on(descriptor: dict, name: str) -> set[str]:
    """What the descriptor allows on the index, alias or data stream ``name``."""
    return {
        privilege
        for entry in descriptor["indices"]
        if any(fnmatchcase(name, pattern) for pattern in entry["names"])
        for privilege in entry["privileges"]
    }


ALL_ROLES = {
    "query API": security.query_api_role,
    "indexer": security.indexer_role,
    "analyst": security.analyst_role,
}


@pytest.mark.parametrize("make", ALL_ROLES.values(), ids=ALL_ROLES.keys())
@pytest.mark.parametrize("settings", [PLAIN, STAGING], ids=["no prefix", "prefix"])
def test_no_role_reaches_system_indices_or_uses_all(make, settings):
    descriptor = make(settings)
    for entry in descriptor["indices"]:
        assert set(entry["privileges"]) <= INDEX_PRIVILEGES - {"all"}
        for pattern in entry["names"]:
            assert not pattern.startswith(("*", ".")), pattern
            assert pattern.startswith(settings.index_prefix)
    assert set(descriptor["cluster"]) <= {"monitor"}
    assert descriptor["metadata"]["application"] == "panier"


@pytest.mark.parametrize("settings", [PLAIN, STAGING], ids=["no prefix", "prefix"])
def test_query_api_reads_the_aliases_and_only_appends_search_events(settings):
    role = security.query_api_role(settings)
    for alias in (settings.alias("merchants"), settings.alias("products")):
        assert privileges_on(role, alias) == {"read", "view_index_metadata"}
    assert privileges_on(role, search_events.data_stream(settings)) == {"create_doc", "auto_configure"}
    # Nothing behind the aliases directly, nor the indexer's own indices.
    for name in (
        "merchants-20261124t120000",
        locks.LOCK_INDEX,
        merchant_keys.KEYS_INDEX,
        checkpoints.STATE_INDEX,
    ):
        assert privileges_on(role, settings.alias(name)) == set(), name
    assert role["cluster"] == ["monitor"]


@pytest.mark.parametrize("settings", [PLAIN, STAGING], ids=["no prefix", "prefix"])
def test_indexer_manages_its_versioned_indices_aliases_and_internal_indices(settings):
    role = security.indexer_role(settings)
    owned = [
        settings.alias("merchants"),
        settings.alias("products-20261124t120000"),
        settings.alias(locks.LOCK_INDEX),
        settings.alias(merchant_keys.KEYS_INDEX),
        settings.alias(checkpoints.STATE_INDEX),
        settings.alias(f"{changelog.LOG_PREFIX}20261125"),
    ]
    for name in owned:
        assert privileges_on(role, name) == {"manage", "read", "write"}, name
    assert privileges_on(role, search_events.data_stream(settings)) == set()
    assert privileges_on(role, "other-app-index") == set()


def test_indexer_of_one_prefix_cannot_touch_another_prefixes_indices():
    role = security.indexer_role(STAGING)
    assert privileges_on(role, "merchants-20261124t120000") == set()
    assert privileges_on(role, "prod-merchants") == set()


@pytest.mark.parametrize("settings", [PLAIN, STAGING], ids=["no prefix", "prefix"])
def test_analysts_read_the_aliases_and_search_events_and_write_nothing(settings):
    role = security.analyst_role(settings)
    for name in (
        settings.alias("merchants"),
        settings.alias("products"),
        search_events.data_stream(settings),
    ):
        assert privileges_on(role, name) == {"read", "view_index_metadata"}
    assert not {p for entry in role["indices"] for p in entry["privileges"]} & WRITING
    assert role["cluster"] == []


def test_kibana_role_body_adds_read_only_features_to_the_same_index_privileges():
    body = security.kibana_role(PLAIN)
    assert body["elasticsearch"]["indices"] == security.analyst_role(PLAIN)["indices"]
    [grant] = body["kibana"]
    assert grant["base"] == [] and grant["spaces"] == ["*"]
    assert set(grant["feature"]) == {"dashboard", "discover", "visualize", "maps"}
    assert all(privileges == ["read"] for privileges in grant["feature"].values())


def test_api_key_requests_carry_each_role_inline_under_the_prefixed_names():
    requests = security.api_key_requests(STAGING, expiration="90d")
    assert set(requests) == {"query-api", "indexer"}
    query = requests["query-api"]
    assert query["name"] == "staging-panier-query-api"
    assert query["role_descriptors"] == {"staging-panier-query-api": security.query_api_role(STAGING)}
    assert query["expiration"] == "90d"
    assert requests["indexer"]["role_descriptors"] == {
        "staging-panier-indexer": security.indexer_role(STAGING)
    }
    assert "expiration" not in security.api_key_requests(PLAIN)["indexer"]


def test_keys_are_written_one_per_file_readable_by_their_owner_only(tmp_path: Path):
    created = [
        security.CreatedKey("query-api", "panier-query-api", "id1", "aWQxOnNlY3JldDE="),
        security.CreatedKey("indexer", "panier-indexer", "id2", "aWQyOnNlY3JldDI="),
    ]
    written = security.write_keys(tmp_path / "keys", created)
    assert [p.name for p in written] == ["query-api.key", "indexer.key"]
    assert written[0].read_text() == "aWQxOnNlY3JldDE=\n"
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_privileges_are_described_in_one_readable_line():
    line = security.describe_privileges(security.query_api_role(PLAIN))
    assert line == (
        "read, view_index_metadata on merchants, products; "
        "create_doc, auto_configure on logs-panier.search-*; cluster: monitor"
    )
