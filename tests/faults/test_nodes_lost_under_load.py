"""Issue 13, item 8 (b): three local nodes under search load while merchants push stock through
``POST /v1/ingest/stock``; a data node is killed, started again, then the master-eligible node the
first address of ``PANIER_ES_URL`` names is killed. Failed searches are counted per phase, and the
engine is compared with the source and every acknowledged change: none may be lost.

Every node here holds data and may be master (the local engine does not split roles), so the "data
node" is one that is not the elected master; it is started again before node 1 dies, because with
two of three nodes gone the cluster has no quorum and refuses writes (the right answer, not a fault
of the application). Scale: ``PANIER_FAULT_NODE_LISTINGS`` listings (default 5,000).
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections import Counter
from datetime import UTC, datetime

import pytest

from indexer.changes import merchant_keys
from panier_core.engine import build_client
from panier_core.settings import Settings
from query_api import create_app
from tests.integration import corpus
from tests.integration.records import merchant, product, write_jsonl

from .cluster import fault_engine, kill_node, node_urls, restart_node, wait_for_nodes
from .reconcile import acknowledge, expected_from_source, reconcile

pytestmark = pytest.mark.slow

LISTINGS = int(os.environ.get("PANIER_FAULT_NODE_LISTINGS", "5000"))
MERCHANTS = 20
SEARCHES = ["/v1/products?q=sirop&per_page=5", "/v1/merchants?q=fromagerie&per_page=5",
            "/v1/products?q=sirop%20d%27%C3%A9rable&lat=45.6&lon=-73.6&radius_km=30"]  # fmt: skip


class Load:
    """Search threads and one ingest thread, each with a Flask test client of the same app."""

    def __init__(self, app, keys: dict[str, str], searchers: int = 2):
        self.app, self.keys = app, keys
        self.phase = "before"
        self.stop = threading.Event()
        self.searches: Counter[tuple[str, int]] = Counter()
        self.slowest: dict[str, float] = {}
        self.ingest: Counter[tuple[str, str]] = Counter()
        self.acknowledged: list[dict] = []
        self.last_ms = 0
        self.threads = [threading.Thread(target=self._search, args=(n,)) for n in range(searchers)]
        self.threads.append(threading.Thread(target=self._push))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)

    def _search(self, n: int) -> None:
        client = self.app.test_client()
        i = n
        while not self.stop.is_set():
            phase = self.phase
            started = time.monotonic()
            response = client.get(SEARCHES[i % len(SEARCHES)])
            took = time.monotonic() - started
            status = response.status_code
            if status == 503 and "Retry-After" not in response.headers:
                status = -503  # not a documented refusal: counted apart
            self.searches[phase, status] += 1
            self.slowest[phase] = max(self.slowest.get(phase, 0.0), took)
            i += 1

    def _updated_at(self) -> str:
        # Strictly later than every earlier change: each one must win over the one before it.
        self.last_ms = max(int(datetime.now(UTC).timestamp() * 1000), self.last_ms + 1)
        at = datetime.fromtimestamp(self.last_ms / 1000, UTC)
        return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def _push(self) -> None:
        client = self.app.test_client()
        rng = random.Random(13)
        while not self.stop.is_set():
            owner = rng.randint(1, MERCHANTS)
            listings = [
                i for i in (rng.randint(1, LISTINGS) for _ in range(5)) if (i - 1) % MERCHANTS + 1 == owner
            ]
            listings = listings or [owner]
            at = self._updated_at()
            items = [{"id": f"p-{i:06d}", "quantity": rng.randint(0, 50), "price": round(rng.uniform(2, 30), 2),
                      "updated_at": at} for i in dict.fromkeys(listings)]  # fmt: skip
            headers = {"Authorization": f"ApiKey {self.keys[f'm-{owner:06d}']}"}
            # A refused request is sent again, as a client that reads Retry-After does: until the
            # engine acknowledges it, the change is the client's to keep.
            while True:
                response = client.post("/v1/ingest/stock", json=items, headers=headers)
                if response.status_code == 200 or self.stop.is_set():
                    break
                self.ingest[self.phase, f"http {response.status_code}"] += 1
                time.sleep(float(response.headers.get("Retry-After", "1")) / 4)
            if response.status_code != 200:
                continue
            for item, result in zip(items, response.get_json()["results"], strict=True):
                self.ingest[self.phase, result["status"]] += 1
                # "stale" after a resend: the first attempt was applied before its answer was lost.
                if result["status"] in ("applied", "stale"):
                    self.acknowledged.append({"op": "stock", **item})


def phase_figures(load: Load) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for (phase, status), count in sorted(load.searches.items()):
        out.setdefault(phase, {"searches": {}, "slowest search s": round(load.slowest[phase], 2)})
        out[phase]["searches"][str(status)] = count
    for (phase, status), count in sorted(load.ingest.items()):
        out.setdefault(phase, {}).setdefault("ingest", {})[status] = count
    return out


def test_three_nodes_lose_a_data_node_then_the_first_url_node_under_load_and_keep_every_acknowledged_change(
    tmp_path,
):
    with fault_engine(nodes=3) as engine:
        settings = Settings(es_url=node_urls(engine), index_prefix="faults-")
        es = build_client(settings)
        write_jsonl(tmp_path / "merchants.jsonl", [merchant(i) for i in range(1, MERCHANTS + 1)])
        rows = [product(i, merchant_id=f"m-{(i - 1) % MERCHANTS + 1:06d}") for i in range(1, LISTINGS + 1)]
        source = write_jsonl(tmp_path / "products.jsonl", rows)
        assert corpus.load(es, settings, tmp_path) == 0
        wait_for_nodes(es, 3, "green")
        keys = {
            f"m-{i:06d}": merchant_keys.create(es, settings, f"m-{i:06d}") for i in range(1, MERCHANTS + 1)
        }
        master = es.cat.master(format="json")[0]["node"]
        data_node = next(n for n in (3, 2) if f"node-{n}" != master)
        figures: dict[str, object] = {"listings": LISTINGS, "elected master at the start": master,
                                      "data node killed": f"node-{data_node}"}  # fmt: skip
        timeline = {}
        app = create_app(settings)
        # A cluster just loaded answers its first searches slowly (caches, a busy two-core machine):
        # warmed up first, so that the phases measure the faults, not the cold start.
        warm = app.test_client()
        figures["warm-up searches"] = dict(Counter(warm.get(url).status_code for url in SEARCHES * 5))
        started = time.monotonic()
        with Load(app, keys) as load:
            time.sleep(10)
            load.phase = f"node-{data_node} killed"
            kill_node(engine, data_node)
            timeline["kill data node"] = round(time.monotonic() - started, 1)
            time.sleep(15)
            load.phase = f"node-{data_node} restarting"
            restart_node(engine, data_node)
            figures["data node back, green, after s"] = round(wait_for_nodes(es, 3, "green"), 1)
            load.phase = "node-1 killed"
            kill_node(engine, 1)
            timeline["kill node-1"] = round(time.monotonic() - started, 1)
            figures["two nodes again after s"] = round(wait_for_nodes(es, 2, "yellow"), 1)
            time.sleep(15)
            figures["new master"] = es.cat.master(format="json")[0]["node"]
        timeline["load stopped"] = round(time.monotonic() - started, 1)
        figures["timeline s"] = timeline
        figures["phases"] = phase_figures(load)

        expected = expected_from_source(source)
        for change in load.acknowledged:
            acknowledge(expected, change)
        figures["acknowledged changes"] = len(load.acknowledged)
        result = reconcile(es, settings.alias("products"), expected)
        figures["after"] = str(result)
        failed = sum(n for (_, status), n in load.searches.items() if status != 200)
        server_errors = sum(
            n
            for (_, status), n in load.ingest.items()
            if status.startswith("http 5") and status != "http 503"
        )
        figures["failed searches"], figures["ingest 5xx but 503"] = failed, server_errors
        print("\nFAULT FIGURES (b):", json.dumps(figures, ensure_ascii=False))
        assert result.clean, result
        assert load.acknowledged and sum(load.searches.values()) > 100
        # Right after each kill, every search is answered. While the killed node rejoins and its shards
        # recover, a search may be refused with a documented 503 (the API's 2 s engine timeout on a
        # busy machine: counted in docs/reliability.md); anything else is a fault.
        killed = [p for p in figures["phases"] if p.endswith("killed")]
        assert all(list(figures["phases"][p]["searches"]) == ["200"] for p in killed), figures["phases"]
        assert {status for _, status in load.searches} <= {200, 503}, figures["phases"]
        assert server_errors == 0, figures["phases"]  # a refusal is a 503 the client may resend, never a 500
        es.close()
