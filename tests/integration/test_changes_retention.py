"""Housekeeping of the changes path against a real engine: the engine's clock in the changes log,
pruning that runs itself and keeps what replays need, tombstones purged after the late-change window."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

import mappings
from indexer.changes import changelog, maintenance
from indexer.changes.applier import Applier, Targets
from indexer.changes.clock import engine_now
from indexer.changes.follower import FollowOptions, follow
from indexer.changes.outcomes import APPLIED, REJECTED, STALE
from indexer.changes.replay import replay
from indexer.engine import aliases, locks
from indexer.engine.internal_indices import ensure_internal_index
from indexer.records.change_lines import parse
from indexer.records.visibility import ALIAS_FILTER

from .changes_helpers import load_catalogue, write_lines
from .records import product

DAY = timedelta(days=1)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def engine_millis(es) -> int:
    """The engine's time, read independently of the code under test."""
    answer = es.nodes.stats(node_id="_local", metric="os", filter_path="nodes.*.timestamp")
    return next(iter(answer["nodes"].values()))["timestamp"]


def log_entries(es, settings) -> list[dict]:
    pattern = changelog.log_pattern(settings)
    es.indices.refresh(index=pattern)
    hits = es.search(index=pattern, size=100, query={"match_all": {}})["hits"]["hits"]
    return [{"index": h["_index"], **h["_source"]} for h in hits]


def old_log_day(es, settings, day: datetime) -> str:
    """A day of the log as an earlier run left it: one entry received on ``day``."""
    index = ensure_internal_index(es, changelog.log_index(settings, day), changelog.LOG_MAPPINGS)
    entry = {"received_at": iso(day), "source": "test", "op": "stock", "type": "product", "id": "p-000001",
             "version": 0, "change": {"op": "stock", "id": "p-000001", "quantity": 1, "updated_at": iso(day)}}  # fmt: skip
    es.index(index=index, document=entry, refresh=True)
    return index


def stock_line(listing: str, quantity: int, updated_at: datetime) -> dict:
    return {"op": "stock", "id": listing, "quantity": quantity, "updated_at": iso(updated_at)}


def upsert_line(i: int, updated_at: datetime) -> dict:
    doc = product(i, merchant_id=f"m-{(i - 1) % 3 + 1:06d}", updated_at=iso(updated_at))
    return {"op": "upsert", "type": "product", "doc": doc}


def delete_line(listing: str, updated_at: datetime) -> dict:
    return {"op": "delete", "type": "product", "id": listing, "updated_at": iso(updated_at)}


def raw(es, settings, listing: str) -> dict | None:
    """A listing as the engine holds it, tombstone or not (a get by id ignores the alias filter)."""
    doc = es.mget(index=settings.alias("products"), ids=[listing])["docs"][0]
    return doc["_source"] if doc["found"] else None


# -- received_at ------------------------------------------------------------------------------------


class WrongWallClock(datetime):
    """What the writer's machine believes: 2001."""

    @classmethod
    def now(cls, tz=None):
        return datetime(2001, 1, 1, 12, 0, tzinfo=tz or UTC)


def test_received_at_and_the_log_s_day_come_from_the_engine_even_when_the_writer_clock_is_wrong(
    es, settings, tmp_path, monkeypatch
):
    load_catalogue(es, settings, tmp_path)
    # The changes log used to stamp entries with datetime.now(): make that clock wrong.
    monkeypatch.setattr(changelog, "datetime", WrongWallClock)
    before = engine_millis(es)
    line = stock_line("p-000001", 5, engine_now(es)) | {"received_at": "2001-01-01T00:00:00Z"}  # a bogus one
    [outcome] = Applier(es, settings, source="test").apply([parse(line)])
    after = engine_millis(es)
    assert outcome.status == APPLIED
    [entry] = log_entries(es, settings)
    received = changelog.datetime.fromisoformat(entry["received_at"])
    assert before - 1000 <= received.timestamp() * 1000 <= after + 1000  # the engine's time, not 2001
    engine_day = datetime.fromtimestamp(after / 1000, UTC)
    assert entry["index"] == changelog.log_index(settings, engine_day)  # the engine's day, too
    assert "received_at" not in entry["change"]  # the writer's own is not even kept


# -- pruning ------------------------------------------------------------------------------------------


def test_the_follower_prunes_the_log_on_its_own_and_keeps_what_a_replay_needs(es, settings, tmp_path):
    short = replace(settings, changes_retention_days=1)
    load_catalogue(es, short, tmp_path)
    now = engine_now(es)
    forty_days, three_days = old_log_day(es, short, now - 40 * DAY), old_log_day(es, short, now - 3 * DAY)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_lines(inbox / "001.jsonl", [stock_line("p-000002", 7, now)])
    said: list[str] = []
    assert follow(es, short, inbox, FollowOptions(once=True), echo=said.append) == 1
    assert any(line.startswith("housekeeping: log: ") for line in said), said
    left = set(es.indices.get(index=changelog.log_pattern(short)).body)
    assert forty_days not in left and three_days not in left  # older than the retention, and not needed
    assert changelog.log_index(short, now) in left  # today's, with the change just applied
    # A rollback of the live indices replays from their build: still all there.
    [built, *_] = maintenance.live_built(es, short)
    assert replay(es, short, "products", aliases.indices_of(es, short.alias("products"))[0], since=built) >= 1
    # A replay from before what was pruned refuses, instead of building an index missing changes.
    with pytest.raises(changelog.LogIncomplete, match="no longer holds"):
        replay(es, short, "products", aliases.indices_of(es, short.alias("products"))[0], since=now - 5 * DAY)
    # The next follower pass within the hour does not run it again (one run per hour, deployment-wide).
    assert maintenance.run_due(es, short, force_ask=True) is None


def test_pruning_keeps_the_log_since_the_live_index_was_built_whatever_the_retention(es, settings, tmp_path):
    short = replace(settings, changes_retention_days=1)
    load_catalogue(es, short, tmp_path)
    now = engine_now(es)
    # The live products index was built ten days ago (its versioned name says when).
    alias = short.alias("products")
    [current] = aliases.indices_of(es, alias)
    older = aliases.versioned_name(alias, now - 10 * DAY)
    body = mappings.load("products")
    es.indices.create(index=older, settings=body["settings"], mappings=body["mappings"])
    es.indices.update_aliases(
        actions=[{"remove": {"index": current, "alias": alias}},
                 {"add": {"index": older, "alias": alias, "filter": ALIAS_FILTER}}]
    )  # fmt: skip
    forty_days, three_days = old_log_day(es, short, now - 40 * DAY), old_log_day(es, short, now - 3 * DAY)
    report = maintenance.run_due(es, short, force_ask=True)
    assert report is not None and report.pruned == [forty_days]
    assert report.cutoff <= now - 10 * DAY  # a rollback of that index replays from its build
    assert es.indices.exists(index=three_days)
    since = aliases.built_at(alias, older) - timedelta(seconds=60)  # what indexer.batch.rollback uses
    assert replay(es, short, "products", current, since=since) >= 1  # the 3-day-old entry is replayed


def test_pruning_waits_while_a_reindex_holds_its_lock(es, settings, tmp_path):
    short = replace(settings, changes_retention_days=1)
    load_catalogue(es, short, tmp_path)
    old = old_log_day(es, short, engine_now(es) - 40 * DAY)
    with locks.reindex_lock(es, short, short.alias("products")):
        report = maintenance.prune_log(es, short)
    assert report.waited and "reindex" in report.waited and report.pruned == []
    assert es.indices.exists(index=old)
    assert maintenance.prune_log(es, short).pruned == [old]  # once it has finished


# -- tombstones -------------------------------------------------------------------------------------------


def test_old_tombstones_are_purged_and_a_late_older_upsert_is_still_refused(es, settings, tmp_path):
    window = replace(settings, late_change_days=7)
    load_catalogue(es, window, tmp_path)
    now = engine_now(es)
    # A delete accepted nine days ago (then it was in time; its updated_at is from then).
    unbounded = replace(window, late_change_days=0)
    assert Applier(es, unbounded).apply([parse(delete_line("p-000001", now - 9 * DAY))])[0].status == APPLIED
    # And one an hour ago.
    assert (
        Applier(es, window).apply([parse(delete_line("p-000002", now - timedelta(hours=1)))])[0].status
        == APPLIED
    )

    assert maintenance.purge_tombstones(es, window) == {"merchants": 0, "products": 1}
    assert raw(es, window, "p-000001") is None  # purged: older than the window and its margin
    assert raw(es, window, "p-000002")["deleted"] is True  # kept: within the window

    applier = Applier(es, window)
    # Within the bound, an upsert older than the delete still meets the tombstone: the listing stays
    # deleted (the upsert may only refresh the hidden parts it is newer than).
    [within] = applier.apply([parse(upsert_line(2, now - 2 * timedelta(hours=1)))])
    assert within.status in (APPLIED, STALE) and raw(es, window, "p-000002")["deleted"] is True
    assert es.count(index=window.alias("products"), query={"ids": {"values": ["p-000002"]}})["count"] == 0
    # An upsert older than the purged delete is beyond the bound: refused, so nothing comes back.
    [late] = applier.apply([parse(upsert_line(1, now - 10 * DAY))])
    assert late.status == REJECTED and "PANIER_LATE_CHANGE_DAYS" in late.reason
    assert raw(es, window, "p-000001") is None
    # A listing listed again now is new, and is indexed.
    assert applier.apply([parse(upsert_line(1, now))])[0].status == APPLIED
    assert raw(es, window, "p-000001")["deleted"] is False


def test_a_replay_carries_recent_deletes_so_a_reindexed_index_refuses_older_upserts_too(
    es, settings, tmp_path
):
    window = replace(settings, late_change_days=7)
    load_catalogue(es, window, tmp_path)
    now = engine_now(es)
    assert (
        Applier(es, window).apply([parse(delete_line("p-000003", now - timedelta(hours=1)))])[0].status
        == APPLIED
    )
    # A new index from an export taken after the delete (so without the listing), replayed from then.
    new = aliases.create_index(es, window.alias("products"), "products")
    replay(es, window, "products", new, since=now + timedelta(minutes=5))
    targets = Targets(products=[new], merchants_source=window.alias("merchants"))
    es.indices.refresh(index=new)
    assert es.get(index=new, id="p-000003")["_source"]["deleted"] is True  # the delete came along
    older = parse(upsert_line(3, now - 2 * timedelta(hours=1)))
    Applier(es, window, targets=targets, log=False).apply([older])
    es.indices.refresh(index=new)
    assert es.get(index=new, id="p-000003")["_source"]["deleted"] is True  # not brought back
