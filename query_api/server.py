"""Production serving: gunicorn (threaded workers) around the app factory."""

from __future__ import annotations

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


def serve(settings: Settings, *, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the API until interrupted; each worker builds its own pooled engine client."""
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
        },
    ).run()
