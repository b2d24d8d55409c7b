"""The local engine command: starts a real node, reports its health, stops and leaves nothing behind."""

from __future__ import annotations

import json
import os
import urllib.request

import psutil
import pytest
from click.testing import CliRunner
from elasticsearch import Elasticsearch

from cli import main
from local_es import ES_VERSION, LocalEngine, free_port
from local_es.processes import pid_alive, port_open
from panier_core.settings import Settings


def test_es_start_status_stop_leaves_no_process_behind(tmp_path, monkeypatch):
    port = free_port()
    monkeypatch.setenv("PANIER_ES_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("PANIER_ES_DATA", str(tmp_path / "cluster"))
    runner = CliRunner()

    started = runner.invoke(main, ["es", "start", "--port", str(port)], catch_exceptions=False)
    assert started.exit_code == 0, started.output
    assert "health=green" in started.output or "health=yellow" in started.output
    pid = int((tmp_path / "cluster" / "node-1" / "node.pid").read_text())
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
            info = json.load(resp)
        assert info["version"]["number"] == ES_VERSION

        status = runner.invoke(main, ["es", "status"], catch_exceptions=False)
        assert status.exit_code == 0
        assert f"node-1  pid={pid}  port={port}  running" in status.output
        assert "health=green" in status.output

        again = runner.invoke(main, ["es", "start", "--port", str(port)], catch_exceptions=False)
        assert again.exit_code == 0 and "already running" in again.output
    finally:
        stopped = runner.invoke(main, ["es", "stop"], catch_exceptions=False)
    assert stopped.output.strip() == "Stopped 1 node(s)."
    assert not pid_alive(pid)
    assert not port_open(port) and not port_open(port + 100)
    assert not (tmp_path / "cluster" / "node-1" / "node.pid").exists()

    after = runner.invoke(main, ["es", "status"])
    assert after.exit_code == 1 and "not running" in after.output


def test_es_start_refuses_a_port_another_program_holds(tmp_path, monkeypatch):
    import socket

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        monkeypatch.setenv("PANIER_ES_DATA", str(tmp_path / "cluster"))
        result = CliRunner().invoke(main, ["es", "start", "--port", str(port)])
    assert result.exit_code == 1
    assert f"port {port}" in result.output and "already in use" in result.output


def test_the_node_runs_with_a_bounded_heap(engine):
    if engine.local is None:
        pytest.skip("the session engine is not the local runner")
    pid = int((engine.local.node_home(1) / "node.pid").read_text())
    assert f"-Xmx{engine.local.heap}" in psutil.Process(pid).cmdline()
    assert os.path.isdir(engine.local.config_dir(1))


def test_three_nodes_form_one_cluster_that_survives_losing_a_node(tmp_path):
    engine = LocalEngine(
        home=Settings.from_env({}).local_es_home, http_port=free_port(), nodes=3, data_root=tmp_path
    )
    try:
        status = engine.start(clean=True, log=print)
        assert status.number_of_nodes == 3 and status.health == "green"
        es = Elasticsearch(engine.url)
        es.indices.create(index="replicated", settings={"number_of_shards": 2, "number_of_replicas": 1})
        es.cluster.health(index="replicated", wait_for_status="green", timeout="60s")
        es.index(index="replicated", id="1", document={"name": "Fromagerie"}, refresh=True)

        assert engine.stop_node(3)
        health = es.cluster.health(wait_for_nodes="2", timeout="60s")
        assert health["number_of_nodes"] == 2
        assert es.count(index="replicated")["count"] == 1  # a replica took over
        es.close()
    finally:
        engine.stop()
    assert not any(n.alive for n in engine.status().nodes)
