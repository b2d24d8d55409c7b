"""A product name's head ranks listings that *are* what the shopper named before listings the words
only qualify (« steak »: a bifteck before steak spices), on a real engine."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch

from panier_core.settings import Settings

from . import corpus
from .api_helpers import drop_prefix, get

EXTRA = [
    ("p-n1", "m-tr-05", "Épices à steak, 75 g", "Épices Boréales", 4.99),
    ("p-n2", "m-tr-03", "Bifteck de surlonge, 400 g", "Ferme Gagnon", 14.99),
    ("p-n3", "m-tr-02", "Sauce à steak", "Chez Julie", 5.49),
]


@pytest.fixture(scope="module")
def api_settings(engine, es: Elasticsearch, tmp_path_factory) -> Iterator[Settings]:
    """The test corpus plus listings named « … à steak » and a bifteck (a synonym of steak)."""
    settings = Settings(es_url=engine.url, index_prefix=f"names{uuid.uuid4().hex[:8]}-")
    directory = corpus.write(tmp_path_factory.mktemp("names"))
    with open(directory / "products.jsonl", "a", encoding="utf-8") as fh:
        for pid, mid, name, brand, price in EXTRA:
            record = {"id": pid, "merchant_id": mid, "name": name, "brand": brand, "categories": ["Épicerie"],
                      "price": price, "stock": {"quantity": 5}, "updated_at": corpus.NOW}  # fmt: skip
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    assert corpus.load(es, settings, directory) == 0
    yield settings
    drop_prefix(es, settings)


def test_what_the_name_names_ranks_before_what_it_is_for(client):
    names = [item["name"] for item in get(client, "/v1/products?q=steak")["items"]]
    assert names[0] == "Bifteck de surlonge, 400 g"
    assert set(names[1:]) == {"Épices à steak, 75 g", "Sauce à steak"}  # still found, after it


def test_the_head_is_never_shown(client):
    item = get(client, "/v1/products?q=steak")["items"][0]
    assert "name_head" not in item
