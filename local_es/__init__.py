"""The local Elasticsearch runner: a real node resolved with Maven, started without Docker."""

from local_es.processes import LocalEngineError, free_port
from local_es.runner import ES_VERSION, EngineStatus, LocalEngine

__all__ = ["ES_VERSION", "EngineStatus", "LocalEngine", "LocalEngineError", "free_port"]
