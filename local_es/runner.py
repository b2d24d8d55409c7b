"""A real Elasticsearch 8 on this machine, without Docker.

``runner/`` is a small Maven project: Elasticsearch's server and HTTP transport from Maven Central,
plus a launcher and the French analysis components (see its pom.xml for why). ``resolve`` builds it
once into the cache directory; after that ``start`` needs neither Maven nor the network.

Each node is its own JVM (bounded heap) under ``<home>/cluster/node-N`` with a pid file, so one node
can be stopped alone for node-loss tests and ``stop`` leaves no process behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import tenacity

import mappings
from local_es.processes import LocalEngineError, is_our_node, log_tail, pid_alive, port_open, spawn_detached

ES_VERSION = "8.19.21"  # keep equal to <es.version> in runner/pom.xml (a unit test checks)
MAIN_CLASS = "ca.panier.es.Launcher"
RUNNER_SOURCES = Path(__file__).resolve().parent / "runner"
CLUSTER_NAME = "panier-local"

Log = Callable[[str], None]


@dataclass
class NodeState:
    name: str
    pid: int | None
    alive: bool
    http_port: int


@dataclass
class EngineStatus:
    url: str
    nodes: list[NodeState] = field(default_factory=list)
    health: str | None = None  # green / yellow / red, None when not answering
    number_of_nodes: int = 0

    @property
    def running(self) -> bool:
        return any(n.alive for n in self.nodes)


@cache  # the runner sources do not change while the process runs
def _digest_sources() -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in RUNNER_SOURCES.rglob("*") if p.is_file() and "target" not in p.parts):
        h.update(str(path.relative_to(RUNNER_SOURCES)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:10]


@dataclass
class LocalEngine:
    home: Path
    http_port: int = 9200
    nodes: int = 1
    heap: str = "1g"
    data_root: Path | None = None  # where nodes keep config, data and logs; default <home>/cluster
    java: str = "java"
    mvn: str = "mvn"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def cluster_dir(self) -> Path:
        return self.data_root or self.home / "cluster"

    def node_home(self, index: int) -> Path:
        return self.cluster_dir / f"node-{index}"

    def config_dir(self, index: int = 1) -> Path:
        return self.node_home(index) / "config"

    @property
    def dist_dir(self) -> Path:
        return self.home / f"dist-{ES_VERSION}-{_digest_sources()}"

    # -- resolve -------------------------------------------------------------------------------

    def resolve(self, log: Log = print) -> Path:
        """Build the runner and copy its dependencies into the cache once; later calls are free."""
        dist = self.dist_dir
        if (dist / "panier-es-runner.jar").is_file() and (dist / "lib").is_dir():
            return dist
        for tool in (self.java, self.mvn):
            if shutil.which(tool) is None:
                raise LocalEngineError(f"{tool!r} is not on PATH; the local engine needs Java 17+ and Maven")
        log(f"Resolving Elasticsearch {ES_VERSION} with Maven into {dist} (first run only)…")
        staging = dist.with_name(dist.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        cmd = [
            self.mvn, "-B", "-q", "-f", str(RUNNER_SOURCES / "pom.xml"),
            f"-Dpanier.build.dir={staging / 'build'}",
            "package", "dependency:copy-dependencies",
            f"-DoutputDirectory={staging / 'lib'}", "-DincludeScope=runtime",
        ]  # fmt: skip
        started = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if proc.returncode != 0:
            output = (proc.stdout + proc.stderr).strip().splitlines()[-30:]
            raise LocalEngineError(
                "Maven could not build the local Elasticsearch runner:\n" + "\n".join(output)
            )
        shutil.move(str(staging / "build" / "panier-es-runner.jar"), staging / "panier-es-runner.jar")
        shutil.rmtree(staging / "build")
        staging.rename(dist)
        log(f"Resolved in {time.monotonic() - started:.1f}s.")
        return dist

    # -- start / stop / status -----------------------------------------------------------------

    def _pid_file(self, index: int) -> Path:
        return self.node_home(index) / "node.pid"

    def _read_pid(self, index: int) -> int | None:
        try:
            return int(self._pid_file(index).read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def _known_nodes(self) -> list[int]:
        if not self.cluster_dir.is_dir():
            return []
        return sorted(
            int(p.name.split("-")[1])
            for p in self.cluster_dir.glob("node-*")
            if p.name.split("-")[1].isdigit()
        )

    def _node_settings(self, index: int) -> list[str]:
        home = self.node_home(index)
        http = self.http_port + index - 1
        transport = self.http_port + 100 + index - 1
        settings = {
            "path.home": str(home),
            "path.data": str(home / "data"),
            "path.logs": str(home / "logs"),
            "node.name": f"node-{index}",
            "cluster.name": CLUSTER_NAME,
            "network.host": "127.0.0.1",
            "http.port": str(http),
            "transport.port": str(transport),
            # A developer laptop or CI disk may be nearly full; do not turn indices read-only.
            "cluster.routing.allocation.disk.threshold_enabled": "false",
            "action.destructive_requires_name": "false",
        }
        if self.nodes == 1:
            settings["discovery.type"] = "single-node"
        else:
            settings["discovery.seed_hosts"] = ",".join(
                f"127.0.0.1:{self.http_port + 100 + i}" for i in range(self.nodes)
            )
            settings["cluster.initial_master_nodes"] = ",".join(f"node-{i + 1}" for i in range(self.nodes))
        return [f"{k}={v}" for k, v in settings.items()]

    def _prepare_node(self, index: int, clean: bool) -> Path:
        home = self.node_home(index)
        if clean:
            shutil.rmtree(home, ignore_errors=True)
        (home / "config" / "analysis").mkdir(parents=True, exist_ok=True)
        (home / "logs").mkdir(exist_ok=True)
        (home / "tmp").mkdir(exist_ok=True)
        self.install_synonyms(mappings.synonyms_file(), [index])
        return home

    def install_synonyms(self, source: Path, indexes: list[int] | None = None) -> list[Path]:
        """Copy a synonyms file to where the mappings expect it on each node (then reload analyzers)."""
        written = []
        for index in indexes or self._known_nodes():
            target = self.config_dir(index) / mappings.SYNONYMS_ENGINE_PATH
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            written.append(target)
        return written

    def start(self, *, clean: bool = False, timeout: float = 180.0, log: Log = print) -> EngineStatus:
        """Start ``nodes`` nodes and wait until the cluster is green or yellow with all of them."""
        current = self.status()
        if current.running:
            if current.health in ("green", "yellow"):
                log(f"Local engine already running at {self.url} ({current.health}).")
                return current
            raise LocalEngineError("a local engine is running but not healthy; run `panier es stop` first")
        for port in range(self.http_port, self.http_port + self.nodes):
            if port_open(port) or port_open(port + 100):
                raise LocalEngineError(
                    f"port {port} or {port + 100} is already in use by another program; "
                    "choose another with --port (or PANIER_ES_URL to use that engine)"
                )
        dist = self.resolve(log)
        if clean or self._recorded_nodes() not in (None, self.nodes):
            # A cluster's data is bound to its node count; a different count starts afresh.
            shutil.rmtree(self.cluster_dir, ignore_errors=True)
        self.cluster_dir.mkdir(parents=True, exist_ok=True)
        (self.cluster_dir / "cluster.json").write_text(
            json.dumps({"nodes": self.nodes, "http_port": self.http_port})
        )
        java = shutil.which(self.java) or self.java
        classpath = f"{dist / 'panier-es-runner.jar'}{os.pathsep}{dist / 'lib'}/*"
        started = time.monotonic()
        for index in range(1, self.nodes + 1):
            home = self._prepare_node(index, clean=False)
            cmd = [
                java, f"-Xms{self.heap}", f"-Xmx{self.heap}", "-XX:+UseG1GC",
                "-Dlog4j2.disable.jmx=true", f"-Djava.io.tmpdir={home / 'tmp'}",
                "-cp", classpath, MAIN_CLASS, *self._node_settings(index),
            ]  # fmt: skip
            pid = spawn_detached(cmd, cwd=home, log_file=home / "logs" / "stdout.log")
            self._pid_file(index).write_text(str(pid))
        log(f"Starting {self.nodes} node(s) on {self.url} (heap {self.heap} each)…")
        status = self._wait_healthy(timeout)
        log(
            f"Local engine {status.health} with {status.number_of_nodes} node(s) "
            f"after {time.monotonic() - started:.1f}s."
        )
        return status

    def _recorded_nodes(self) -> int | None:
        try:
            return int(json.loads((self.cluster_dir / "cluster.json").read_text())["nodes"])
        except (FileNotFoundError, KeyError, ValueError):
            return None

    def _wait_healthy(self, timeout: float) -> EngineStatus:
        """Every half second until green or yellow with every node; after ``timeout``, stop and say why."""
        poll = tenacity.Retrying(
            stop=tenacity.stop_after_delay(timeout),
            wait=tenacity.wait_fixed(0.5),
            retry=tenacity.retry_if_not_result(
                lambda status: status.health in ("green", "yellow") and status.number_of_nodes >= self.nodes
            ),
        )
        try:
            return poll(self._starting_status)
        except tenacity.RetryError:
            self.stop()
            raise LocalEngineError(
                f"the local engine did not become healthy within {timeout:.0f}s; last log lines:\n"
                + log_tail(self.node_home(1) / "logs" / "stdout.log")
            ) from None

    def _starting_status(self) -> EngineStatus:
        """The status, once sure no node has exited (if one has, stop the others and say why)."""
        for index in range(1, self.nodes + 1):
            pid = self._read_pid(index)
            if pid is None or not pid_alive(pid):
                log_file = self.node_home(index) / "logs" / "stdout.log"
                self.stop()
                raise LocalEngineError(
                    f"node-{index} exited during start-up; last log lines:\n{log_tail(log_file)}"
                )
        return self.status()

    def health(self) -> dict | None:
        try:
            with urllib.request.urlopen(f"{self.url}/_cluster/health", timeout=2) as resp:
                return json.load(resp)
        except (urllib.error.URLError, OSError, ValueError):
            return None

    def status(self) -> EngineStatus:
        status = EngineStatus(url=self.url)
        for index in self._known_nodes():
            pid = self._read_pid(index)
            alive = pid is not None and pid_alive(pid) and is_our_node(pid, self.node_home(index), MAIN_CLASS)
            status.nodes.append(NodeState(f"node-{index}", pid, alive, self.http_port + index - 1))
        if status.running:
            health = self.health()
            if health:
                status.health = health.get("status")
                status.number_of_nodes = int(health.get("number_of_nodes", 0))
        return status

    def stop_node(self, index: int, timeout: float = 60.0) -> bool:
        """Stop one node cleanly (SIGTERM, then SIGKILL after ``timeout``); True if it was running."""
        pid = self._read_pid(index)
        if pid is None or not pid_alive(pid) or not is_our_node(pid, self.node_home(index), MAIN_CLASS):
            self._pid_file(index).unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
            while pid_alive(pid):
                time.sleep(0.1)
        self._pid_file(index).unlink(missing_ok=True)
        return True

    def stop(self, timeout: float = 60.0) -> int:
        """Stop every node of this engine; returns how many were running."""
        return sum(self.stop_node(index, timeout) for index in self._known_nodes())
