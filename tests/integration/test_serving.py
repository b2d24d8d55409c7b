"""`panier serve` as clients reach it: gunicorn's own errors (414, 431, 400 on a request line or
header it cannot take) in the app's JSON shape, a worker at its bound of requests in flight
answering 503 at once, and a client over its rate limit answered 429, each with `Retry-After`.

Each server is a real `panier serve` (gunicorn) in a subprocess; the rate-limited one searches the
real engine's test corpus (api_settings, conftest.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .api_helpers import panier_serve


def fetch(url: str, timeout: float = 20) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@contextlib.contextmanager
def served(tmp: Path, *, threads: int = 4, **env: str) -> Iterator[str]:
    """`panier serve` (one worker) with `env` added to this process's environment; its base URL,
    once it answers (/metrics: it needs no engine)."""
    environment = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    environment.update(PANIER_ANALYTICS="off", **env)
    with panier_serve(tmp / "serve.log", environment, workers=1, threads=threads) as base:
        yield base


def raw(base: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send `request` as bytes on a new connection; the status, headers and body gunicorn answers
    before closing it."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(request)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split(" ")[1]), headers, body


def error_of(status: int, headers: dict[str, str], body: bytes, expected: int) -> dict:
    assert status == expected, body
    content_type = headers.get("content-type", headers.get("Content-Type"))
    assert content_type == "application/json"
    error = json.loads(body)
    assert set(error) == {"error"} and set(error["error"]) == {"status", "message"}
    assert error["error"]["status"] == expected
    return error["error"]


def shed_total(base: str, reason: str) -> float:
    text = fetch(f"{base}/metrics")[2].decode()
    line = f'panier_http_requests_shed_total{{reason="{reason}"}} '
    return next(float(row.removeprefix(line)) for row in text.splitlines() if row.startswith(line))


@pytest.fixture(scope="module")
def api(api_settings, tmp_path_factory) -> Iterator[str]:
    """The test corpus served by gunicorn, three searches a minute per client on each endpoint."""
    with served(
        tmp_path_factory.mktemp("served"),
        PANIER_ES_URL=api_settings.es_url,
        PANIER_INDEX_PREFIX=api_settings.index_prefix,
        PANIER_RATE_LIMIT="3/minute",
    ) as base:
        yield base


GET = b"GET /v1/suggest?q=fro HTTP/1.1\r\nHost: panier\r\n"


@pytest.mark.parametrize(
    ("request_bytes", "expected", "says"),
    [
        (b"GET /v1/suggest?q=" + b"a" * 5000 + b" HTTP/1.1\r\nHost: panier\r\n\r\n", 414, "4,096 bytes"),
        (GET + b"X-Large: " + b"a" * 9000 + b"\r\n\r\n", 431, "8,190 bytes"),
        (GET + b"".join(b"X-H%d: 1\r\n" % i for i in range(101)) + b"\r\n", 431, "100 headers"),
        (b"GET /v1/sug\x00gest HTTP/1.1\r\nHost: panier\r\n\r\n", 400, "malformed request"),
        (b"GET /v1/sug\xffgest HTTP/1.1\r\nHost: panier\r\n\r\n", 400, "malformed request"),
        (b"GET /v1/suggest HTTP/1.1\r\nHost: panier\r\nX-\x00: 1\r\n\r\n", 400, "malformed request"),
    ],
    ids=["414-long-url", "431-large-header", "431-many-headers", "400-nul", "400-0xff", "400-header"],
)
def test_what_gunicorn_refuses_before_the_app_comes_back_in_the_one_json_shape(
    api, request_bytes, expected, says
):
    status, headers, body = raw(api, request_bytes)
    error = error_of(status, headers, body, expected)
    assert says in error["message"]
    assert int(headers["content-length"]) == len(body)
    assert headers["connection"] == "close"


def test_over_its_rate_limit_a_client_gets_429_with_retry_after_and_health_never_does(api):
    before = shed_total(api, "rate_limit")
    for _ in range(3):
        assert fetch(f"{api}/v1/merchants?q=fromagerie")[0] == 200
    status, headers, body = fetch(f"{api}/v1/merchants?q=fromagerie")
    error = error_of(status, {k.lower(): v for k, v in headers.items()}, body, 429)
    assert "3 per 1 minute" in error["message"]
    assert 1 <= int(headers["Retry-After"]) <= 60
    for _ in range(5):  # neither limited nor counted against the client
        assert fetch(f"{api}/v1/health")[0] == 200
    assert fetch(f"{api}/v1/suggest?q=fro")[0] == 200  # each endpoint its own count
    assert shed_total(api, "rate_limit") == before + 1


@pytest.fixture
def black_hole() -> Iterator[str]:
    """An engine address that takes connections and never answers: each search waits there until
    PANIER_API_ENGINE_TIMEOUT, holding its place in the worker."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(64)  # never accepted: the kernel completes the connections, nobody reads them
        yield f"http://127.0.0.1:{s.getsockname()[1]}"


def test_a_worker_at_its_bound_of_requests_in_flight_answers_503_at_once(black_hole, tmp_path):
    with served(
        tmp_path,
        threads=4,
        PANIER_ES_URL=black_hole,
        PANIER_ES_MAX_RETRIES="0",
        PANIER_API_ENGINE_TIMEOUT="3",
        PANIER_API_MAX_IN_FLIGHT="1",
    ) as base:
        first: list[tuple[int, dict, bytes]] = []
        waiting = threading.Thread(target=lambda: first.append(fetch(f"{base}/v1/suggest?q=fro")))
        waiting.start()
        time.sleep(0.5)  # the first search is inside the app, waiting for the engine
        started = time.perf_counter()
        status, headers, body = fetch(f"{base}/v1/suggest?q=fro")
        answered_in = time.perf_counter() - started
        error = error_of(status, {k.lower(): v for k, v in headers.items()}, body, 503)
        assert error["message"] == "the server is busy; try again shortly"
        assert headers["Retry-After"] == "1"
        assert answered_in < 0.5  # at once, not after the first search
        assert shed_total(base, "in_flight") == 1  # /metrics is never shed
        assert waiting.is_alive()
        waiting.join(20)
        status, headers, body = first[0]
        assert status == 503  # the engine never answered: its own 503
        assert error_of(status, {k.lower(): v for k, v in headers.items()}, body, 503)["message"] != (
            "the server is busy; try again shortly"
        )
