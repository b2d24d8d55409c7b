"""Helpers the query API's tests share: the test corpus under a prefix and cleaning it up again, a
GET that must succeed, and a URL where nothing listens."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import elasticsearch
import pytest

from indexer.engine import search_events
from panier_core.settings import Settings

from . import corpus


def load_corpus(es, settings: Settings, directory: Path) -> None:
    assert corpus.load(es, settings, corpus.write(directory)) == 0


def drop_prefix(es, settings: Settings) -> None:
    """Delete what a test wrote under its prefix, the events' data stream where the engine can."""
    # 404: none written; 405: no data-streams module (the local engine)
    with contextlib.suppress(elasticsearch.ApiError):
        es.indices.delete_data_stream(name=search_events.data_stream(settings))
    prefix = settings.index_prefix
    names = [
        n for n in es.indices.get(index=f"{prefix}*", expand_wildcards="all").body if n.startswith(prefix)
    ]
    if names:
        es.indices.delete(index=",".join(names))
    # Refused while the data stream the local engine cannot delete still uses it.
    with contextlib.suppress(elasticsearch.ApiError):
        es.indices.delete_index_template(name=search_events.template_name(settings))


def get(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there once the socket is closed


REPO = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def panier_serve(
    log: Path, env: dict[str, str], *, workers: int, threads: int, ready: str = "/metrics"
) -> Iterator[str]:
    """`panier serve` in a subprocess with the environment `env`, its stderr in `log`; its base URL
    once `ready` answers 200, and it is stopped afterwards."""
    port = int(dead_url().rsplit(":", 1)[1])
    command = [sys.executable, "-m", "cli", "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--threads", str(threads)]
    with log.open("wb") as err:  # the child keeps its own copy of the descriptor
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=err)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}{ready}", timeout=2) as answer:
                if answer.status == 200:
                    break
            time.sleep(0.2)
        else:
            pytest.fail(f"panier serve did not start: {log.read_text()[-2000:]}")
        yield base
    finally:
        server.terminate()
        server.wait(30)
