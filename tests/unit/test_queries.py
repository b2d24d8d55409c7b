"""Query building is pure: validated parameters in, engine request body out."""

import json

import pytest

import mappings
from panier_core.settings import Settings
from query_api import queries
from query_api.queries import MerchantSearch, ProductPage, ProductSearch, Suggestions, Where
from query_api.schemas import LOOKUP, MERCHANT_SEARCH, PRODUCT_SEARCH, SUGGEST
from query_api.understanding import understand

TR = (46.3432, -72.5418)


def merchants(params: dict, location, radius_km: float) -> dict:
    return MerchantSearch(params, Where(location, radius_km), Settings()).request()


def products(params: dict, location, radius_km: float, quebec_boost: float = 1.25) -> ProductSearch:
    return ProductSearch(params, Where(location, radius_km), Settings(quebec_boost=quebec_boost))


def product_page(location, stores: int) -> dict:
    page = ProductPage("p-1", LOOKUP.load({"stores": str(stores)}), Where(location), Settings())
    return page.stores_request({"product_key": "gtin:0627843000013"})


def suggest(q: str, location, size: int) -> dict:
    raw = {"q": q, "size": str(size)} | (
        {"lat": str(location[0]), "lon": str(location[1])} if location else {}
    )
    return Suggestions(SUGGEST.load(raw), Settings()).request()


def test_shopper_text_only_reaches_match_queries_never_query_string():
    params = PRODUCT_SEARCH.load({"q": 'name:(a OR b) AND *["'})
    body = json.dumps(products(params, None, 25, 1.25).page_request())
    assert "query_string" not in body and "simple_query_string" not in body
    assert '"query": "name:(a OR b) AND *[\\""' in body


def test_text_is_typo_tolerant_on_unstemmed_names_keeping_the_first_letter_and_boosts_exact_name():
    q = queries.text_query("fromagerie", queries.MERCHANT_TEXT_FIELDS)["bool"]
    exact, fuzzy = q["should"][0]["multi_match"], q["should"][1]["multi_match"]
    assert "fuzziness" not in exact and exact["fields"] == queries.MERCHANT_TEXT_FIELDS
    assert (
        fuzzy["fuzziness"] == "AUTO:4,8"  # one typo from 4 letters, two from 8
        and fuzzy["prefix_length"] == 1
        and fuzzy["fields"] == ["name.words"]  # the name's own words, unstemmed
    )
    assert {"match_phrase": {"name": {"query": "fromagerie", "analyzer": "french_text", "boost": 2}}} in q[
        "should"
    ]
    assert {"term": {"name.exact": {"value": "fromagerie", "boost": 5}}} in q["should"]
    assert q["minimum_should_match"] == 1


def test_synonyms_apply_to_the_exact_clause_only_and_a_multi_word_synonym_is_not_a_phrase():
    exact, fuzzy, phrase, _ = queries.text_query("sirop d'érable", queries.PRODUCT_TEXT_FIELDS)["bool"][
        "should"
    ]
    # the search analyzer (with synonyms) is the fields' own; the phrase uses the index-time chain
    # and the typos the unstemmed words' own analyzer (neither has synonyms)
    assert "analyzer" not in exact["multi_match"] and "analyzer" not in fuzzy["multi_match"]
    assert exact["multi_match"]["auto_generate_synonyms_phrase_query"] is False
    assert phrase["match_phrase"]["name"]["analyzer"] == "french_text"
    products_mapping = mappings.load("products")
    words = products_mapping["mappings"]["properties"]["name"]["fields"]["words"]["analyzer"]
    chain = products_mapping["settings"]["index"]["analysis"]["analyzer"][words]["filter"]
    assert "fr_synonyms" not in chain and "fr_stemmer" not in chain


def test_products_collapse_on_the_product_key_and_stores_come_in_stock_then_nearest():
    params = PRODUCT_SEARCH.load({"stores": "4", "in_stock": "true"})
    assert products(params, TR, 10, 1.25).page_request()["collapse"] == {"field": "product_key"}
    stores = products(params, TR, 10).stores_request(["gtin:1", "gtin:2"])
    assert {"terms": {"product_key": ["gtin:1", "gtin:2"]}} in stores["query"]["bool"]["filter"]
    assert {"term": {"in_stock": True}} in stores["query"]["bool"]["filter"]  # same filters as the search
    top = stores["aggs"]["by_product"]["aggs"]["stores"]["top_hits"]
    assert top["size"] == 4 and top["sort"][0] == {"in_stock": "desc"} and "_geo_distance" in top["sort"][1]


def test_the_quebec_boost_is_a_weight_on_relevance_not_a_filter():
    body = products(PRODUCT_SEARCH.load({"q": "miel"}), None, 25, 1.25).page_request()
    functions = body["query"]["function_score"]["functions"]
    assert {"filter": {"term": {"quebec_product": True}}, "weight": 1.25} in functions
    assert all(
        "quebec_product" not in json.dumps(f)
        for f in body["query"]["function_score"]["query"]["bool"]["filter"]
    )
    unboosted = products(PRODUCT_SEARCH.load({"q": "miel"}), None, 25, 1.0).page_request()["query"]
    assert "quebec_product" not in json.dumps(unboosted["function_score"]["functions"])


def test_a_name_that_names_the_words_weighs_more_than_one_they_only_qualify():
    body = products(PRODUCT_SEARCH.load({"q": "steak"}), None, 25, 1.0).page_request()
    assert body["query"]["function_score"]["functions"] == [
        {"filter": {"match": {"name_head": "steak"}}, "weight": queries.products.HEAD_WEIGHT}
    ]
    browse = products(PRODUCT_SEARCH.load({}), None, 25, 1.0).page_request()["query"]
    assert "function_score" not in browse  # no words, no weights


def test_a_location_adds_a_radius_filter_a_distance_decay_and_a_distance_sort_key():
    body = merchants(MERCHANT_SEARCH.load({"q": "pain"}), TR, 10)
    assert body["query"]["function_score"]["functions"][0]["gauss"]["location"]["scale"] == "5.000km"
    inner = body["query"]["function_score"]["query"]["bool"]
    assert {"geo_distance": {"distance": "10km", "location": {"lat": TR[0], "lon": TR[1]}}} in inner["filter"]
    assert (
        body["sort"][0] == "_score"
        and "_geo_distance" in body["sort"][1]
        and body["sort"][-1] == {"id": "asc"}
    )


def test_paging_translates_to_from_and_size():
    body = merchants(MERCHANT_SEARCH.load({"page": "3", "per_page": "20"}), None, 25)
    assert (body["from"], body["size"]) == (40, 20)


def test_bbox_and_zoom_add_a_viewport_filter_and_clusters():
    params = MERCHANT_SEARCH.load({"bbox": "-74,45.3,-73.4,45.7", "zoom": "8"})
    body = merchants(params, None, 25)
    viewport = {"top_left": {"lat": 45.7, "lon": -74.0}, "bottom_right": {"lat": 45.3, "lon": -73.4}}
    assert {"geo_bounding_box": {"location": viewport}} in body["query"]["bool"]["filter"]
    assert body["aggs"]["clusters"]["geotile_grid"]["precision"] == 11


def test_a_search_with_words_counts_its_facets_in_the_page_request_and_one_without_does_not():
    with_words = products(PRODUCT_SEARCH.load({"q": "miel", "in_stock": "true"}), TR, 25, 1.25).page_request()
    assert with_words["track_total_hits"] is True
    assert set(with_words["aggs"]) == {"products", "category", "brand", "certification", "quebec", "price"}
    assert "stock" not in with_words["_source"] and "product_key" in with_words["_source"]
    without = products(PRODUCT_SEARCH.load({"in_stock": "true"}), TR, 25, 1.25).page_request()
    assert set(without["aggs"]) == {"products"}  # listing and product totals only: facets come next


def test_recounted_facets_are_exact_up_to_twenty_thousand_listings_then_sampled_to_about_ten_thousand():
    assert queries.facet_probability(1) == queries.facet_probability(20_000) == 1.0
    assert queries.facet_probability(20_001) < 0.5
    assert queries.facet_probability(1_500_000) * 1_500_000 == pytest.approx(queries.FACET_SAMPLE)


def test_recounted_facets_count_the_same_listings_as_the_search_without_scoring_them():
    params = PRODUCT_SEARCH.load(
        {"q": "miel", "in_stock": "true", "bbox": "-74,45.3,-73.4,45.7", "zoom": "8"}
    )
    search = products(params, TR, 25, 1.25).page_request()["query"]["function_score"]["query"]["bool"]
    facets = products(params, TR, 25).facets_request(500_000)
    query = facets["query"]["bool"]
    assert query["filter"] == search["must"] + search["filter"]  # text, radius, stock, viewport
    assert query["must_not"] == search["must_not"] == [{"term": {"merchant.active": False}}]
    sampler = facets["aggs"]["sample"]
    assert sampler["random_sampler"]["probability"] == queries.facet_probability(500_000)
    assert set(sampler["aggs"]) == {"category", "brand", "certification", "quebec", "price"}
    assert facets["size"] == 0 and "clusters" not in json.dumps(facets)  # clusters stay exact, on the page


def test_stores_and_recounted_facets_go_in_one_msearch_that_skips_the_request_cache():
    params = PRODUCT_SEARCH.load({})
    lines = products(params, None, 25).follow_up_requests(["gtin:1"], 50_000)
    assert [line.get("index") for line in lines[::2]] == ["products", "products"]
    assert all(line["request_cache"] is False for line in lines[::2])
    assert "by_product" in lines[1]["aggs"] and "sample" in lines[3]["aggs"]
    only_stores = products(params, None, 25).follow_up_requests(["gtin:1"], None)
    assert len(only_stores) == 2 and "by_product" in only_stores[1]["aggs"]  # the page counted them all
    assert products(params, None, 25).follow_up_requests([], None) == []  # nothing more to ask


# -- every engine request, whole, against its golden file (pytest --update-golden rewrites them) --

BBOX = "-74,45.3,-73.4,45.7"
SEARCH_AFTER = [1.25, "m-tr-01"]  # what the route opens a cursor into (query_api/cursors.py)
PRODUCT_KEYS = ["gtin:0627843000013", "name:miel|rucher boreal"]


def _merchants(raw: dict, location, radius: float):
    return lambda: merchants(MERCHANT_SEARCH.load(raw), location, radius)


def _products(raw: dict, location, radius: float, boost: float = 1.25):
    return lambda: products(PRODUCT_SEARCH.load(raw), location, radius, boost).page_request()


BODIES = {
    "merchants-words-near": _merchants({"q": "fromagerie"}, TR, 10),
    "merchants-near-by-distance-cursor": lambda: merchants(
        {
            **MERCHANT_SEARCH.load({"sort": "distance", "lat": str(TR[0]), "lon": str(TR[1])}),
            "cursor": SEARCH_AFTER,
        },
        TR,
        15,
    ),
    "merchants-filters-page-3": _merchants(
        {"category": "Épicerie fine", "service": "livraison", "region": "Mauricie", "page": "3"}, None, 25
    ),
    "merchants-map": _merchants({"q": "pain", "bbox": BBOX, "zoom": "8"}, None, 25),
    "merchants-words-with-carriers": lambda: MerchantSearch(
        MERCHANT_SEARCH.load({"q": "cretons"}), Where(TR, 10), Settings()
    ).request(["m-tr-01", "m-tr-03"]),
    "carriers-of-words-near": lambda: MerchantSearch(
        MERCHANT_SEARCH.load({"q": "cretons", "service": "livraison", "region": "Mauricie"}),
        Where(TR, 10),
        Settings(),
    ).carriers_request(),
    "products-words-near": _products({"q": "sirop d'érable", "in_stock": "true"}, TR, 25),
    "products-near-no-words": _products({"in_stock": "true", "quebec": "true"}, TR, 50),
    "products-words-by-distance": _products(
        {"q": "miel", "sort": "distance", "lat": str(TR[0]), "lon": str(TR[1])}, TR, 10
    ),
    "products-by-price-filters-no-boost": _products(
        {
            "sort": "price",
            "brand": "Garant",
            "category": "Épicerie",
            "quebec": "false",
            "min_price": "2",
            "max_price": "20",
        },
        None,
        25,
        1.0,
    ),
    "products-words-nowhere": _products({"q": "miel", "per_page": "5", "page": "2"}, None, 25),
    "products-understood-quebec-organic": lambda: ProductSearch(
        PRODUCT_SEARCH.load({"q": "fromage"}), Where(TR, 25), Settings(), understand("fromage québécois bio")
    ).page_request(),
    "products-map": _products({"q": "cidre", "bbox": BBOX, "zoom": "8"}, TR, 25),
    "stores-of-products-near": lambda: products(
        PRODUCT_SEARCH.load({"stores": "4", "in_stock": "true", "bbox": BBOX}), TR, 10
    ).stores_request(PRODUCT_KEYS),
    "stores-of-products": lambda: products(PRODUCT_SEARCH.load({}), None, 25).stores_request(PRODUCT_KEYS),
    "product-facets-sampled": lambda: products(
        PRODUCT_SEARCH.load({"in_stock": "true", "zoom": "8"}), TR, 25
    ).facets_request(500_000),
    "product-facets-exact": lambda: products(PRODUCT_SEARCH.load({}), None, 25).facets_request(5_000),
    "follow-up-searches": lambda: products(PRODUCT_SEARCH.load({"stores": "2"}), TR, 25).follow_up_requests(
        PRODUCT_KEYS, 50_000
    ),
    "stores-for-product-near": lambda: product_page(TR, 20),
    "stores-for-product": lambda: product_page(None, 5),
    "suggest-near": lambda: suggest("fromage", TR, 8),
    "suggest-short": lambda: suggest("fr", None, 5),
}


@pytest.mark.parametrize("case", sorted(BODIES))
def test_each_engine_request_is_exactly_its_golden_file(golden, case):
    golden(f"queries/{case}", BODIES[case]())
