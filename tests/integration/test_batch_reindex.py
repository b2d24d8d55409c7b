"""`panier reindex`: validated loading, counts that add up, and an alias that only moves when all is well."""

from __future__ import annotations

import json
import os
import threading

import pytest
from click.testing import CliRunner

from cli import main
from indexer.batch import reindexing
from indexer.batch.loader import BulkOptions
from indexer.engine import aliases, locks
from indexer.files.rejects import RejectsFile
from panier_core.engine import build_client
from panier_core.settings import Settings

from .faults import FaultProxy
from .records import NOW, merchant, product, read_rejects, write_jsonl


def load(es, settings, kind, path, rejects_path, *, merchants=None, on_progress=None, options=None, **kw):
    """One ``reindexing.reindex``; ``options`` are the bulk options, ``kw`` the other ReindexOptions."""
    with RejectsFile(rejects_path) as rejects:
        return reindexing.reindex(
            es, settings, kind, path, rejects=rejects, merchants=merchants, on_progress=on_progress,
            options=reindexing.ReindexOptions(bulk=options, **kw),
        )  # fmt: skip


def test_counts_reconcile_and_every_bad_line_reaches_the_rejects_file(es, settings, tmp_path):
    good_merchants = [merchant(i) for i in range(1, 9)]
    bad_merchants = [
        "{not json",  # broken JSON
        json.dumps({"id": "m-009001", "name": "Sans adresse", "updated_at": NOW}),  # missing fields
        json.dumps(merchant(9002, location={"lat": 48.85, "lon": 2.35})),  # outside Quebec
        json.dumps(merchant(9003, name="   ")),  # empty name
        json.dumps(merchant(9004, updated_at="hier")),  # bad date
        json.dumps(merchant(1, name="Doublon")),  # duplicate id
        json.dumps(merchant(9005, services=["téléportation"])),  # unknown service
    ]
    merchants_file = write_jsonl(
        tmp_path / "merchants.jsonl", good_merchants[:4] + bad_merchants + good_merchants[4:]
    )
    good_products = [product(i, f"m-{1 + i % 8:06d}") for i in range(1, 41)]
    bad_products = [
        json.dumps(product(900001, "m-999999")),  # unknown merchant
        json.dumps(product(900002, price=-3)),  # negative price
        json.dumps(product(900003, updated_at="2026-13-45")),  # bad date
        json.dumps(product(5, "m-000002")),  # duplicate id
        json.dumps(product(900004, name="")),  # empty name
        "[1, 2, 3]",  # JSON but not an object
    ]
    products_file = write_jsonl(tmp_path / "products.jsonl", good_products + bad_products)
    rejects_path = tmp_path / "rejects.jsonl"
    m = load(es, settings, "merchants", merchants_file, rejects_path, max_rejected=1)
    p = load(es, settings, "products", products_file, rejects_path, merchants=m.merchants, max_rejected=1)

    assert (m.read, m.indexed, m.rejected) == (15, 8, 7)
    assert (p.read, p.indexed, p.rejected) == (46, 40, 6)
    assert es.count(index=settings.alias("merchants"))["count"] == 8
    assert es.count(index=settings.alias("products"))["count"] == 40

    rejects = read_rejects(rejects_path)
    assert len(rejects) == 13
    by_line = {(r["type"], r["line"]): r for r in rejects}
    assert by_line[("merchant", 5)]["stage"] == "read" and by_line[("merchant", 5)]["raw"] == "{not json"
    assert "address: Missing data for required field." in by_line[("merchant", 6)]["reasons"]
    assert "outside Quebec" in by_line[("merchant", 7)]["reasons"][0]
    assert by_line[("merchant", 8)]["reasons"] == ["name: must not be empty"]
    assert by_line[("merchant", 9)]["reasons"] == ["updated_at: Not a valid datetime."]
    assert (
        by_line[("merchant", 10)]["stage"] == "engine"
        and "duplicate id 'm-000001'" in by_line[("merchant", 10)]["reasons"][0]
    )
    assert "unknown service" in by_line[("merchant", 11)]["reasons"][0]
    assert "merchant_id 'm-999999' is not among" in by_line[("product", 41)]["reasons"][0]
    assert by_line[("product", 42)]["reasons"][0].startswith("price: Must be greater than or equal to 0")
    assert by_line[("product", 43)]["reasons"] == ["updated_at: Not a valid datetime."]
    assert "duplicate id 'p-000005'" in by_line[("product", 44)]["reasons"][0]
    assert by_line[("product", 45)]["reasons"] == ["name: must not be empty"]
    assert "expected a JSON object" in by_line[("product", 46)]["reasons"][0]
    for r in rejects:
        assert r["source"].endswith(("merchants.jsonl", "products.jsonl")) and r["raw"]


def test_products_carry_their_merchant_fields_and_a_product_key(es, settings, tmp_path):
    load(es, settings, "merchants", write_jsonl(tmp_path / "m.jsonl", [merchant(1)]), tmp_path / "r.jsonl")
    products_file = write_jsonl(tmp_path / "p.jsonl", [product(1, gtin="0627843000012"), product(2)])
    report = load(
        es, settings, "products", products_file, tmp_path / "r.jsonl"
    )  # merchants read from the alias
    assert report.indexed == 2
    doc = es.get(index=settings.alias("products"), id="p-000001")["_source"]
    assert doc["merchant"] == {
        "id": "m-000001", "name": "Fromagerie 1", "categories": ["Alimentation", "Fromagerie"],
        "city": "Montréal", "region": "Montréal",
        "services": ["cueillette"], "location": {"lat": 45.5001, "lon": -73.6}, "active": True,
        "updated_at": "2026-11-20T14:03:00.000Z",  # the merchant's version, which listings compare
    }  # fmt: skip
    assert doc["product_key"] == "gtin:627843000012"
    assert doc["in_stock"] is True and doc["indexed_at"]
    other = es.get(index=settings.alias("products"), id="p-000002")["_source"]
    assert other["product_key"] == "name:sirop d erable 2 540 ml|erabliere du rang"


def test_a_reindex_swaps_the_alias_while_searches_keep_answering_from_the_old_index(es, settings, tmp_path):
    first = load(
        es,
        settings,
        "merchants",
        write_jsonl(tmp_path / "v1.jsonl", [merchant(i) for i in range(1, 4)]),
        tmp_path / "r",
    )
    alias = settings.alias("merchants")
    seen_during: list[int] = []

    def search_while_loading(_n: int) -> None:
        # Called by the loader between bulk requests: the live alias must still answer, from v1.
        seen_during.append(es.count(index=alias)["count"])
        assert aliases.indices_of(es, alias) == [first.index]

    second = load(
        es, settings, "merchants", write_jsonl(tmp_path / "v2.jsonl", [merchant(i) for i in range(1, 301)]),
        tmp_path / "r", options=BulkOptions(chunk_docs=25, concurrency=1), on_progress=search_while_loading,
    )  # fmt: skip
    assert len(seen_during) >= 10 and set(seen_during) == {3}
    assert second.alias_moved and second.previous == [first.index]
    assert aliases.indices_of(es, alias) == [second.index]
    assert es.count(index=alias)["count"] == 300
    settings_now = es.indices.get_settings(index=second.index)[second.index]["settings"]["index"]
    assert settings_now["refresh_interval"] == "1s" and settings_now["auto_expand_replicas"] == "0-1"
    assert es.indices.get_mapping(index=second.index)[second.index]["mappings"]["_meta"]["state"] == "ready"


def test_a_reindex_that_fails_midway_leaves_the_alias_and_removes_the_half_built_index(
    es, settings, tmp_path
):
    first = load(es, settings, "merchants", write_jsonl(tmp_path / "v1.jsonl", [merchant(1)]), tmp_path / "r")
    alias = settings.alias("merchants")

    def crash(_n: int) -> None:
        raise RuntimeError("the loader's machine lost power")

    with pytest.raises(reindexing.ReindexError, match="lost power") as caught:
        load(es, settings, "merchants", write_jsonl(tmp_path / "v2.jsonl", [merchant(i) for i in range(1, 100)]),
             tmp_path / "r", options=BulkOptions(chunk_docs=10, concurrency=1), on_progress=crash)  # fmt: skip
    assert aliases.indices_of(es, alias) == [first.index]
    assert not es.indices.exists(index=caught.value.report.index)
    assert "was deleted" in caught.value.report.error
    assert es.count(index=alias)["count"] == 1


def test_a_reindex_whose_documents_the_engine_refuses_does_not_move_the_alias(es, settings, tmp_path):
    first = load(es, settings, "merchants", write_jsonl(tmp_path / "v1.jsonl", [merchant(1)]), tmp_path / "r")
    alias = settings.alias("merchants")
    building: list[str] = []

    def block_writes(_n: int) -> None:
        if not building:
            building.append(next(i for i in aliases.versioned_indices(es, alias) if i != first.index))
            es.indices.add_block(index=building[0], block="write")

    with pytest.raises(reindexing.ReindexError, match="more than the 20% allowed"):
        load(es, settings, "merchants", write_jsonl(tmp_path / "v2.jsonl", [merchant(i) for i in range(1, 101)]),
             tmp_path / "r2.jsonl", options=BulkOptions(chunk_docs=10, concurrency=1), on_progress=block_writes)  # fmt: skip
    assert aliases.indices_of(es, alias) == [first.index]
    rejects = read_rejects(tmp_path / "r2.jsonl")
    assert len(rejects) == 90 and all(r["stage"] == "engine" for r in rejects)
    assert "cluster_block_exception" in rejects[0]["reasons"][0]
    assert not es.indices.exists(index=building[0])


def test_the_engine_going_away_mid_run_fails_cleanly_and_leaves_the_alias(es, engine, settings, tmp_path):
    first = load(es, settings, "merchants", write_jsonl(tmp_path / "v1.jsonl", [merchant(1)]), tmp_path / "r")
    alias = settings.alias("merchants")
    with FaultProxy(engine.url) as proxy:
        via_proxy = build_client(
            Settings(es_url=proxy.url, index_prefix=settings.index_prefix, max_retries=0)
        )

        def go_away(n: int) -> None:
            if n == 3:  # the third bulk request still reaches the engine; none after it
                proxy.plan.down = True

        proxy.plan.on_bulk = go_away
        with pytest.raises(reindexing.ReindexError, match="failed the same bulk request") as caught:
            load(via_proxy, settings, "merchants",
                 write_jsonl(tmp_path / "v2.jsonl", [merchant(i) for i in range(1, 200)]), tmp_path / "r",
                 options=BulkOptions(chunk_docs=10, concurrency=1, max_retries=2, backoff_seconds=0.01))  # fmt: skip
        via_proxy.close()
    report = caught.value.report
    assert report.indexed == 30 and report.read > report.indexed
    # The counts add up, the missing part named: read = indexed + rejected + not confirmed.
    assert report.read == report.indexed + report.rejected + report.unaccounted and report.unaccounted > 0
    assert report.stopped_by == "engine lost"
    assert f"not confirmed {report.unaccounted:,} (engine lost)" in str(caught.value)
    assert aliases.indices_of(es, alias) == [first.index]
    # The engine itself is fine; only the loader lost it, so the half-built index stays, marked.
    meta = es.indices.get_mapping(index=report.index)[report.index]["mappings"]["_meta"]
    assert meta["state"] == "building" and meta["owner"].split(":")[1] == str(os.getpid())
    assert "marked building" in report.error and "the next reindex deletes it" in report.error
    # The lock it could not release is known to be over: the next run takes it over (no
    # --break-lock) and deletes the half-built index.
    rerun = load(es, settings, "merchants", tmp_path / "v1.jsonl", tmp_path / "r")
    assert rerun.alias_moved and rerun.debris == [report.index]
    assert not es.indices.exists(index=report.index)
    assert any("took over the stale lock" in note for note in rerun.notes)
    assert locks.read_locks(es, settings) == []  # released


def test_429s_are_retried_with_backoff_and_nothing_is_lost_or_counted_twice(es, engine, settings, tmp_path):
    with FaultProxy(engine.url) as proxy:
        proxy.plan.reject_bulk_requests = 2
        proxy.plan.reject_items = 4
        via_proxy = build_client(Settings(es_url=proxy.url, index_prefix=settings.index_prefix))
        report = load(via_proxy, settings, "merchants",
                      write_jsonl(tmp_path / "m.jsonl", [merchant(i) for i in range(1, 251)]), tmp_path / "r.jsonl",
                      options=BulkOptions(chunk_docs=30, concurrency=2, backoff_seconds=0.01))  # fmt: skip
        via_proxy.close()
    assert proxy.plan.rejected_items > 0 and proxy.plan.reject_bulk_requests == 0
    assert (report.read, report.indexed, report.rejected) == (250, 250, 0)
    assert not (tmp_path / "r.jsonl").exists()
    assert es.count(index=settings.alias("merchants"))["count"] == 250


def test_rollback_points_the_alias_back_at_the_previous_index(es, env, tmp_path):
    v1 = load(es, env, "merchants", write_jsonl(tmp_path / "v1.jsonl", [merchant(1)]), tmp_path / "r")
    v2 = load(
        es, env, "merchants", write_jsonl(tmp_path / "v2.jsonl", [merchant(1), merchant(2)]), tmp_path / "r"
    )
    result = CliRunner().invoke(main, ["rollback", "merchants"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"{v2.index} -> {v1.index}" in result.output
    assert aliases.indices_of(es, env.alias("merchants")) == [v1.index]
    again = CliRunner().invoke(main, ["rollback", "merchants"])
    assert again.exit_code == 1 and "nothing to roll back to" in again.output


def test_only_the_configured_number_of_previous_indices_is_kept(es, settings, tmp_path):
    source = write_jsonl(tmp_path / "m.jsonl", [merchant(1)])
    reports = [load(es, settings, "merchants", source, tmp_path / "r", keep=1) for _ in range(4)]
    assert aliases.versioned_indices(es, settings.alias("merchants")) == [reports[2].index, reports[3].index]
    assert reports[3].pruned == [reports[1].index]


def test_a_second_reindex_of_the_same_alias_waits_for_the_lock(es, settings, tmp_path):
    source = write_jsonl(tmp_path / "m.jsonl", [merchant(1)])
    alias = settings.alias("merchants")
    with locks.reindex_lock(es, settings, alias), pytest.raises(locks.LockHeld, match="another reindex"):
        load(es, settings, "merchants", source, tmp_path / "r")
    assert load(es, settings, "merchants", source, tmp_path / "r").alias_moved  # released afterwards

    results: list = []

    def other() -> None:
        try:
            load(es, settings, "products", write_jsonl(tmp_path / "p.jsonl", [product(1)]), tmp_path / "r")
            results.append("ok")
        except Exception as e:
            results.append(e)

    with locks.reindex_lock(es, settings, alias):  # another alias is not blocked
        t = threading.Thread(target=other)
        t.start()
        t.join(60)
    assert results == ["ok"]


def test_cli_reindex_all_prints_a_summary_and_exits_3_when_records_were_rejected(
    es, env, tmp_path, monkeypatch
):
    data = tmp_path / "data"
    data.mkdir()
    write_jsonl(data / "merchants.jsonl", [merchant(i) for i in range(1, 6)])
    write_jsonl(data / "products.jsonl", [product(i, f"m-{1 + i % 5:06d}") for i in range(1, 21)] + ["oops"])
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["reindex", "all", "--from", str(data)], catch_exceptions=False)
    assert result.exit_code == 3, result.output
    assert "alias" in result.output and "docs/s" in result.output
    lines = {
        line.split()[0]: line.split()
        for line in result.output.splitlines()
        if line.startswith(env.index_prefix)
    }
    assert lines[env.alias("merchants")][1:4] == ["5", "5", "0"]
    assert lines[env.alias("products")][1:4] == ["21", "20", "1"]
    assert "Rejects: 1 in rejects/all-" in result.output
    assert len(list((tmp_path / "rejects").glob("all-*.jsonl"))) == 1

    clean = CliRunner().invoke(main, ["reindex", "merchants", "--from", str(data / "merchants.jsonl")])
    assert clean.exit_code == 0, clean.output


def test_cli_reindex_failure_is_one_sentence_and_exit_1(env, tmp_path):
    bad = write_jsonl(tmp_path / "merchants.jsonl", ["nope"] * 3)
    result = CliRunner().invoke(
        main, ["reindex", "merchants", "--from", str(bad), "--rejects", str(tmp_path / "r.jsonl")]
    )
    assert result.exit_code == 1
    assert "failed, alias left where it was: no valid merchants" in result.output
    assert "Traceback" not in result.output


def test_generated_sample_data_loads_with_no_rejects_through_the_cli(es, env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    made = CliRunner().invoke(
        main, ["sample", "--merchants", "40", "--listings", "1500", "--seed", "7", "--out", "data"]
    )
    assert made.exit_code == 0, made.output
    assert "40 merchants" in made.output and "1,500 listings" in made.output
    result = CliRunner().invoke(main, ["reindex", "all", "--from", "data"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert es.count(index=env.alias("merchants"))["count"] == 40
    assert es.count(index=env.alias("products"))["count"] == 1500
    in_stock = es.count(index=env.alias("products"), query={"term": {"in_stock": True}})["count"]
    assert 0.7 * 1500 < in_stock < 0.95 * 1500
    grouped = es.search(
        index=env.alias("products"), size=0, aggs={"keys": {"cardinality": {"field": "product_key"}}}
    )["aggregations"]["keys"]["value"]
    assert grouped < 1500  # the same product is listed by several merchants
