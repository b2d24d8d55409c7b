"""Incremental changes against a real engine: ordering, idempotence, merchants, the follower, reindex."""

from __future__ import annotations

import random
import threading
import time

import elasticsearch
import pytest
from click.testing import CliRunner

from cli import main
from indexer.batch import reindexing
from indexer.changes import checkpoints
from indexer.changes.applier import Applier
from indexer.changes.follower import FollowOptions, apply_file, follow
from indexer.changes.outcomes import APPLIED, STALE
from indexer.engine.bulk_items import EngineUnavailable
from indexer.engine.locks import LockHeld
from indexer.files.rejects import RejectsFile
from indexer.records.change_lines import parse
from panier_core.engine import build_client
from panier_core.settings import Settings
from query_api import create_app

from .changes_helpers import (
    at,
    delete_product,
    load_catalogue,
    state,
    stock,
    upsert_merchant,
    upsert_product,
    write_lines,
)
from .faults import FaultProxy
from .records import read_rejects

LISTINGS = [f"p-{i:06d}" for i in range(1, 7)]


@pytest.fixture(autouse=True)
def no_late_change_bound(monkeypatch):
    """The histories here are dated 2026-11-21 for good; commands driven through the environment
    would refuse them once older than PANIER_LATE_CHANGE_DAYS (tested in test_changes_retention.py)."""
    monkeypatch.setenv("PANIER_LATE_CHANGE_DAYS", "0")


def random_stream(seed: int, n: int = 120) -> list[dict]:
    """Stock changes, upserts (new names, prices) and deletes of six listings, in time order."""
    rng = random.Random(seed)
    lines = []
    for step in range(n):
        i = rng.randint(1, 6)
        seconds = step + 1
        roll = rng.random()
        if roll < 0.6:
            lines.append(stock(f"p-{i:06d}", rng.randint(0, 9), seconds, rng.choice([None, 9.99, 11.5])))
        elif roll < 0.9:
            lines.append(upsert_product(i, seconds, name=f"Sirop d'érable {i} v{step}", price=10 + step / 100,
                                        stock={"quantity": rng.randint(0, 9)}))  # fmt: skip
        else:
            lines.append(delete_product(f"p-{i:06d}", seconds))
    lines.append(delete_product("p-000006", n + 1))  # and one listing ends deleted
    return lines


def apply_lines(es, settings, lines: list[dict], chunk: int) -> None:
    applier = Applier(es, settings)
    for start in range(0, len(lines), chunk):
        applier.apply([parse(line) for line in lines[start : start + chunk]])


def test_out_of_order_duplicated_and_replayed_changes_end_in_the_in_order_state(es, settings, tmp_path):
    in_order = settings.with_prefix(settings.index_prefix + "a-")
    shuffled = settings.with_prefix(settings.index_prefix + "b-")
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    load_catalogue(es, in_order, tmp_path / "a")
    load_catalogue(es, shuffled, tmp_path / "b")
    lines = random_stream(seed=3)

    apply_lines(es, in_order, lines, chunk=1)
    scrambled = lines + random.Random(5).sample(lines, 40)  # every change, plus 40 duplicates
    random.Random(7).shuffle(scrambled)
    apply_lines(es, shuffled, scrambled, chunk=17)  # chunks coalesce bursts for one listing
    apply_lines(es, shuffled, lines[:50], chunk=50)  # and a replay of the beginning

    expected = state(es, in_order, LISTINGS)
    assert state(es, shuffled, LISTINGS) == expected
    assert any(doc and doc.get("deleted") for doc in expected.values())  # the stream did delete some


def test_a_delete_wins_over_a_late_upsert_that_is_older_and_hides_the_listing(es, settings, tmp_path):
    load_catalogue(es, settings, tmp_path)
    applier = Applier(es, settings)
    outcomes = applier.apply([parse(delete_product("p-000001", 100))])
    assert outcomes[0].status == APPLIED
    # Older than the delete: it may update the tombstone's content (as in-order delivery would have),
    # but it does not bring the listing back.
    applier.apply([parse(upsert_product(1, 50, name="Sirop ressuscité"))])
    assert state(es, settings, ["p-000001"])["p-000001"]["deleted"] is True

    es.indices.refresh(index=settings.alias("products"))
    client = create_app(settings).test_client()
    assert client.get("/v1/products/p-000001").status_code == 404
    found = client.get("/v1/products?q=sirop ressuscité").get_json()
    assert all(item["name"] != "Sirop ressuscité" for item in found["items"])
    assert es.count(index=settings.alias("products"))["count"] == 11  # the tombstone is filtered out

    newer = applier.apply([parse(upsert_product(1, 200, name="Sirop de retour"))])  # newer: it comes back
    assert newer[0].status == APPLIED
    es.indices.refresh(index=settings.alias("products"))
    assert client.get("/v1/products/p-000001").get_json()["name"] == "Sirop de retour"


def test_a_stock_change_older_than_the_upsert_it_races_does_not_undo_it(es, settings, tmp_path):
    load_catalogue(es, settings, tmp_path)
    applier = Applier(es, settings)
    applier.apply([parse(upsert_product(2, 20, price=15.0, stock={"quantity": 8}))])
    assert applier.apply([parse(stock("p-000002", 0, 10, price=9.0))])[0].status == STALE
    doc = state(es, settings, ["p-000002"])["p-000002"]
    assert (doc["stock"]["quantity"], doc["price"], doc["in_stock"]) == (8, 15.0, True)


def test_a_merchant_move_updates_its_listings_distances_in_search(es, settings, tmp_path):
    load_catalogue(es, settings, tmp_path)
    quebec_city = {"lat": 46.8139, "lon": -71.2080}
    outcome = Applier(es, settings).apply(
        [parse(upsert_merchant(1, 10, location=quebec_city, name="Fromagerie 1 (Québec)"))]
    )
    assert outcome[0].status == APPLIED
    es.indices.refresh(index=settings.alias("products"))
    client = create_app(settings).test_client()
    body = client.get("/v1/products?q=sirop&lat=46.8139&lon=-71.2080&radius_km=5&per_page=50").get_json()
    stores = [store for item in body["items"] for store in item["stores"]]
    assert stores and {store["merchant_id"] for store in stores} == {"m-000001"}
    assert all(store["distance_km"] < 0.1 for store in stores)  # they moved with their merchant
    listings = state(es, settings, LISTINGS)
    moved = [d for d in listings.values() if d["merchant"]["id"] == "m-000001"]
    assert moved and all(d["merchant"]["location"] == quebec_city for d in moved)
    assert all(d["merchant"]["name"] == "Fromagerie 1 (Québec)" for d in moved)


def test_deactivating_a_merchant_hides_its_listings_and_reactivating_shows_them(es, settings, tmp_path):
    load_catalogue(es, settings, tmp_path)
    applier = Applier(es, settings)
    client = create_app(settings).test_client()
    applier.apply([parse(upsert_merchant(2, 10, active=False))])
    es.indices.refresh(index=f"{settings.alias('products')},{settings.alias('merchants')}")
    listed = {s["merchant_id"] for item in client.get("/v1/products?per_page=50").get_json()["items"]
              for s in item["stores"]}  # fmt: skip
    assert listed == {"m-000001", "m-000003"}
    suggestions = client.get("/v1/suggest?q=fromagerie").get_json()["items"]
    assert all(s.get("id") != "m-000002" for s in suggestions)

    applier.apply([parse(upsert_merchant(2, 20, active=True))])
    es.indices.refresh(index=settings.alias("products"))
    listed = {s["merchant_id"] for item in client.get("/v1/products?per_page=50").get_json()["items"]
              for s in item["stores"]}  # fmt: skip
    assert "m-000002" in listed


def test_bad_change_lines_are_rejected_with_reasons_and_the_counts_add_up(es, settings, tmp_path):
    load_catalogue(es, settings, tmp_path)
    path = write_lines(
        tmp_path / "changes.jsonl",
        [
            stock("p-000001", 3, 10),
            "{not json",
            {"op": "stock", "id": "p-000002", "quantity": -1, "updated_at": at(10)},
            {"op": "teleport", "id": "p-000003"},
            {"op": "delete", "type": "product", "id": "p-000004"},
            upsert_product(5, 10, merchant_id="m-999999"),
            upsert_product(6, 10, price="cher"),
            stock("p-000001", 3, 10),  # a duplicate: already applied
        ],
    )
    with RejectsFile(tmp_path / "rejects.jsonl") as rejects:
        report = apply_file(Applier(es, settings), path, rejects)
    assert (report.read, report.applied, report.stale, report.rejected) == (8, 1, 1, 6)
    rejected = read_rejects(tmp_path / "rejects.jsonl")
    assert sorted(r["line"] for r in rejected) == [2, 3, 4, 5, 6, 7]
    reasons = {r["line"]: " ".join(r["reasons"]) for r in rejected}
    assert "quantity" in reasons[3] and "op" in reasons[4] and "updated_at" in reasons[5]
    assert "m-999999" in reasons[6] and "price" in reasons[7]


class Crash(RuntimeError):
    pass


def test_a_follower_that_crashes_mid_file_resumes_without_losing_or_doubling_a_change(es, settings, tmp_path):
    load_catalogue(es, settings, tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    lines = random_stream(seed=11, n=90)
    write_lines(inbox / "0001.jsonl", lines[:60])
    write_lines(inbox / "0002.jsonl", lines[60:])

    class CrashingApplier(Applier):
        calls = 0

        def apply(self, changes, owner=None):
            CrashingApplier.calls += 1
            if CrashingApplier.calls == 4:
                raise Crash("the process died")
            return super().apply(changes, owner)

    options = FollowOptions(chunk=10, once=True)
    with pytest.raises(Crash):
        follow(es, settings, inbox, options, applier=CrashingApplier(es, settings), echo=lambda _: None)
    checkpoint = checkpoints.load_checkpoint(es, settings, inbox)
    assert (checkpoint.file, checkpoint.line) == ("0001.jsonl", 30)

    follow(es, settings, inbox, options, echo=lambda _: None)
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["0001.jsonl", "0002.jsonl"]
    assert not list(inbox.glob("*.jsonl"))

    reference = settings.with_prefix(settings.index_prefix + "ref-")
    (tmp_path / "ref").mkdir()
    load_catalogue(es, reference, tmp_path / "ref")
    apply_lines(es, reference, lines, chunk=1)
    assert state(es, settings, LISTINGS) == state(es, reference, LISTINGS)
    final = checkpoints.load_checkpoint(es, settings, inbox)
    assert final.file is None and final.pending_since is None


def test_status_shows_the_followers_lag(es, env, tmp_path):
    load_catalogue(es, env, tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_lines(inbox / "0001.jsonl", [stock("p-000001", 1, 5)])
    result = CliRunner().invoke(main, ["follow", str(inbox), "--once"])
    assert result.exit_code == 0, result.output
    assert "1 applied" in result.output
    status = CliRunner().invoke(main, ["status"])
    assert status.exit_code == 0, status.output
    assert f"follower {inbox.resolve()}: idle, lag 0.0s" in status.output


def test_cli_apply_reports_counts_and_exits_3_on_rejects(es, env, tmp_path):
    load_catalogue(es, env, tmp_path)
    path = write_lines(tmp_path / "c.jsonl", [stock("p-000001", 4, 5), "{oops"])
    result = CliRunner().invoke(main, ["apply", str(path), "--rejects", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 3, result.output
    assert "2 read = 1 applied + 0 already newer + 1 rejected" in result.output


def test_no_stock_change_is_lost_while_a_full_reindex_builds_and_swaps(es, settings, tmp_path):
    """Stock changes stream during the whole reindex; the index that goes live has every one of them."""
    load_catalogue(es, settings, tmp_path, merchants=3, listings=3000)
    ids = [f"p-{i:06d}" for i in range(1, 3001)]
    expected: dict[str, int] = {}
    stop = threading.Event()
    errors: list[BaseException] = []

    def stream() -> None:
        rng = random.Random(1)
        applier = Applier(es, settings)
        step = 0
        try:
            while not stop.is_set():
                step += 1
                burst = [stock(rng.choice(ids), rng.randint(0, 50), 100 + step + n / 100) for n in range(20)]
                applier.apply([parse(line) for line in burst])
                for line in burst:
                    expected[line["id"]] = line["quantity"]  # later lines in time order win
                time.sleep(0.005)
        except BaseException as e:  # surfaced below
            errors.append(e)

    before = es.indices.get_alias(name=settings.alias("products")).body
    writer = threading.Thread(target=stream)
    writer.start()
    try:
        time.sleep(0.3)

        def slow(_n: int) -> None:
            time.sleep(0.0005)

        with RejectsFile(tmp_path / "re.jsonl") as rejects:
            report = reindexing.reindex(es, settings, "products", tmp_path / "products.jsonl", rejects=rejects,
                                   on_progress=slow, options=None)  # fmt: skip
        time.sleep(0.3)
    finally:
        stop.set()
        writer.join()
    assert not errors, errors
    assert report.alias_moved and report.index not in before
    assert report.replayed > 0  # changes that reached only the old index were carried over
    assert len(expected) > 200
    live = state(es, settings, sorted(expected))
    wrong = {
        i: (live[i]["stock"]["quantity"], q) for i, q in expected.items() if live[i]["stock"]["quantity"] != q
    }
    assert not wrong, f"{len(wrong)} listings lost a stock change, e.g. {list(wrong.items())[:5]}"


def test_rollback_replays_the_changes_made_since_into_the_previous_index(es, env, tmp_path):
    load_catalogue(es, env, tmp_path)
    with RejectsFile(tmp_path / "r2.jsonl") as rejects:
        reindexing.reindex(es, env, "products", tmp_path / "products.jsonl", rejects=rejects)
    Applier(es, env).apply([parse(stock("p-000003", 42, 30))])
    result = CliRunner().invoke(main, ["rollback", "products"])
    assert result.exit_code == 0, result.output
    assert state(es, env, ["p-000003"])["p-000003"]["stock"]["quantity"] == 42


def test_a_follower_that_loses_the_engine_stops_with_a_clear_error_and_a_new_one_finishes_the_work(
    es, engine, settings, tmp_path
):
    load_catalogue(es, settings, tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    lines = random_stream(seed=21, n=60)
    write_lines(inbox / "0001.jsonl", lines)
    with FaultProxy(engine.url) as proxy:
        via_proxy = build_client(
            Settings(es_url=proxy.url, index_prefix=settings.index_prefix, max_retries=0)
        )

        def go_away(n: int) -> None:
            if n == 4:
                proxy.plan.down = True

        proxy.plan.on_bulk = go_away
        with pytest.raises((EngineUnavailable, elasticsearch.ConnectionError)):
            follow(via_proxy, settings, inbox, FollowOptions(chunk=10, once=True), echo=lambda _: None)
        via_proxy.close()
    stopped_at = checkpoints.load_checkpoint(es, settings, inbox)
    assert stopped_at.file == "0001.jsonl" and 0 < stopped_at.line < 60

    # The dead follower still holds the inbox's lock; a new one is told to take over.
    with pytest.raises(LockHeld):
        follow(es, settings, inbox, FollowOptions(chunk=10, once=True), echo=lambda _: None)
    follow(es, settings, inbox, FollowOptions(chunk=10, once=True, break_lock=True), echo=lambda _: None)

    reference = settings.with_prefix(settings.index_prefix + "ref-")
    (tmp_path / "ref").mkdir()
    load_catalogue(es, reference, tmp_path / "ref")
    apply_lines(es, reference, lines, chunk=1)
    assert state(es, settings, LISTINGS) == state(es, reference, LISTINGS)


def test_a_listing_written_a_moment_before_its_merchant_is_deactivated_is_hidden_too(es, settings, tmp_path):
    load_catalogue(es, settings, tmp_path)
    applier = Applier(es, settings)
    applier.apply([parse(upsert_product(50, 10, merchant_id="m-000001"))])  # not refreshed yet
    applier.apply([parse(upsert_merchant(1, 20, active=False))])
    assert state(es, settings, ["p-000050"])["p-000050"]["merchant"]["active"] is False


def test_a_merchant_change_whose_propagation_was_cut_short_finishes_when_sent_again(es, settings, tmp_path):
    load_catalogue(es, settings, tmp_path)

    class DiesWhilePropagating(Applier):
        def propagate(self, merchant, index, stats=None):
            raise EngineUnavailable("the engine went away")

    change = upsert_merchant(1, 10, name="Fromagerie Nouveau Nom")
    with pytest.raises(EngineUnavailable):
        DiesWhilePropagating(es, settings).apply([parse(change)])
    assert Applier(es, settings).apply([parse(change)])[0].status == STALE  # the merchant has it already
    listings = state(es, settings, LISTINGS)
    assert {d["merchant"]["name"] for d in listings.values() if d["merchant"]["id"] == "m-000001"} == {
        "Fromagerie Nouveau Nom"
    }


def test_a_change_dated_in_the_future_is_refused_rather_than_winning_forever(es, settings, tmp_path):
    load_catalogue(es, settings, tmp_path)
    path = write_lines(
        tmp_path / "c.jsonl",
        [{"op": "stock", "id": "p-000001", "quantity": 1, "updated_at": "9999-12-31T23:00:00-10:00"}],
    )
    with RejectsFile(tmp_path / "r.jsonl") as rejects:
        report = apply_file(Applier(es, settings), path, rejects)
    assert report.rejected == 1
    assert "updated_at" in read_rejects(tmp_path / "r.jsonl")[0]["reasons"][0]
