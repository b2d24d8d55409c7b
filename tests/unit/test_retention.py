"""The changes path's memory rules (indexer/changes/retention.py) and the engine clock, without an engine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from indexer.batch.reindexing import REPLAY_MARGIN_SECONDS
from indexer.changes import retention
from indexer.changes.clock import EngineClock
from indexer.records import documents, merge

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def ms(moment: datetime) -> int:
    return documents.millis(moment)


# -- late changes -------------------------------------------------------------------------------


def test_a_change_older_than_the_late_change_window_is_too_late():
    assert retention.too_late(ms(NOW - 7 * DAY - timedelta(seconds=1)), NOW, 7)
    assert not retention.too_late(ms(NOW - 7 * DAY), NOW, 7)
    assert not retention.too_late(ms(NOW + timedelta(minutes=30)), NOW, 7)


def test_no_window_accepts_changes_of_any_age_and_never_purges():
    assert not retention.too_late(ms(datetime(2001, 1, 1, tzinfo=UTC)), NOW, 0)
    assert retention.purge_before(NOW, 0) is None
    assert retention.deletes_from(NOW, 0) is None
    assert retention.replay_needs_from(NOW, 0) == NOW


# -- tombstones ---------------------------------------------------------------------------------


def tombstone(version: datetime) -> dict:
    return merge.delete_product(None, "p-1", ms(version))


def test_a_tombstone_is_purgeable_only_when_every_version_is_older_than_the_window_and_margin():
    before = retention.purge_before(NOW, 7)
    assert before == ms(NOW - 7 * DAY - retention.SAFETY_MARGIN)
    assert retention.purgeable(tombstone(NOW - 9 * DAY), before)
    assert not retention.purgeable(tombstone(NOW - 7 * DAY - timedelta(hours=1)), before)  # in the margin
    # A stock stub (a listing not seen yet, hidden) whose quantity is recent is kept.
    stub = merge.stock(None, "p-2", merge.StockChange(3, None, ms(NOW - DAY)))
    assert stub["deleted"] is True and not retention.purgeable(stub, before)


def test_visible_documents_and_documents_of_unknown_age_are_never_purged():
    before = retention.purge_before(NOW, 7)
    assert not retention.purgeable({"id": "p-1", "deleted": False, "versions": {"exists": 1}}, before)
    assert not retention.purgeable({"id": "p-1", "deleted": True}, before)
    assert retention.purgeable({"id": "p-1", "deleted": True, "updated_at": "2026-01-01T00:00:00Z"}, before)


def test_once_a_tombstone_is_purgeable_every_change_still_accepted_is_newer_than_it():
    """The safety argument in numbers: what the purge removes could refuse nothing still accepted."""
    for late_days in (1, 7, 30):
        before = retention.purge_before(NOW, late_days)
        oldest_accepted = retention.oldest_accepted(NOW, late_days)
        assert oldest_accepted > before
        # and it stays so: later, the oldest accepted change only gets newer
        assert retention.oldest_accepted(NOW + DAY, late_days) > before


# -- replays and pruning --------------------------------------------------------------------------


def test_a_replay_also_reads_the_deletes_of_the_window_before_it():
    since = NOW - 2 * DAY
    assert retention.deletes_from(since, 7) == since - 7 * DAY - retention.SAFETY_MARGIN
    assert retention.replay_needs_from(since, 7) == retention.deletes_from(since, 7)


def test_the_prune_cutoff_keeps_the_retention_and_what_a_fresh_reindex_replays():
    cutoff = retention.prune_cutoff(NOW, retention_days=30, late_days=7, live_built=[])
    assert cutoff == NOW - 30 * DAY
    # A short retention does not cut into what a replay from a fresh export reads.
    short = retention.prune_cutoff(NOW, retention_days=1, late_days=7, live_built=[])
    assert short <= retention.replay_needs_from(NOW - retention.SAFETY_MARGIN, 7)


def test_the_prune_cutoff_keeps_what_a_rollback_of_each_live_index_replays():
    built = [NOW - 40 * DAY, NOW - 3 * DAY]
    cutoff = retention.prune_cutoff(NOW, retention_days=30, late_days=7, live_built=built)
    rollback_since = built[0] - timedelta(seconds=REPLAY_MARGIN_SECONDS)  # indexer.batch.rollback
    assert cutoff <= retention.replay_needs_from(rollback_since, 7)
    assert timedelta(seconds=REPLAY_MARGIN_SECONDS) < retention.ROLLBACK_MARGIN


@pytest.mark.parametrize("late_days", [0, 7])
def test_whatever_the_retention_a_replay_the_cutoff_allows_is_complete(late_days):
    built = [NOW - 5 * DAY]
    for retention_days in (1, 7, 30):
        cutoff = retention.prune_cutoff(
            NOW, retention_days=retention_days, late_days=late_days, live_built=built
        )
        rollback_since = built[0] - timedelta(seconds=REPLAY_MARGIN_SECONDS)
        assert retention.replay_needs_from(rollback_since, late_days) >= cutoff


def test_only_days_whose_newest_entry_is_before_the_cutoff_are_doomed():
    newest = {
        "panier-changes-20261001": datetime(2026, 10, 1, 23, 59, tzinfo=UTC),
        "panier-changes-20261101": datetime(2026, 11, 2, 0, 0, 1, tzinfo=UTC),  # a late entry in it
        "panier-changes-20261201": datetime(2026, 12, 1, 10, 0, tzinfo=UTC),
    }
    assert retention.doomed_days(newest, datetime(2026, 11, 2, tzinfo=UTC)) == ["panier-changes-20261001"]


# -- the engine clock -----------------------------------------------------------------------------


class FakeMonotonic:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


def test_the_engine_clock_carries_one_reading_forward_with_the_monotonic_clock():
    monotonic = FakeMonotonic()
    readings = []

    def read() -> int:
        readings.append(monotonic.value)
        return 1_796_230_000_000

    clock = EngineClock(read, monotonic=monotonic, resync_seconds=300)
    assert clock.millis() == 1_796_230_000_000
    monotonic.value += 12.5
    assert clock.millis() == 1_796_230_012_500
    assert clock.now() == datetime.fromtimestamp(1_796_230_012.5, UTC)
    assert len(readings) == 1  # no request to the engine within the resync period


def test_the_engine_clock_reads_again_after_the_resync_period_and_never_goes_back():
    monotonic = FakeMonotonic()
    engine = [1_000_000]
    clock = EngineClock(lambda: engine[0], monotonic=monotonic, resync_seconds=300)
    assert clock.millis() == 1_000_000
    monotonic.value += 300
    assert clock.millis() == 1_300_000  # carried forward, no new reading yet
    monotonic.value += 1
    engine[0] = 1_299_000  # the new reading is 2 s behind what was carried forward
    assert clock.millis() == 1_300_000  # held, never taken back
    monotonic.value += 3
    assert clock.millis() == 1_302_000  # then follows the new reading
