"""Query building is pure: validated parameters in, engine request body out."""

import json

from query_api import queries
from query_api.schemas import MERCHANT_SEARCH, PRODUCT_SEARCH

TR = (46.3432, -72.5418)


def test_shopper_text_only_reaches_match_queries_never_query_string():
    params = PRODUCT_SEARCH.load({"q": 'name:(a OR b) AND *["'})
    body = json.dumps(queries.products_search(params, None, 25, 1.25))
    assert "query_string" not in body and "simple_query_string" not in body
    assert '"query": "name:(a OR b) AND *[\\""' in body


def test_text_is_typo_tolerant_on_names_with_a_prefix_and_boosts_phrase_and_exact_name():
    q = queries.text_query("fromagerie", queries.MERCHANT_TEXT_FIELDS)["bool"]
    exact, fuzzy = q["should"][0]["multi_match"], q["should"][1]["multi_match"]
    assert "fuzziness" not in exact and exact["fields"] == queries.MERCHANT_TEXT_FIELDS
    assert (
        fuzzy["fuzziness"] == "AUTO"
        and fuzzy["prefix_length"] == 1
        and fuzzy["fields"] == ["name", "brand.text"]
    )
    assert {"match_phrase": {"name": {"query": "fromagerie", "boost": 2}}} in q["should"]
    assert {"term": {"name.exact": {"value": "fromagerie", "boost": 5}}} in q["should"]
    assert q["minimum_should_match"] == 1


def test_products_collapse_on_the_product_key_and_stores_come_in_stock_then_nearest():
    params = PRODUCT_SEARCH.load({"stores": "4", "in_stock": "true"})
    assert queries.products_search(params, TR, 10, 1.25)["collapse"] == {"field": "product_key"}
    stores = queries.stores_of_products(["gtin:1", "gtin:2"], params, TR, 10)
    assert {"terms": {"product_key": ["gtin:1", "gtin:2"]}} in stores["query"]["bool"]["filter"]
    assert {"term": {"in_stock": True}} in stores["query"]["bool"]["filter"]  # same filters as the search
    top = stores["aggs"]["by_product"]["aggs"]["stores"]["top_hits"]
    assert top["size"] == 4 and top["sort"][0] == {"in_stock": "desc"} and "_geo_distance" in top["sort"][1]


def test_the_quebec_boost_is_a_weight_on_relevance_not_a_filter():
    body = queries.products_search(PRODUCT_SEARCH.load({"q": "miel"}), None, 25, 1.25)
    functions = body["query"]["function_score"]["functions"]
    assert {"filter": {"term": {"quebec_product": True}}, "weight": 1.25} in functions
    assert all(
        "quebec_product" not in json.dumps(f)
        for f in body["query"]["function_score"]["query"]["bool"]["filter"]
    )
    assert (
        "function_score"
        not in queries.products_search(PRODUCT_SEARCH.load({"q": "miel"}), None, 25, 1.0)["query"]
    )


def test_a_location_adds_a_radius_filter_a_distance_decay_and_a_distance_sort_key():
    body = queries.merchants_search(MERCHANT_SEARCH.load({"q": "pain"}), TR, 10)
    assert body["query"]["function_score"]["functions"][0]["gauss"]["location"]["scale"] == "5.000km"
    inner = body["query"]["function_score"]["query"]["bool"]
    assert {"geo_distance": {"distance": "10km", "location": {"lat": TR[0], "lon": TR[1]}}} in inner["filter"]
    assert (
        body["sort"][0] == "_score"
        and "_geo_distance" in body["sort"][1]
        and body["sort"][-1] == {"id": "asc"}
    )


def test_paging_translates_to_from_and_size():
    body = queries.merchants_search(MERCHANT_SEARCH.load({"page": "3", "per_page": "20"}), None, 25)
    assert (body["from"], body["size"]) == (40, 20)


def test_bbox_and_zoom_add_a_viewport_filter_and_clusters():
    params = MERCHANT_SEARCH.load({"bbox": "-74,45.3,-73.4,45.7", "zoom": "8"})
    body = queries.merchants_search(params, None, 25)
    viewport = {"top_left": {"lat": 45.7, "lon": -74.0}, "bottom_right": {"lat": 45.3, "lon": -73.4}}
    assert {"geo_bounding_box": {"location": viewport}} in body["query"]["bool"]["filter"]
    assert body["aggs"]["clusters"]["geotile_grid"]["precision"] == 11
