"""Issue 13, item 8 (a): the engine killed at 40 % of a listings reindex, started again, the reindex
run again. The live alias keeps the previous catalogue through the failure; after the rerun the
index holds the new source overlaid with the changes acknowledged meanwhile, record by record.

Scale: ``PANIER_FAULT_LISTINGS`` listings (default 100,000; the issue asks 1,000,000, which needs
a bigger machine than the shared two-core one this suite was written on, see docs/reliability.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from indexer.batch import debris
from indexer.changes.applier import Applier
from indexer.engine import aliases, locks
from indexer.records import change_lines
from panier_core.engine import build_client
from panier_core.settings import Settings
from tests.integration import corpus
from tests.integration.records import merchant, product, write_jsonl
from tests.integration.test_reindex_failures import REINDEX_SCRIPT, summary_row, wait_until_indexed

from .cluster import fault_engine, kill_node
from .reconcile import acknowledge, expected_from_source, reconcile

pytestmark = pytest.mark.slow

LISTINGS = int(os.environ.get("PANIER_FAULT_LISTINGS", "100000"))
V2_AT = "2026-11-21T14:03:00Z"


def merchant_of(i: int, merchants: int) -> str:
    return f"m-{(i - 1) % merchants + 1:06d}"


def second_export(i: int, merchants: int) -> dict | None:
    """Listing ``i`` as the next export has it: 5 % gone, others with a new price, quantity or name."""
    if i % 20 == 0:
        return None
    over: dict = {"updated_at": V2_AT}
    if i % 10 == 3:
        over["price"] = 10.0 + i % 7
    if i % 7 == 1:
        over["quantity"] = (i * 3) % 11
    if i % 13 == 5:
        over["name"] = f"Sirop d'érable {i}, 1 l"
    quantity = over.pop("quantity", i % 5)
    return product(i, merchant_id=merchant_of(i, merchants), stock={"quantity": quantity}, **over)


def write_listings(path: Path, rows) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            if row is not None:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def now_iso(offset_ms: int = 0) -> str:
    at = datetime.now(UTC) + timedelta(milliseconds=offset_ms)
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_engine_killed_at_40_percent_of_a_listings_reindex_then_the_rerun_equals_the_source(
    tmp_path, monkeypatch
):
    merchants = max(10, LISTINGS // 50)
    figures: dict[str, object] = {"listings": LISTINGS}
    with fault_engine() as engine:
        settings = Settings(es_url=engine.url, index_prefix="faults-")
        es = build_client(settings)
        alias = settings.alias("products")

        # The live catalogue: v1, loaded as `panier reindex all` does.
        write_jsonl(tmp_path / "merchants.jsonl", [merchant(i) for i in range(1, merchants + 1)])
        v1 = write_listings(
            tmp_path / "products.jsonl",
            (product(i, merchant_id=merchant_of(i, merchants)) for i in range(1, LISTINGS + 1)),
        )
        started = time.monotonic()
        assert corpus.load(es, settings, tmp_path) == 0
        figures["first load s"] = round(time.monotonic() - started, 1)
        live = aliases.indices_of(es, alias)
        expected_v1 = expected_from_source(v1)

        # The next export: changed, 5 % deleted, 2 % new listings.
        new = range(LISTINGS + 1, LISTINGS + LISTINGS // 50 + 1)
        v2 = write_listings(
            tmp_path / "v2.jsonl",
            [second_export(i, merchants) for i in range(1, LISTINGS + 1)]
            + [product(i, merchant_id=merchant_of(i, merchants), updated_at=V2_AT) for i in new],
        )
        gone = {f"p-{i:06d}" for i in range(1, LISTINGS + 1) if i % 20 == 0}
        to_read = LISTINGS - len(gone) + len(new)

        run = subprocess.Popen(
            [sys.executable, "-c", REINDEX_SCRIPT, engine.url, settings.index_prefix, str(v2),
             str(tmp_path / "r.jsonl"), "products", "1000"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=Path(__file__).parents[2],
        )  # fmt: skip
        started = time.monotonic()
        at_kill = wait_until_indexed(
            engine.url, f"{alias}-*,-{live[0]}", int(0.4 * to_read), run, timeout=900
        )  # the new index only: the live one holds the whole first load
        kill_node(engine, 1)
        output, _ = run.communicate(timeout=300)
        figures["killed after s"] = round(time.monotonic() - started, 1)
        figures["indexed at the kill"] = at_kill
        print("\n" + output)
        assert run.returncode == 1, output
        read, indexed, rejected, not_confirmed = (
            int(v.replace(",", "")) for v in summary_row(output, alias)[1:5]
        )
        assert read == indexed + rejected + not_confirmed and not_confirmed > 0, output
        figures["summary"] = f"{read:,} = {indexed:,} + {rejected:,} + {not_confirmed:,} (engine lost)"

        started = time.monotonic()
        engine.start(log=lambda _: None)
        figures["restart s"] = round(time.monotonic() - started, 1)
        es.close()
        es = build_client(settings)
        (half_built,) = debris.building(es, settings)
        assert aliases.indices_of(es, alias) == live  # the alias never moved
        untouched = reconcile(es, alias, expected_v1)
        figures["live alias after the failure"] = str(untouched)
        assert untouched.clean, untouched

        # Changes acknowledged between the failure and the rerun: the rerun replays them.
        applier = Applier(es, settings, source="faults")
        survivors = [i for i in range(1, LISTINGS + 1) if i % 20 != 0]
        lines = []
        for n, i in enumerate(survivors[:: max(1, len(survivors) // 500)][:500]):
            listing = f"p-{i:06d}"
            if n % 10 == 9:
                lines.append({"op": "delete", "type": "product", "id": listing, "updated_at": now_iso(n)})
            else:
                lines.append({"op": "stock", "id": listing, "quantity": n % 9, "price": 5.0 + n % 4,
                              "updated_at": now_iso(n)})  # fmt: skip
        outcomes = applier.apply([change_lines.parse(line) for line in lines])
        assert {o.status for o in outcomes} == {"applied"}, outcomes[:5]
        expected = expected_from_source(v2, deleted=gone)
        for line in lines:
            acknowledge(expected, line)
        figures["acknowledged changes"] = len(lines)

        monkeypatch.setenv("PANIER_ES_URL", engine.url)
        monkeypatch.setenv("PANIER_INDEX_PREFIX", settings.index_prefix)
        started = time.monotonic()
        rerun = CliRunner().invoke(main, ["reindex", "products", "--from", str(v2)])
        figures["rerun s"] = round(time.monotonic() - started, 1)
        assert rerun.exit_code == 0, rerun.output
        assert f"deleted half-built indices of failed runs: {half_built.index}" in rerun.output
        assert not es.indices.exists(index=half_built.index) and locks.read_locks(es, settings) == []

        started = time.monotonic()
        after = reconcile(es, alias, expected)
        figures["compare s"] = round(time.monotonic() - started, 1)
        figures["after the rerun"] = str(after)
        print("\nFAULT FIGURES (a):", json.dumps(figures, ensure_ascii=False))
        assert after.clean, after
        es.close()
