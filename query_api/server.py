"""Production serving: gunicorn (threaded workers) around the app factory.

Two things happen here rather than in the app: load shedding (query_api/shedding.py), whose default
bound follows the worker's threads, and the answers gunicorn gives itself before the app sees a
request (a request line or headers it cannot take), which `Worker` puts in the app's error shape.
"""

from __future__ import annotations

import glob
import os
import shutil
import tempfile

from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

from panier_core.settings import Settings

LIMIT_REQUEST_LINE = 4096  # bytes of method, path, query and version (gunicorn's default too)


class _Gunicorn(BaseApplication):
    def __init__(self, settings: Settings, options: dict, max_in_flight: int):
        self.settings = settings
        self.options = options
        self.max_in_flight = max_in_flight
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from query_api import create_app, metrics, places, shedding

        places.quebec_places()  # warm the near= table before forking
        app = create_app(self.settings)
        if self.max_in_flight:
            # Built once in the master (preload_app): each forked worker has its own slots.
            app.wsgi_app = shedding.InFlightLimit(
                app.wsgi_app, self.max_in_flight, on_shed=metrics.SHED.labels("in_flight").inc
            )
        return app


class _StatusLine:
    """Stands in for the client's socket while gunicorn writes its own (HTML) error answer, and
    keeps only its status line: gunicorn keeps deciding the status, logging and the access line."""

    def __init__(self) -> None:
        self.written = b""

    def gettimeout(self) -> float:
        return 0.0  # "non-blocking already": util.write_nonblock then writes without touching it

    def sendall(self, data: bytes) -> None:
        self.written += data

    def status(self) -> tuple[int, str]:
        _, code, reason = self.written.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
        return int(code), reason


class Worker(ThreadWorker):
    """gunicorn's threaded worker, answering the errors it raises before the app in the app's shape.

    Only `handle_error` differs, which runs for a request gunicorn could not parse or take (or an
    app that failed beyond Flask's handlers): normal requests run exactly the stock code.
    """

    def handle_error(self, req, client, addr, exc) -> None:
        from query_api.errors import error_body

        written = _StatusLine()
        super().handle_error(req, written, addr, exc)
        try:
            status, reason = written.status()
        except ValueError:  # nothing written: a gunicorn we do not know
            status, reason = 500, "Internal Server Error"
        body = error_body(status, self._message(status, reason))
        head = (
            f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        try:
            util.write_nonblock(client, head.encode("latin-1") + body)
        except Exception:
            self.log.debug("Failed to send error message.")

    def _message(self, status: int, reason: str) -> str:
        cfg = self.cfg
        messages = {
            400: "malformed request: the request line or a header is not valid HTTP",
            414: f"request line too long: method, path and query at most {cfg.limit_request_line:,} bytes",
            431: (
                f"request headers too large: at most {cfg.limit_request_fields} headers "
                f"of {cfg.limit_request_field_size:,} bytes each"
            ),
            500: "internal error",
        }
        return messages.get(status, reason.lower())


def _metrics_dir() -> str | None:
    """Set up prometheus_client's multiprocess mode (see query_api/metrics.py).

    It must happen before prometheus_client is first imported, so before the app is built. Uses
    PROMETHEUS_MULTIPROC_DIR when set (emptied: values from a previous run must not add up), else a
    temporary directory, which is returned to be removed at exit.
    """
    chosen = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if chosen:
        os.makedirs(chosen, exist_ok=True)
        for stale in glob.glob(os.path.join(chosen, "*.db")):
            os.remove(stale)
        return None
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path = tempfile.mkdtemp(prefix="panier-metrics-")
    return path


def _worker_exited(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # its gauges (queue depth) leave the live sums


def serve(settings: Settings, *, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the API until interrupted; each worker builds its own pooled engine client."""
    from query_api.shedding import default_bound

    bound = default_bound(threads) if settings.max_in_flight is None else settings.max_in_flight
    metrics_dir, master = _metrics_dir(), os.getpid()
    try:
        _serve(settings, host=host, port=port, workers=workers, threads=threads, max_in_flight=bound)
    finally:
        # A worker leaving (sys.exit in the forked child) unwinds through here too: only the master
        # removes the directory, once all workers are gone.
        if metrics_dir and os.getpid() == master:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def _serve(
    settings: Settings, *, host: str, port: int, workers: int, threads: int, max_in_flight: int
) -> None:
    _Gunicorn(
        settings,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "query_api.server.Worker",  # gthread, its own errors in our shape
            "threads": threads,
            "timeout": 30,
            "graceful_timeout": 10,
            "accesslog": "-",
            "limit_request_line": LIMIT_REQUEST_LINE,
            # Build the app (and its place table) once in the master; workers share it.
            "preload_app": True,
            "child_exit": _worker_exited,
        },
        max_in_flight,
    ).run()
