"""How the test session gets a real Elasticsearch.

In order: ``PANIER_ES_URL`` when set and answering; else testcontainers' Elasticsearch when a
Docker engine answers; else the local runner (``local_es``), started on a free port with fresh data
and stopped at the end. Never a fake: when none of these works the session fails loudly.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import mappings
from local_es import ES_VERSION, LocalEngine, free_port
from panier_core.settings import Settings


@dataclass
class Engine:
    url: str
    kind: str  # external | testcontainers | local
    version: str
    # Directories that the engine reads config/analysis/ from; empty when we cannot write there.
    config_dirs: list[Path] = field(default_factory=list)
    local: LocalEngine | None = None

    def install_synonyms(self, source: Path) -> bool:
        """Put a synonyms file where the mappings expect it on every node; False if impossible."""
        if not self.config_dirs:
            return False
        for config in self.config_dirs:
            target = config / mappings.SYNONYMS_ENGINE_PATH
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        return True


def _root_info(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=3) as resp:
            return json.load(resp)
    except (OSError, ValueError):
        return None


def _docker_answers() -> bool:
    """True when a Docker engine answers /_ping (asked directly, to leak no client sockets)."""
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    try:
        if host.startswith("unix://"):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(3)
                s.connect(host.removeprefix("unix://"))
                s.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
                return s.recv(64).split(b" ")[1:2] == [b"200"]
        with urllib.request.urlopen(host.replace("tcp://", "http://") + "/_ping", timeout=3) as resp:
            return resp.status == 200
    except OSError:
        return False


@contextmanager
def provide_engine() -> Iterator[Engine]:
    url = os.environ.get("PANIER_ES_URL")
    if url:
        info = _root_info(url)
        if info:
            config = os.environ.get("PANIER_ES_CONFIG_DIR")
            yield Engine(url, "external", info["version"]["number"], [Path(config)] if config else [])
            return
        print(f"\nPANIER_ES_URL={url} does not answer; trying Docker, then the local runner.")

    if _docker_answers():
        from testcontainers.elasticsearch import ElasticSearchContainer

        config = Path(tempfile.mkdtemp(prefix="panier-es-config-"))
        (config / "analysis").mkdir()
        shutil.copyfile(mappings.synonyms_file(), config / mappings.SYNONYMS_ENGINE_PATH)
        container = ElasticSearchContainer(
            f"docker.elastic.co/elasticsearch/elasticsearch:{ES_VERSION}", mem_limit="2g"
        ).with_volume_mapping(str(config / "analysis"), "/usr/share/elasticsearch/config/analysis", "rw")
        with container:
            yield Engine(container.get_url(), "testcontainers", ES_VERSION, [config])
        shutil.rmtree(config, ignore_errors=True)
        return

    settings = Settings.from_env({k: v for k, v in os.environ.items() if k != "PANIER_ES_URL"})
    data = Path(tempfile.mkdtemp(prefix="panier-es-test-"))
    engine = LocalEngine(
        home=settings.local_es_home, http_port=free_port(), heap=settings.local_es_heap, data_root=data
    )
    try:
        engine.start(clean=True, log=print)
        yield Engine(engine.url, "local", ES_VERSION, [engine.config_dir(1)], local=engine)
    finally:
        engine.stop()
        shutil.rmtree(data, ignore_errors=True)
