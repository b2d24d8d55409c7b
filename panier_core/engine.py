"""The one place that builds the Elasticsearch client from settings."""

from __future__ import annotations

from elasticsearch import Elasticsearch

from panier_core.settings import Settings


def build_client(settings: Settings) -> Elasticsearch:
    """A pooled, thread-safe client: bounded timeouts, retries on connection errors and timeouts.

    Authentication is an API key when set, else basic auth when set, else none (the local engine).
    """
    options: dict = {
        "request_timeout": settings.request_timeout,
        "max_retries": settings.max_retries,
        "retry_on_timeout": True,
    }
    if settings.es_api_key:
        options["api_key"] = settings.es_api_key
    elif settings.es_username and settings.es_password:
        options["basic_auth"] = (settings.es_username, settings.es_password)
    if settings.es_ca_certs:
        options["ca_certs"] = settings.es_ca_certs
    return Elasticsearch(settings.es_url, **options)
