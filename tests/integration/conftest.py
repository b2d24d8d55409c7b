from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch
from flask import Flask
from flask.testing import FlaskClient

from panier_core.engine import build_client
from panier_core.settings import Settings
from query_api import create_app
from tests.conftest import ENGINE_USED

from .api_helpers import drop_prefix, load_corpus
from .engine import Engine, provide_engine


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    with provide_engine() as engine:
        description = f"Elasticsearch {engine.version} ({engine.kind}) at {engine.url}"
        ENGINE_USED.append(description)
        print(f"\nEngine: {description}")
        yield engine


@pytest.fixture(scope="session")
def es(engine: Engine) -> Iterator[Elasticsearch]:
    client = build_client(Settings(es_url=engine.url))
    yield client
    client.close()


@pytest.fixture
def settings(engine: Engine, es: Elasticsearch) -> Iterator[Settings]:
    """Settings with an index prefix of this test's own, so tests never see each other's data."""
    prefix = f"t{uuid.uuid4().hex[:10]}-"
    yield Settings(es_url=engine.url, index_prefix=prefix)
    names = list(es.indices.get(index=f"{prefix}*", expand_wildcards="all").body)
    if names:
        es.indices.delete(index=",".join(names))


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The test's settings as environment variables, for driving the CLI."""
    monkeypatch.setenv("PANIER_ES_URL", settings.es_url)
    monkeypatch.setenv("PANIER_INDEX_PREFIX", settings.index_prefix)
    return settings


@pytest.fixture(scope="module")
def api_settings(
    engine: Engine, es: Elasticsearch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """Settings whose own prefix holds the test corpus (corpus.py), loaded once per module and
    deleted after it. A module may override this fixture (asking for it to start from it)."""
    settings = Settings(es_url=engine.url, index_prefix=f"api{uuid.uuid4().hex[:8]}-")
    load_corpus(es, settings, tmp_path_factory.mktemp("corpus"))
    yield settings
    drop_prefix(es, settings)


@pytest.fixture(scope="module")
def app(api_settings: Settings) -> Flask:
    return create_app(api_settings)


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()
