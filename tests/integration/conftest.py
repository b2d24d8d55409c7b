from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch

from panier_core.engine import build_client
from panier_core.settings import Settings
from tests.conftest import ENGINE_USED

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
