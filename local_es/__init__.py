"""The local Elasticsearch runner: a real node resolved with Maven, started without Docker."""

from local_es.runner import ES_VERSION, EngineStatus, LocalEngine, LocalEngineError, free_port

__all__ = ["ES_VERSION", "EngineStatus", "LocalEngine", "LocalEngineError", "free_port"]
