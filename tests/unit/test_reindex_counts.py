"""A reindex's counts add up even when the run is cut short, and the summary names what is missing;
a lock's holder is judged gone only when it certainly is."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import elasticsearch
import pytest

from indexer.batch.progress import summary_table
from indexer.batch.reindexing import _stopped_by
from indexer.batch.report import LoadReport
from indexer.engine.bulk_items import EngineUnavailable
from indexer.engine.locks import LockInfo


def report(**counts) -> LoadReport:
    return LoadReport(kind="products", alias="products", source="products.jsonl", **counts)


def test_a_complete_load_reconciles_with_read_indexed_and_rejected_only():
    done = report(read=10, indexed=8, rejected=2)
    assert done.unaccounted == 0
    assert done.reconciliation() == "read 10 = indexed 8 + rejected 2"


def test_a_load_cut_short_names_the_records_not_confirmed_and_why():
    cut = report(read=44_929, indexed=37_463, rejected=0, stopped_by="engine lost")
    assert cut.unaccounted == 7_466
    assert (
        cut.reconciliation()
        == "read 44,929 = indexed 37,463 + rejected 0 + not confirmed 7,466 (engine lost)"
    )
    assert cut.read == cut.indexed + cut.rejected + cut.unaccounted


def test_the_summary_table_gains_a_not_confirmed_column_only_when_a_run_was_cut_short():
    fine = summary_table([report(read=5, indexed=5, alias_moved=True)])
    assert "not confirmed" not in fine

    merchants = LoadReport(
        kind="merchants", alias="merchants", source="m", read=3, indexed=3, alias_moved=True
    )
    cut = report(read=100, indexed=60, rejected=5, stopped_by="engine lost", error="the engine failed")
    table = summary_table([merchants, cut])
    header, _, m_row, p_row = table.splitlines()[:4]
    assert "not confirmed" in header
    assert m_row.split()[:5] == ["merchants", "3", "3", "0", "0"]
    assert p_row.split()[:5] == ["products", "100", "60", "5", "35"]
    assert "products: read 100 = indexed 60 + rejected 5 + not confirmed 35 (engine lost)" in table


def test_notes_such_as_a_lock_taken_over_are_shown_under_the_table():
    done = report(read=1, indexed=1, alias_moved=True, notes=["took over the stale lock of x"])
    assert "products: took over the stale lock of x" in summary_table([done])


@pytest.mark.parametrize(
    ("error", "why"),
    [
        (EngineUnavailable("gone"), "engine lost"),
        (elasticsearch.ConnectionError("refused"), "engine lost"),
        (KeyboardInterrupt(), "interrupted"),
        (RuntimeError("lost power"), "stopped by RuntimeError"),
    ],
)
def test_what_cut_a_load_short_is_named(error, why):
    assert _stopped_by(error) == why


def lock(**fields) -> LockInfo:
    values = {
        "name": "products", "owner": "elsewhere:1:abcd1234", "started_at": "2026-11-20T14:00:00+00:00",
        "heartbeat_at": None, "expires_at": None, "host": "elsewhere", "pid": 1,
    } | fields  # fmt: skip
    return LockInfo(**values)


def test_a_lock_whose_process_on_this_host_is_gone_is_stale():
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    here = socket.gethostname()
    why = lock(host=here, pid=dead.pid, owner=f"{here}:{dead.pid}:x").stale_because()
    assert why == f"its process (pid {dead.pid} on this host) is gone"
    assert lock(host=here, pid=os.getpid()).stale_because() is None  # alive: still held


def test_a_lock_whose_heartbeat_expired_is_stale_and_a_fresh_one_on_another_host_is_held():
    now = datetime.now(UTC)
    expired = lock(
        heartbeat_at=(now - timedelta(minutes=5)).isoformat(),
        expires_at=(now - timedelta(minutes=3)).isoformat(),
    )
    assert expired.stale_because(now).startswith("its heartbeat stopped at")
    fresh = lock(heartbeat_at=now.isoformat(), expires_at=(now + timedelta(minutes=2)).isoformat())
    assert fresh.stale_because(now) is None
    # A lock written before heartbeats existed never expires on its own (its holder may be alive).
    assert lock().stale_because(now) is None


def test_an_older_lock_document_names_its_host_and_pid_in_its_owner():
    info = LockInfo.from_source("merchants", {"owner": "box:4242:deadbeef", "started_at": "t"})
    assert (info.host, info.pid) == ("box", 4242)
