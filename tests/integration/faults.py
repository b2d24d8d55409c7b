"""A small HTTP proxy in front of the real engine that can inject the faults a load must survive:
whole requests answered 429, bulk items marked 429 in the response, or the engine "going away".

Everything is forwarded to the real engine otherwise; nothing here imitates its behaviour.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse


@dataclass
class FaultPlan:
    reject_bulk_requests: int = 0  # answer the next N _bulk requests with 429 without forwarding
    # In the next N _bulk requests, withhold every 3rd action from the engine and answer it with an
    # item-level 429, as a node with a full write queue does: that document was NOT indexed.
    reject_items: int = 0
    down: bool = False  # refuse every request (connection closed without answer)
    seen_bulk_requests: int = 0
    rejected_items: int = 0
    on_bulk: Callable[[int], None] | None = None


class FaultProxy:
    def __init__(self, upstream: str):
        self.upstream = urlparse(upstream)
        self.plan = FaultPlan()
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def _handle(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else None
                is_bulk = "/_bulk" in self.path
                with proxy.lock:
                    plan = proxy.plan
                    if plan.down:
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    reject = is_bulk and plan.reject_bulk_requests > 0
                    if reject:
                        plan.reject_bulk_requests -= 1
                    withhold = is_bulk and not reject and plan.reject_items > 0 and body is not None
                    if withhold:
                        plan.reject_items -= 1
                    if is_bulk:
                        plan.seen_bulk_requests += 1
                        callback = plan.on_bulk
                        number = plan.seen_bulk_requests
                    else:
                        callback = None
                if callback:
                    callback(number)
                if reject:
                    payload = json.dumps(
                        {"error": {"type": "es_rejected_execution_exception"}, "status": 429}
                    )
                    return self._reply(429, payload.encode(), "application/json")
                withheld: list[int] = []
                if withhold:
                    body, withheld = proxy._withhold(body)
                    if not body:  # every action withheld: nothing reaches the engine
                        data = proxy._merge_rejections(b"", withheld)
                        return self._reply(200, data, "application/json")
                conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=120)
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in ("host", "connection", "content-length")
                }
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                content_type = resp.getheader("content-type", "application/json")
                extra = {"X-Elastic-Product": resp.getheader("X-Elastic-Product", "Elasticsearch")}
                conn.close()
                if withheld and resp.status == 200:
                    data = proxy._merge_rejections(data, withheld)
                self._reply(resp.status, data, content_type, extra)

            def _reply(self, status, data, content_type, extra=None):
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(data)))
                self.send_header("X-Elastic-Product", "Elasticsearch")
                for k, v in (extra or {}).items():
                    if k != "X-Elastic-Product":
                        self.send_header(k, v)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _withhold(self, body: bytes) -> tuple[bytes, list[int]]:
        lines = body.splitlines()
        pairs = [lines[i : i + 2] for i in range(0, len(lines), 2)]
        withheld = [i for i in range(len(pairs)) if i % 3 == 0]
        kept = [pair for i, pair in enumerate(pairs) if i % 3 != 0]
        with self.lock:
            self.plan.rejected_items += len(withheld)
        forwarded = b"\n".join(line for pair in kept for line in pair) + b"\n"
        return (forwarded if kept else b""), withheld

    def _merge_rejections(self, data: bytes, withheld: list[int]) -> bytes:
        response = json.loads(data) if data else {"items": []}
        forwarded = iter(response.get("items", []))
        items = []
        for position in range(len(withheld) + len(response.get("items", []))):
            if position in withheld:
                items.append(
                    {
                        "create": {
                            "status": 429,
                            "error": {
                                "type": "es_rejected_execution_exception",
                                "reason": "rejected by the test proxy",
                            },
                        }
                    }
                )
            else:
                items.append(next(forwarded))
        return json.dumps({"errors": True, "items": items}).encode()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
