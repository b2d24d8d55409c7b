"""Engines of the fault suite's own: on ports 9760–9790 and data under /tmp/faults-*, never the
shared engine; nodes killed with SIGKILL and one node started again on its own."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from elasticsearch import Elasticsearch

from local_es import LocalEngine
from local_es.processes import port_open, spawn_detached
from local_es.runner import MAIN_CLASS
from panier_core.settings import Settings
from tests.integration.test_reindex_failures import kill_node

PORTS = range(9760, 9791)

__all__ = ["fault_engine", "kill_node", "node_urls", "restart_node", "wait_for_nodes"]


def free_base_port(nodes: int) -> int:
    """The first port of PORTS from which ``nodes`` HTTP ports and their transport ports (+100) are free."""
    for base in PORTS:
        ports = [base + i for i in range(nodes)]
        if base + nodes - 1 in PORTS and not any(port_open(p) or port_open(p + 100) for p in ports):
            return base
    raise RuntimeError(f"no {nodes} free ports in {PORTS.start}–{PORTS.stop - 1} (and +100)")


@contextmanager
def fault_engine(nodes: int = 1, heap: str = "512m") -> Iterator[LocalEngine]:
    data = Path(tempfile.mkdtemp(prefix="faults-", dir="/tmp"))
    engine = LocalEngine(
        home=Settings.from_env({}).local_es_home, http_port=free_base_port(nodes), nodes=nodes, heap=heap,
        data_root=data / "cluster",
    )  # fmt: skip
    try:
        engine.start(clean=True, log=lambda _: None)
        yield engine
    finally:
        engine.stop()
        shutil.rmtree(data, ignore_errors=True)


def node_urls(engine: LocalEngine) -> str:
    return ",".join(f"http://127.0.0.1:{engine.http_port + i}" for i in range(engine.nodes))


def restart_node(engine: LocalEngine, index: int) -> None:
    """Start node ``index`` again with its data, as ``LocalEngine.start`` starts each node (which
    only starts a whole cluster)."""
    dist = engine.resolve(lambda _: None)
    home = engine.node_home(index)
    classpath = f"{dist / 'panier-es-runner.jar'}{os.pathsep}{dist / 'lib'}/*"
    cmd = [
        shutil.which(engine.java) or engine.java, f"-Xms{engine.heap}", f"-Xmx{engine.heap}", "-XX:+UseG1GC",
        "-Dlog4j2.disable.jmx=true", f"-Djava.io.tmpdir={home / 'tmp'}",
        "-cp", classpath, MAIN_CLASS, *engine._node_settings(index),
    ]  # fmt: skip
    pid = spawn_detached(cmd, cwd=home, log_file=home / "logs" / "stdout.log")
    (home / "node.pid").write_text(str(pid))


def wait_for_nodes(es: Elasticsearch, nodes: int, status: str = "yellow", timeout: float = 180) -> float:
    """Seconds until the cluster has ``nodes`` nodes and at least ``status``."""
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        try:
            health = es.cluster.health(wait_for_nodes=str(nodes), wait_for_status=status, timeout="5s")
            if not health["timed_out"]:
                return time.monotonic() - started
        except Exception:  # no master yet, or the node asked is the one that died: ask again
            time.sleep(0.5)
    raise AssertionError(f"the cluster did not reach {nodes} node(s) and {status} in {timeout} s")
