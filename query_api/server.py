"""Production serving: gunicorn (threaded workers) around the app factory."""

from __future__ import annotations

import glob
import os
import shutil
import tempfile

from gunicorn.app.base import BaseApplication

from panier_core.settings import Settings


class _Gunicorn(BaseApplication):
    def __init__(self, settings: Settings, options: dict):
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from query_api import create_app, places

        places.quebec_places()  # warm the near= table before forking
        return create_app(self.settings)


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
    metrics_dir, master = _metrics_dir(), os.getpid()
    try:
        _serve(settings, host=host, port=port, workers=workers, threads=threads)
    finally:
        # A worker leaving (sys.exit in the forked child) unwinds through here too: only the master
        # removes the directory, once all workers are gone.
        if metrics_dir and os.getpid() == master:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def _serve(settings: Settings, *, host: str, port: int, workers: int, threads: int) -> None:
    _Gunicorn(
        settings,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": 30,
            "graceful_timeout": 10,
            "accesslog": "-",
            "limit_request_line": 4096,
            # Build the app (and its place table) once in the master; workers share it.
            "preload_app": True,
            "child_exit": _worker_exited,
        },
    ).run()
