"""What the API benchmarks share: an engine of their own, `panier serve` in a subprocess, teardown."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from local_es import LocalEngine
from panier_core.settings import Settings


def own_engine(port: int, name: str) -> LocalEngine:
    """A fresh local engine on ``port`` with its data in ``/tmp/<name>`` (deleted by ``shut_down``)."""
    engine = LocalEngine(
        home=Settings.from_env().local_es_home,
        http_port=port,
        data_root=Path(tempfile.gettempdir()) / name,
        heap=os.environ.get("PANIER_ES_HEAP", "1g"),
    )
    engine.start(clean=True)
    return engine


def serve(url: str, prefix: str, port: int, **env: str) -> subprocess.Popen:
    """``panier serve`` (gunicorn, 2 workers × 8 threads) on ``port``, once its health answers."""
    environment = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    environment.update(PANIER_ES_URL=url, PANIER_INDEX_PREFIX=prefix, **env)
    command = [sys.executable, "-m", "cli", "serve", "--port", str(port), "--workers", "2", "--threads", "8"]
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(port)
    return server


def wait_ready(port: int) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the API on port {port} did not start")


def shut_down(servers: Iterable[subprocess.Popen | None], engine: LocalEngine | None) -> None:
    running = [s for s in servers if s is not None]
    for server in running:
        server.terminate()
    for server in running:
        server.wait(15)
    if engine:
        engine.stop()
        shutil.rmtree(engine.cluster_dir, ignore_errors=True)
