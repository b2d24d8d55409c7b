"""A reindex that fails leaves nothing a rerun trips on: counts that add up, its half-built index
deleted (or marked and deleted by the next run), its lock released or taken over once its holder is
gone; on several nodes the alias moves only once every shard copy is active, and the API and the
indexer keep answering when the node of the first address dies.

Faults are real: an engine of the test's own killed with SIGKILL, a reindex process killed the same
way, a cluster whose replicas are kept from starting.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from indexer.batch import debris, reindexing
from indexer.batch.loader import BulkOptions
from indexer.engine import aliases, locks
from indexer.engine.internal_indices import ensure_internal_index
from indexer.files.rejects import RejectsFile
from local_es import LocalEngine, free_port
from local_es.processes import pid_alive
from panier_core.engine import build_client
from panier_core.settings import Settings
from query_api import create_app

from .records import merchant, write_jsonl

# A reindex (of merchants, unless a 5th argument names the kind, in chunks of a 6th argument) in a
# process of its own, with quick retries, printing the summary table the CLI prints when it fails.
REINDEX_SCRIPT = """
import sys
from pathlib import Path
from indexer.batch import reindexing
from indexer.batch.loader import BulkOptions
from indexer.batch.progress import summary_table
from indexer.files.rejects import RejectsFile
from panier_core.engine import build_client
from panier_core.settings import Settings

url, prefix, source, rejects = sys.argv[1:5]
kind = sys.argv[5] if len(sys.argv) > 5 else "merchants"
chunk = sys.argv[6] if len(sys.argv) > 6 else "500"
settings = Settings(es_url=url, index_prefix=prefix, max_retries=0, request_timeout=5)
bulk = BulkOptions(chunk_docs=int(chunk), concurrency=2, max_retries=2, backoff_seconds=0.05)
with RejectsFile(Path(rejects)) as r:
    try:
        reindexing.reindex(build_client(settings), settings, kind, Path(source), rejects=r,
                           options=reindexing.ReindexOptions(bulk=bulk))
    except reindexing.ReindexError as e:
        print(summary_table(e.reports))
        print("FAILED:", e)
        sys.exit(1)
print("DONE")
"""


def load(es, settings, path, tmp_path, **options):
    with RejectsFile(tmp_path / "rejects.jsonl") as rejects:
        return reindexing.reindex(
            es, settings, "merchants", path, rejects=rejects, options=reindexing.ReindexOptions(**options)
        )


def start_reindex(url: str, settings: Settings, source: Path, tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", REINDEX_SCRIPT, url, settings.index_prefix, str(source), str(tmp_path / "r.jsonl")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=Path(__file__).parents[2],
    )  # fmt: skip


def wait_until_indexed(url: str, pattern: str, at_least: int, proc: subprocess.Popen, timeout=120) -> int:
    """Documents written to the indices ``pattern`` so far (refresh is off: the indexing stats)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the reindex ended before the fault: {proc.communicate()[0]}"
        try:
            with urllib.request.urlopen(f"{url}/{pattern}/_stats/indexing", timeout=5) as resp:
                done = json.load(resp)["_all"]["primaries"].get("indexing", {}).get("index_total", 0)
        except OSError:
            done = 0
        if done >= at_least:
            return done
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} documents indexed after {timeout} s")


@contextmanager
def own_engine(tmp_path: Path, nodes: int = 1) -> Iterator[LocalEngine]:
    engine = LocalEngine(
        home=Settings.from_env({}).local_es_home, http_port=free_port(), nodes=nodes, heap="512m",
        data_root=tmp_path / "cluster",
    )  # fmt: skip
    engine.start(clean=True, log=lambda _: None)
    try:
        yield engine
    finally:
        engine.stop()


def kill_node(engine: LocalEngine, index: int) -> None:
    pid = int((engine.node_home(index) / "node.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    while pid_alive(pid):
        time.sleep(0.05)


def summary_row(output: str, alias: str) -> list[str]:
    return next(line.split() for line in output.splitlines() if line.startswith(alias + " "))


@pytest.mark.slow  # two engine starts and a 20,000-record load: 40-100 s on a busy two-core machine
def test_engine_killed_at_40_percent_reconciles_and_the_rerun_takes_the_lock_and_deletes_the_debris(
    tmp_path, monkeypatch
):
    total = 20_000
    with own_engine(tmp_path) as engine:
        settings = Settings(es_url=engine.url, index_prefix="fault-")
        es = build_client(settings)
        first = load(es, settings, write_jsonl(tmp_path / "v1.jsonl", [merchant(1)]), tmp_path)
        alias = settings.alias("merchants")
        source = write_jsonl(tmp_path / "v2.jsonl", [merchant(i) for i in range(1, total + 1)])

        run = start_reindex(engine.url, settings, source, tmp_path)
        wait_until_indexed(engine.url, f"{alias}-*", int(0.4 * total), run)
        kill_node(engine, 1)
        output, _ = run.communicate(timeout=120)
        assert run.returncode == 1, output

        # The summary adds up and names what is missing.
        header = next(line for line in output.splitlines() if line.startswith("alias"))
        assert "not confirmed" in header, output
        read, indexed, rejected, not_confirmed = (
            int(v.replace(",", "")) for v in summary_row(output, alias)[1:5]
        )
        assert read == indexed + rejected + not_confirmed and not_confirmed > 0 and indexed > 0.3 * total
        assert f"not confirmed {not_confirmed:,} (engine lost)" in output
        assert "it stays marked building" in output

        engine.start(log=lambda _: None)  # same data: the half-built index and the lock are still there
        es.close()
        es = build_client(settings)
        (half_built,) = debris.building(es, settings)
        assert half_built.alias == alias and not half_built.in_progress and half_built.documents
        assert half_built.owner.split(":")[1] == str(run.pid)
        assert aliases.indices_of(es, alias) == [first.index]  # the alias never moved

        monkeypatch.setenv("PANIER_ES_URL", engine.url)
        monkeypatch.setenv("PANIER_INDEX_PREFIX", settings.index_prefix)
        status = CliRunner().invoke(main, ["status"], catch_exceptions=False)
        assert f"debris   {half_built.index}  documents={half_built.documents}" in status.output
        assert f"the next reindex of {alias} deletes it" in status.output
        assert (
            f"its process (pid {run.pid} on this host) is gone; the next run takes it over" in status.output
        )

        rerun = CliRunner().invoke(main, ["reindex", "merchants", "--from", str(tmp_path / "v1.jsonl")])
        assert rerun.exit_code == 0, rerun.output
        assert f"took over the stale lock of the reindex of {alias!r}" in rerun.output
        assert f"deleted half-built indices of failed runs: {half_built.index}" in rerun.output
        assert not es.indices.exists(index=half_built.index)
        assert locks.read_locks(es, settings) == []
        after = CliRunner().invoke(main, ["status"], catch_exceptions=False)
        assert "debris" not in after.output and "lock " not in after.output
        es.close()


def test_a_reindex_process_killed_midway_leaves_a_lock_the_next_run_takes_over(
    es, engine, settings, tmp_path
):
    first = load(es, settings, write_jsonl(tmp_path / "v1.jsonl", [merchant(1)]), tmp_path)
    alias = settings.alias("merchants")
    source = write_jsonl(tmp_path / "v2.jsonl", [merchant(i) for i in range(1, 20_001)])
    run = start_reindex(engine.url, settings, source, tmp_path)
    wait_until_indexed(engine.url, f"{alias}-*", 1_000, run)
    (held,) = locks.read_locks(es, settings)
    assert (held.pid, held.name) == (run.pid, alias) and held.expires_at > held.heartbeat_at
    run.kill()
    run.communicate()

    (left,) = debris.building(es, settings)
    assert not left.in_progress
    rerun = load(es, settings, tmp_path / "v1.jsonl", tmp_path)  # no --break-lock needed
    assert rerun.alias_moved and rerun.previous == [first.index]
    assert rerun.debris == [left.index] and not es.indices.exists(index=left.index)
    assert rerun.notes[0] == (
        f"took over the stale lock of the reindex of {alias!r} by {held.owner} "
        f"(its process (pid {run.pid} on this host) is gone)"
    )


def write_lock(es, settings, name: str, *, host: str, expires_in: float) -> str:
    now = datetime.now(UTC)
    owner = f"{host}:4242:feedbeef"
    es.index(
        index=ensure_internal_index(es, settings.alias(locks.LOCK_INDEX)), id=name, refresh=True,
        document={"alias": name, "owner": owner, "host": host, "pid": 4242,
                  "started_at": (now - timedelta(hours=1)).isoformat(), "heartbeat_at": now.isoformat(),
                  "expires_at": (now + timedelta(seconds=expires_in)).isoformat()},
    )  # fmt: skip
    return owner


def test_a_lock_whose_heartbeat_expired_is_taken_over_and_a_live_one_is_still_refused(es, settings, tmp_path):
    alias = settings.alias("merchants")
    source = write_jsonl(tmp_path / "m.jsonl", [merchant(1)])
    live = write_lock(es, settings, alias, host="another-machine", expires_in=120)
    with pytest.raises(
        locks.LockHeld, match=f"another reindex of '{alias}' is running \\(owner {live}.*--break-lock"
    ):
        load(es, settings, source, tmp_path)

    dead = write_lock(es, settings, alias, host="another-machine", expires_in=-1)
    report = load(es, settings, source, tmp_path)
    assert report.alias_moved
    assert report.notes[0].startswith(
        f"took over the stale lock of the reindex of {alias!r} by {dead} (its heartbeat"
    )
    assert locks.read_locks(es, settings) == []


def test_a_held_lock_keeps_a_heartbeat_and_notices_when_it_is_taken_away(es, settings):
    with locks.hold_lock(es, settings, "inbox", purpose="test", ttl=0.8) as lock:
        (before,) = locks.read_locks(es, settings)
        time.sleep(0.7)
        (after,) = locks.read_locks(es, settings)
        assert after.owner == lock.owner and after.expires_at > before.expires_at
        assert after.stale_because() is None
        es.delete(index=settings.alias(locks.LOCK_INDEX), id="inbox", refresh=True)  # --break-lock elsewhere
        deadline = time.monotonic() + 5
        while lock.lost is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lock.lost and "taken over or removed" in lock.lost


def test_a_rerun_deletes_only_building_indices_that_no_live_lock_owns(es, settings, tmp_path):
    alias = settings.alias("merchants")
    orphan = aliases.create_index(es, alias, "merchants", state="building", owner="gone:1:00000000")
    legacy = aliases.create_index(es, alias, "merchants", state="building")  # no owner recorded
    with locks.hold_lock(es, settings, "elsewhere", purpose="test") as other:
        in_progress = aliases.create_index(es, alias, "merchants", state="building", owner=other.owner)
        assert {(b.index, b.in_progress) for b in debris.building(es, settings)} == {
            (orphan, False), (legacy, False), (in_progress, True)
        }  # fmt: skip
        report = load(es, settings, write_jsonl(tmp_path / "m.jsonl", [merchant(1)]), tmp_path)
    assert sorted(report.debris) == sorted([orphan, legacy])
    assert es.indices.exists(index=in_progress) and not es.indices.exists(index=orphan)


def test_a_run_cut_short_by_any_exception_still_reconciles_and_releases_its_lock(es, settings, tmp_path):
    chunks: list[int] = []

    def crash_at_the_third_chunk(n: int) -> None:
        chunks.append(n)
        if len(chunks) == 3:
            raise RuntimeError("the loader's machine lost power")

    source = write_jsonl(tmp_path / "m.jsonl", [merchant(i) for i in range(1, 200)])
    options = reindexing.ReindexOptions(bulk=BulkOptions(chunk_docs=10, concurrency=1))
    with RejectsFile(tmp_path / "r.jsonl") as rejects, pytest.raises(reindexing.ReindexError) as caught:
        reindexing.reindex(es, settings, "merchants", source, rejects=rejects, options=options,
                           on_progress=crash_at_the_third_chunk)  # fmt: skip
    report = caught.value.report
    assert report.indexed == 30 and report.unaccounted == report.read - 30 > 0
    assert report.stopped_by == "stopped by RuntimeError"
    assert f"not confirmed {report.unaccounted} (stopped by RuntimeError)" in str(caught.value)
    assert not es.indices.exists(index=report.index)  # the engine is there: deleted at once
    assert locks.read_locks(es, settings) == []  # and the lock released, no --break-lock needed


def test_one_node_tolerates_yellow_for_an_index_that_asks_for_replicas(es, settings):
    if es.cluster.health()["number_of_data_nodes"] != 1:
        pytest.skip("needs a single-node engine")
    index = f"{settings.index_prefix}replicas"
    es.indices.create(index=index, settings={"number_of_replicas": 1})
    started = time.monotonic()
    assert aliases.wait_for_copies(es, index, timeout=30) == "yellow"
    assert time.monotonic() - started < 10


@pytest.mark.slow
def test_on_three_nodes_the_alias_waits_for_green_and_searches_survive_losing_the_first_node(
    tmp_path, monkeypatch
):
    with own_engine(tmp_path, nodes=3) as engine:
        urls = ",".join(f"http://127.0.0.1:{engine.http_port + i}" for i in range(3))
        settings = Settings(es_url=urls, index_prefix="nodes-")
        es = build_client(settings)
        alias = settings.alias("merchants")
        source = write_jsonl(tmp_path / "m.jsonl", [merchant(i) for i in range(1, 501)])
        aliases.ensure_aliases(es, settings)  # products too: merchant searches look at listings
        first = load(es, settings, source, tmp_path)

        # Replicas kept from starting: the alias stays, with a message that says why.
        es.cluster.put_settings(persistent={"cluster.routing.allocation.enable": "primaries"})
        with pytest.raises(reindexing.ReindexError, match="were not all active after 3 s") as caught:
            load(es, settings, source, tmp_path, copies_timeout=3)
        assert "1 replica(s) on 3 data node(s)" in str(caught.value)
        assert aliases.indices_of(es, alias) == [first.index]
        assert not es.indices.exists(index=caught.value.report.index)
        es.cluster.put_settings(persistent={"cluster.routing.allocation.enable": None})

        health_at_swap: list[str] = []
        swap = aliases.swap_alias

        def recording_swap(client, name, index):
            health_at_swap.append(client.cluster.health(index=index)["status"])
            return swap(client, name, index)

        monkeypatch.setattr(aliases, "swap_alias", recording_swap)
        second = load(es, settings, source, tmp_path)
        assert second.alias_moved and health_at_swap == ["green"]
        replicas = es.indices.get_settings(index=second.index)[second.index]["settings"]["index"]
        assert replicas["number_of_replicas"] == "1"

        app = create_app(settings)
        client = app.test_client()
        assert client.get("/v1/merchants?q=fromagerie").status_code == 200
        kill_node(engine, 1)  # the node PANIER_ES_URL names first
        statuses = [client.get("/v1/merchants?q=fromagerie&per_page=5").status_code for _ in range(30)]
        assert statuses == [200] * 30
        assert es.count(index=alias)["count"] == 500  # the indexer's client fails over too
        es.close()
