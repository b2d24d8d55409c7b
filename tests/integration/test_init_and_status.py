"""`panier init` creates versioned indices behind aliases once; `panier status` reports them."""

from __future__ import annotations

import re

from click.testing import CliRunner

from cli import main
from indexer.engine import aliases


def run(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def test_init_twice_keeps_the_same_aliases_and_indices_and_says_nothing_to_do(es, env):
    first = run("init")
    assert first.exit_code == 0, first.output
    assert first.output.count("created") == 2
    after_first = {n: aliases.indices_of(es, env.alias(n)) for n in ("merchants", "products")}
    for name, indices in after_first.items():
        assert len(indices) == 1
        assert re.fullmatch(rf"{env.alias(name)}-\d{{8}}t\d{{9}}", indices[0])

    second = run("init")
    assert second.exit_code == 0, second.output
    assert "Nothing to do" in second.output
    assert "created" not in second.output
    assert {n: aliases.indices_of(es, env.alias(n)) for n in ("merchants", "products")} == after_first


def test_init_brings_an_older_index_and_alias_up_to_date_without_touching_the_data(es, env):
    """An index made before tombstones existed: no `deleted`/`versions` fields, an alias without filter."""
    import mappings

    for name in ("merchants", "products"):
        body = mappings.load(name)
        for field in ("deleted", "versions"):
            del body["mappings"]["properties"][field]
        if name == "products":
            del body["mappings"]["properties"]["merchant"]["properties"]["updated_at"]
        index = f"{env.alias(name)}-20250101t000000000"
        es.indices.create(index=index, settings=body["settings"], mappings=body["mappings"])
        es.indices.update_aliases(actions=[{"add": {"index": index, "alias": env.alias(name)}}])

    first = run("init")
    assert first.exit_code == 0, first.output
    assert first.output.count("upgraded") == 2 and "created" not in first.output
    assert "filter hiding deleted records" in first.output
    products = f"{env.alias('products')}-20250101t000000000"
    fields = es.indices.get_mapping(index=products)[products]["mappings"]["properties"]
    assert fields["deleted"] == {"type": "boolean"} and "updated_at" in fields["merchant"]["properties"]
    assert "Nothing to do" in run("init").output


def test_init_refuses_a_concrete_index_that_holds_an_alias_name(es, env):
    es.indices.create(index=env.alias("merchants"))
    result = run("init")
    assert result.exit_code == 1
    assert "is a concrete index, not an alias" in result.output
    assert "Traceback" not in result.output


def test_status_shows_engine_health_aliases_indices_and_counts(es, env):
    run("init")
    es.index(
        index=env.alias("merchants"), id="m-1", document={"id": "m-1", "name": "Fromagerie"}, refresh=True
    )
    result = run("status")
    assert result.exit_code == 0, result.output
    assert re.search(r"health=(green|yellow)", result.output)
    merchants_index = aliases.indices_of(es, env.alias("merchants"))[0]
    assert f"{env.alias('merchants')}" in result.output
    assert f"-> {merchants_index}  documents=1" in result.output
    assert "documents=0" in result.output  # products


def test_status_before_init_says_what_to_run(env):
    result = run("status")
    assert result.exit_code == 0
    assert result.output.count("missing: run `panier init`") == 2


def test_an_unreachable_engine_is_a_clear_error_not_a_traceback(monkeypatch):
    monkeypatch.setenv("PANIER_ES_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("PANIER_ES_MAX_RETRIES", "0")
    result = CliRunner().invoke(main, ["status"])
    assert result.exit_code == 1
    assert "cannot reach Elasticsearch at http://127.0.0.1:1" in result.output
    assert "panier es start" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_status_lists_half_built_indices_and_stale_locks_for_the_next_run_to_clean(es, env):
    from datetime import UTC, datetime, timedelta

    from indexer.engine import locks
    from indexer.engine.internal_indices import ensure_internal_index

    run("init")
    alias = env.alias("products")
    left = aliases.create_index(es, alias, "products", state="building", owner="far-away:77:0badc0de")
    now = datetime.now(UTC)
    es.index(
        index=ensure_internal_index(es, env.alias(locks.LOCK_INDEX)), id=alias, refresh=True,
        document={"alias": alias, "owner": "far-away:77:0badc0de", "host": "far-away", "pid": 77,
                  "started_at": (now - timedelta(hours=1)).isoformat(),
                  "heartbeat_at": (now - timedelta(minutes=10)).isoformat(),
                  "expires_at": (now - timedelta(minutes=8)).isoformat()},
    )  # fmt: skip
    result = run("status")
    assert result.exit_code == 0, result.output
    assert (
        f"debris   {left}  documents=0  (half-built by a failed reindex; the next reindex of {alias} deletes it)"
        in result.output
    )
    assert f"lock     {alias}  owner far-away:77:0badc0de" in result.output
    assert (
        "(stale: its heartbeat stopped at" in result.output and "the next run takes it over)" in result.output
    )
