"""The mapping files are valid data with one French analysis chain that every field refers to."""

import json
import re

import pytest

import mappings
from local_es import ES_VERSION
from local_es.runner import RUNNER_SOURCES

# Components Elasticsearch provides without configuration that our analyzers may name.
BUILTIN_FILTERS = {"lowercase", "asciifolding"}
BUILTIN_ANALYZERS = {"standard", "simple", "keyword", "whitespace"}


def walk_fields(properties: dict, prefix: str = ""):
    for name, spec in properties.items():
        path = f"{prefix}{name}"
        yield path, spec
        if "properties" in spec:
            yield from walk_fields(spec["properties"], f"{path}.")
        if "fields" in spec:
            yield from walk_fields(spec["fields"], f"{path}.")


@pytest.mark.parametrize("name", mappings.INDEX_NAMES)
def test_each_mapping_is_a_complete_index_body(name):
    body = mappings.load(name)
    assert set(body) == {"settings", "mappings"}
    assert body["mappings"]["dynamic"] == "strict"
    assert body["mappings"]["_meta"]["panier_mapping"] == name


def test_load_returns_a_fresh_copy_each_time():
    first = mappings.load("merchants")
    first["settings"]["index"]["number_of_shards"] = 99
    assert mappings.load("merchants")["settings"]["index"]["number_of_shards"] == 1


def test_unknown_mapping_name_is_a_clear_error():
    with pytest.raises(KeyError, match="no mapping named 'shops'"):
        mappings.load("shops")


def test_merchants_and_products_share_one_analysis_chain():
    analyses = [mappings.load(n)["settings"]["index"]["analysis"] for n in mappings.INDEX_NAMES]
    assert analyses[0] == analyses[1]


def test_french_chain_has_elision_folding_stop_words_and_light_stemming():
    analysis = mappings.load("merchants")["settings"]["index"]["analysis"]
    filters = analysis["filter"]
    assert set(filters["fr_elision"]["articles"]) == {
        "l", "d", "qu", "j", "s", "c", "n", "m", "t", "jusqu", "lorsqu", "puisqu",
    }  # fmt: skip
    assert filters["fr_elision"]["articles_case"] is True
    assert filters["fr_stemmer"]["language"] == "light_french"
    stop = filters["fr_stop"]["stopwords"]
    assert {"le", "la", "les", "de", "des", "du", "et"} <= set(stop)
    assert all(w.isascii() for w in stop), "stop words are matched after accent folding"
    assert "mais" not in stop, "maïs folds to mais"
    assert analysis["analyzer"]["french_text"]["filter"] == [
        "fr_elision", "lowercase", "asciifolding", "fr_stop", "fr_stemmer",
    ]  # fmt: skip
    # Search adds the synonyms, after folding (accent-insensitive) and before stop words.
    assert analysis["analyzer"]["french_search"]["filter"] == [
        "fr_elision", "lowercase", "asciifolding", "fr_synonyms", "fr_stop", "fr_stemmer",
    ]  # fmt: skip
    synonyms = filters["fr_synonyms"]
    assert synonyms["updateable"] is True
    assert synonyms["synonyms_path"] == mappings.SYNONYMS_ENGINE_PATH


@pytest.mark.parametrize("name", mappings.INDEX_NAMES)
def test_every_field_names_a_defined_analyzer_or_normalizer(name):
    body = mappings.load(name)
    analysis = body["settings"]["index"]["analysis"]
    for analyzer in analysis["analyzer"].values():
        for f in analyzer["filter"]:
            assert f in analysis["filter"] or f in BUILTIN_FILTERS, f
    for path, spec in walk_fields(body["mappings"]["properties"]):
        for key in ("analyzer", "search_analyzer"):
            if key in spec:
                assert spec[key] in analysis["analyzer"] or spec[key] in BUILTIN_ANALYZERS, (path, spec[key])
        if "normalizer" in spec:
            assert spec["normalizer"] in analysis["normalizer"], path


def test_locations_are_geo_points_and_dates_are_dates():
    merchants = dict(walk_fields(mappings.load("merchants")["mappings"]["properties"]))
    products = dict(walk_fields(mappings.load("products")["mappings"]["properties"]))
    assert merchants["location"]["type"] == "geo_point"
    assert products["merchant.location"]["type"] == "geo_point"
    for fields in (merchants, products):
        assert fields["updated_at"]["type"] == fields["indexed_at"]["type"] == "date"
        assert fields["suggest"]["type"] == "completion"
        assert fields["name.prefix"]["analyzer"] == "folded_prefix"
        assert fields["name.exact"]["normalizer"] == "folded_keyword"


def test_products_carry_the_merchant_fields_a_listing_search_needs():
    products = dict(walk_fields(mappings.load("products")["mappings"]["properties"]))
    for field in ("merchant.id", "merchant.name", "merchant.city", "merchant.region", "merchant.services"):
        assert field in products
    assert products["product_key"]["type"] == "keyword"
    assert products["stock.quantity"]["type"] == "integer"


def test_synonyms_file_lines_are_solr_rules():
    for number, line in enumerate(mappings.synonyms_file().read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        assert "," in line or "=>" in line, f"line {number}: {line!r} is not a rule"
        assert all(term.strip() for term in re.split(r",|=>", line)), f"line {number} has an empty term"


def test_the_runner_pom_and_python_agree_on_the_elasticsearch_version():
    pom = (RUNNER_SOURCES / "pom.xml").read_text()
    assert re.search(r"<es.version>([^<]+)</es.version>", pom).group(1) == ES_VERSION


def test_mapping_files_are_plain_json_the_engine_would_accept_verbatim():
    for name in mappings.INDEX_NAMES:
        text = (mappings.synonyms_file().parent / f"{name}.json").read_text(encoding="utf-8")
        assert json.loads(text) == mappings.load(name)
