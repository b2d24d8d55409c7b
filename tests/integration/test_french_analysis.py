"""The French analysis chain, asked of the engine itself through _analyze."""

from __future__ import annotations

from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

import mappings
from indexer.engine import aliases
from panier_core.settings import Settings


def tokens(es: Elasticsearch, index: str, analyzer: str, text: str) -> list[str]:
    return [t["token"] for t in es.indices.analyze(index=index, analyzer=analyzer, text=text)["tokens"]]


@pytest.fixture
def merchants(es: Elasticsearch, settings: Settings) -> str:
    aliases.ensure_aliases(es, settings)
    return settings.alias("merchants")


def test_elided_accented_capitalised_word_and_bare_word_give_the_same_tokens(es, merchants):
    assert tokens(es, merchants, "french_text", "L'Érable") == tokens(es, merchants, "french_text", "erable")
    assert tokens(es, merchants, "french_text", "l’érable") == tokens(es, merchants, "french_text", "erable")


def test_plural_and_singular_stem_alike(es, merchants):
    assert tokens(es, merchants, "french_text", "pommes") == tokens(es, merchants, "french_text", "pomme")
    assert tokens(es, merchants, "french_text", "fromageries") == tokens(
        es, merchants, "french_text", "fromagerie"
    )


def test_elision_is_dropped(es, merchants):
    miel = tokens(es, merchants, "french_text", "miel d'abeille")
    assert miel == tokens(es, merchants, "french_text", "miel abeille")
    assert not any("'" in t or t == "d" for t in miel)
    assert tokens(es, merchants, "french_text", "jusqu'à lorsqu'il") == []


def test_stop_words_vanish(es, merchants):
    assert tokens(es, merchants, "french_text", "le sirop de la cabane et des bleuets") == [
        "sirop",
        "caban",
        "bleuet",
    ]


def test_synonyms_expand_at_search_time_only(es, merchants):
    at_search = tokens(es, merchants, "french_search", "bleuets")
    at_index = tokens(es, merchants, "french_text", "bleuets")
    assert "myrtil" in at_search and "bleuet" in at_search
    assert at_index == ["bleuet"]
    # A multi-word Quebec term typed without accents still matches its rule. "maïs" folds to
    # "mais", which is why "mais" (but) is not among our stop words.
    [mais] = tokens(es, merchants, "french_text", "maïs")
    assert mais in tokens(es, merchants, "french_search", "ble d'Inde")


def test_a_search_for_the_quebec_word_finds_the_france_word(es, merchants):
    es.index(index=merchants, id="m-1", document={"id": "m-1", "name": "Tarte aux myrtilles"}, refresh=True)
    hits = es.search(index=merchants, query={"match": {"name": "bleuets"}})["hits"]["hits"]
    assert [h["_id"] for h in hits] == ["m-1"]


def test_english_and_ambiguous_quebec_words_find_what_they_mean_and_nothing_else(es, merchants):
    names = {
        "syrup": "Sirop d'érable pur",
        "socks": "Chaussettes de laine",
        "fleuve": "Fromagerie du Bas-du-Fleuve",
        "candy": "Sucreries fines",
        "shack": "Érablière du Rang 4",
        "soda": "Boisson gazeuse à l'orange",
        "spirit": "Liqueur de fraise",
        "curds": "Fromage en grains frais",
    }
    for doc_id, name in names.items():
        es.index(index=merchants, id=doc_id, document={"id": doc_id, "name": name})
    es.indices.refresh(index=merchants)

    def found(q: str) -> set[str]:
        match = {"query": q, "operator": "and", "auto_generate_synonyms_phrase_query": False}
        query = {"match": {"name": match}}
        return {h["_id"] for h in es.search(index=merchants, query=query)["hits"]["hits"]}

    assert found("maple syrup") == {"syrup"}
    assert found("cheese curds") == {"curds"}
    assert found("bas") >= {"socks"}  # the Quebec word finds socks
    assert found("chaussettes") == {"socks"}  # and socks do not bring back « Bas-du-Fleuve »
    assert found("érablière") == {"shack"}  # not the candies (« sucrerie » stems like « sucre »)
    assert found("liqueur") == {"soda", "spirit"}  # a Quebec soft drink, or a liqueur
    assert found("boisson gazeuse") == {"soda"}


def test_synonyms_file_can_change_and_reload_without_reindex(es, engine, merchants, tmp_path):
    index_before = aliases.indices_of(es, merchants)
    assert tokens(es, merchants, "french_search", "gadelles") == ["gadel"]
    edited = tmp_path / "synonyms_fr.txt"
    edited.write_text(
        mappings.synonyms_file().read_text(encoding="utf-8") + "\ngadelle, gadelles, groseille, groseilles\n"
    )
    if not engine.install_synonyms(edited):
        pytest.skip("the engine's config directory is not writable from here (set PANIER_ES_CONFIG_DIR)")
    try:
        es.indices.reload_search_analyzers(index=merchants)
        assert "groseil" in tokens(es, merchants, "french_search", "gadelles")
        assert aliases.indices_of(es, merchants) == index_before
    finally:
        engine.install_synonyms(mappings.synonyms_file())
        es.indices.reload_search_analyzers(index=merchants)
    assert tokens(es, merchants, "french_search", "gadelles") == ["gadel"]


def test_keyword_normalizer_folds_case_and_accents_for_filters(es, merchants):
    es.index(
        index=merchants,
        id="m-2",
        document={"id": "m-2", "name": "Chez Lulu", "categories": ["Épicerie fine"]},
        refresh=True,
    )
    hits = es.search(index=merchants, query={"term": {"categories.folded": "EPICERIE FINE"}})["hits"]["hits"]
    assert [h["_id"] for h in hits] == ["m-2"]
    facet = es.search(index=merchants, size=0, aggs={"c": {"terms": {"field": "categories"}}})
    assert facet["aggregations"]["c"]["buckets"][0]["key"] == "Épicerie fine"


def test_both_indices_use_the_same_analysis(es, settings):
    aliases.ensure_aliases(es, settings)
    text = "Les Fromageries d'Orléans"
    assert tokens(es, settings.alias("merchants"), "french_search", text) == tokens(
        es, settings.alias("products"), "french_search", text
    )


def test_shipped_synonyms_file_is_the_one_the_engine_reads(engine):
    if not engine.config_dirs:
        pytest.skip("the engine's config directory is not visible from here")
    installed = Path(engine.config_dirs[0]) / mappings.SYNONYMS_ENGINE_PATH
    assert installed.read_text(encoding="utf-8") == mappings.synonyms_file().read_text(encoding="utf-8")
