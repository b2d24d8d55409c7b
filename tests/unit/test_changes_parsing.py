"""Change lines -> validated changes, and how a follower is described (pure: no engine)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError

from indexer.changes import checkpoints
from indexer.records.change_lines import parse

NOW = "2026-11-21T09:00:00Z"


def test_a_stock_line_becomes_a_versioned_stock_change_and_logs_only_validated_fields():
    change = parse({"op": "stock", "id": "p-1", "quantity": 4, "price": 2.5, "updated_at": NOW, "extra": "x"})
    assert (change.op, change.type, change.id, change.stock.quantity, change.stock.price) == (
        "stock",
        "product",
        "p-1",
        4,
        2.5,
    )
    assert change.version == int(datetime(2026, 11, 21, 9, tzinfo=UTC).timestamp() * 1000)
    assert change.raw == {"op": "stock", "id": "p-1", "quantity": 4, "price": 2.5, "updated_at": NOW}


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"op": "teleport", "id": "p-1"}, "op"),
        ({"op": "delete", "type": "product", "id": "p-1"}, "_schema"),
        ({"op": "stock", "id": "p-1", "quantity": 1.5, "updated_at": NOW}, "quantity"),
        ({"op": "stock", "type": "merchant", "id": "m-1", "quantity": 1, "updated_at": NOW}, "_schema"),
        ({"op": "upsert", "type": "product", "doc": {"id": "p-1"}}, "doc"),
        ({"op": "stock", "id": "p-1", "quantity": 1, "updated_at": "2999-01-01T00:00:00Z"}, "updated_at"),
    ],
)
def test_bad_lines_say_which_field_is_wrong(line, field):
    with pytest.raises(ValidationError) as caught:
        parse(line)
    assert field in caught.value.messages


@pytest.mark.parametrize(
    "line",
    [
        {"op": "stock", "id": "p-1", "quantity": 1, "updated_at": "2026-11-21T09:00:00"},
        {"op": "delete", "type": "product", "id": "p-1", "updated_at": "2026-11-21T09:00:00.250"},
        {"op": "upsert", "type": "merchant", "doc": {"id": "m-1", "name": "Fromagerie", "updated_at": "2026-11-21 09:00",
                                                    "address": {"city": "Trois-Rivières"},
                                                    "location": {"lat": 46.34, "lon": -72.54}}},
    ],
)  # fmt: skip
def test_an_updated_at_without_a_time_zone_is_refused_with_its_reason(line):
    # The one records contract: change files, the ingest endpoint and full reindexes alike.
    with pytest.raises(ValidationError) as caught:
        parse(line)
    assert "needs a time zone (Z or an offset such as -05:00)" in str(caught.value.messages)


def test_an_updated_at_with_an_offset_is_the_same_instant_in_utc():
    quebec = parse({"op": "stock", "id": "p-1", "quantity": 1, "updated_at": "2026-11-21T04:00:00-05:00"})
    assert quebec.version == parse({"op": "stock", "id": "p-1", "quantity": 1, "updated_at": NOW}).version


def test_a_follower_is_described_with_its_position_and_lag():
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    busy = checkpoints.Checkpoint(
        inbox="/in", file="0002.jsonl", line=500, applied=1200,
        pending_since=(now - timedelta(seconds=3)).isoformat(), heartbeat=(now - timedelta(seconds=1)).isoformat(),
    )  # fmt: skip
    idle = checkpoints.Checkpoint(
        inbox="/in2", applied=7, heartbeat=(now - timedelta(seconds=90)).isoformat()
    )
    lines = checkpoints.describe_followers([busy, idle], now)
    assert (
        lines[0]
        == "follower /in: at 0002.jsonl line 500, lag 3.0s (oldest unapplied change), 1,200 applied, last heard 1s ago"
    )
    assert lines[1].startswith("follower /in2: idle, lag 0.0s") and "last heard 90s ago" in lines[1]
    assert checkpoints.silent_for(idle, now) == 90.0
