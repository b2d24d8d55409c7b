"""The shopper API against a real engine: geo, French text, grouped products, the Quebec boost."""

from __future__ import annotations

import pytest

from . import corpus
from .api_helpers import get

# The client and its corpus (api_settings) come from conftest.py.
TR = corpus.TROIS_RIVIERES
AT_TR = f"lat={TR[0]}&lon={TR[1]}"


def ids(body: dict) -> list[str]:
    return [item["id"] for item in body["items"]]


def names(body: dict) -> list[str]:
    return [item["name"] for item in body["items"]]


# -- geo ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("radius", [2, 5, 10, 15, 25, 100])
def test_every_merchant_within_the_radius_is_returned_and_none_outside(client, radius):
    body = get(client, f"/v1/merchants?{AT_TR}&radius_km={radius}&per_page=100")
    expected = {
        mid for mid, *_ in corpus.MERCHANTS if corpus.haversine_km(TR, corpus.location_of(mid)) <= radius
    }
    assert set(ids(body)) == expected
    assert body["total"] == len(expected)


def test_distance_sort_is_monotonic_and_distances_agree_with_haversine(client):
    body = get(client, f"/v1/merchants?{AT_TR}&radius_km=200&sort=distance&per_page=100")
    distances = [item["distance_km"] for item in body["items"]]
    assert distances == sorted(distances) and len(distances) == len(corpus.MERCHANTS)
    for item in body["items"]:
        expected = corpus.haversine_km(TR, corpus.location_of(item["id"]))
        assert item["distance_km"] == pytest.approx(expected, rel=0.005, abs=0.002)


def test_relevance_with_a_location_prefers_the_nearer_of_two_equal_text_matches(client):
    body = get(client, f"/v1/merchants?q=fromagerie&{AT_TR}&radius_km=200")
    assert ids(body) == ["m-tr-01", "m-mtl-1"]
    assert body["items"][0]["distance_km"] < body["items"][1]["distance_km"]


def test_merchant_facets_count_categories_regions_and_services(client):
    body = get(client, f"/v1/merchants?{AT_TR}&radius_km=10")
    facets = body["facets"]
    assert {"value": "Alimentation", "count": 5} in facets["category"]
    assert facets["region"] == [{"value": "Mauricie", "count": 5}]
    assert {"value": "cueillette", "count": 2} in facets["service"]


def test_filters_by_category_service_and_region_ignore_case_and_accents(client):
    assert ids(get(client, "/v1/merchants?category=EPICERIE%20FINE")) == ["m-tr-05"]
    assert set(ids(get(client, "/v1/merchants?service=achat_en_ligne"))) == {"m-tr-04", "m-tr-07"}
    assert set(ids(get(client, "/v1/merchants?region=montreal"))) == {"m-mtl-1"}


# -- French text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    ["érablière", "erabliere", "ÉRABLIÈRE", "l'érablière", "érablières", "l’Érablière du rang"],
)
def test_accents_elision_plural_and_case_variants_find_the_same_merchant(client, variant):
    assert ids(get(client, f"/v1/merchants?q={variant}"))[0] == "m-tr-04"


def test_stop_words_in_the_query_do_not_prevent_a_match(client):
    assert ids(get(client, "/v1/merchants?q=la%20fromagerie%20du%20march%C3%A9"))[0] == "m-tr-01"


def test_a_quebec_synonym_finds_the_france_word(client):
    body = get(client, "/v1/products?q=bleuets")
    assert [item["name"] for item in body["items"]] == ["Tarte aux myrtilles"]
    chips = get(client, "/v1/products?q=chips")
    assert [item["name"] for item in chips["items"]] == ["Croustilles nature, 200 g"]


@pytest.mark.parametrize("typo", ["fromagrie", "boulangrie", "quincaillrie"])
def test_one_typo_still_finds_the_merchant(client, typo):
    assert get(client, f"/v1/merchants?q={typo}")["total"] >= 1


def test_matched_terms_are_highlighted_in_names(client):
    body = get(client, "/v1/merchants?q=chocolaterie")
    assert body["items"][0]["highlight"] == "<em>Chocolaterie</em> Éclat"


# -- products -------------------------------------------------------------------------------------


def test_products_are_grouped_one_hit_per_product_with_their_nearest_in_stock_stores(client):
    body = get(client, f"/v1/products?q=sirop%20d%27%C3%A9rable&{AT_TR}&radius_km=50&stores=3")
    assert body["total"] == 1 and body["listings"] == 4
    [syrup] = body["items"]
    assert syrup["stores_matching"] == 4
    stores = syrup["stores"]
    assert [s["merchant_id"] for s in stores] == ["m-tr-03", "m-tr-04", "m-tr-05"]  # in stock, nearest first
    assert all(s["in_stock"] for s in stores)
    assert [s["distance_km"] for s in stores] == sorted(s["distance_km"] for s in stores)
    assert syrup["price_from"] == 11.99


def test_in_stock_true_never_returns_an_out_of_stock_store(client):
    body = get(client, f"/v1/products?{AT_TR}&radius_km=100&in_stock=true&stores=10&per_page=100")
    stores = [s for item in body["items"] for s in item["stores"]]
    assert stores and all(s["in_stock"] and s["quantity"] > 0 for s in stores)
    assert "Croustilles nature, 200 g" not in [item["name"] for item in body["items"]]


def test_each_product_appears_once_across_pages(client):
    first = get(client, "/v1/products?per_page=5&page=1")
    second = get(client, "/v1/products?per_page=5&page=2")
    third = get(client, "/v1/products?per_page=5&page=3")
    keys = [i["product_key"] for page in (first, second, third) for i in page["items"]]
    assert len(keys) == len(set(keys)) == first["total"] == 9  # 13 listings of 9 products


def test_the_quebec_boost_ranks_a_certified_product_above_an_otherwise_equal_import(client):
    body = get(client, "/v1/products?q=miel")
    assert [(i["brand"], i["quebec_product"]) for i in body["items"]] == [
        ("Rucher Boréal", True),
        ("Honey Import Co", False),
    ]


def test_the_quebec_boost_does_not_override_a_clearly_better_text_match(client):
    body = get(client, "/v1/products?q=pelle%20neige")
    assert body["items"][0]["name"] == "Pelle à neige en aluminium"  # not certified, still first


def test_product_filters_price_range_brand_and_quebec(client):
    cheap = get(client, "/v1/products?max_price=6&per_page=100")
    assert {i["name"] for i in cheap["items"]} == {"Croustilles nature, 200 g", "Chocolat noir 70 %, 100 g"}
    assert ids_of_brand(get(client, "/v1/products?brand=garant")) == ["Garant"]
    imported = get(client, "/v1/products?quebec=false&per_page=100")
    assert {i["brand"] for i in imported["items"]} == {"Honey Import Co", "Garant"}


def ids_of_brand(body: dict) -> list[str]:
    return [i["brand"] for i in body["items"]]


def test_product_facets_cover_category_brand_certification_price_and_quebec(client):
    body = get(client, "/v1/products?per_page=1")
    assert body["facets_approximate"] is False  # 13 listings: every one counted
    facets = body["facets"]
    assert {"value": "Aliments du Québec", "count": 7} in facets["certification"]
    assert {f["value"] for f in facets["quebec"]} == {True, False}
    assert sum(f["count"] for f in facets["price"]) == 13
    assert facets["price"][0] == {"value": "< 5 $", "count": 1}


def test_facets_of_a_search_with_words_count_every_matching_listing(client):
    body = get(client, "/v1/products?q=miel")
    assert body["facets_approximate"] is False and body["listings"] == 2
    assert {"value": "Miels", "count": 2} in body["facets"]["category"]
    assert sorted(f["value"] for f in body["facets"]["brand"]) == ["Honey Import Co", "Rucher Boréal"]
    assert body["facets"]["quebec"] == [{"value": False, "count": 1}, {"value": True, "count": 1}]


def test_facets_of_a_large_result_come_from_a_sample_and_say_so(client, monkeypatch):
    from query_api.queries import product_facets

    exact = get(client, "/v1/products?per_page=1")  # no words: facets from a second request
    monkeypatch.setattr(product_facets, "EXACT_FACETS_UP_TO", 6)  # as if 13 listings were many
    monkeypatch.setattr(product_facets, "FACET_SAMPLE", 6)
    body = get(client, "/v1/products?per_page=1")
    assert body["facets_approximate"] is True
    assert (body["total"], body["listings"]) == (exact["total"], exact["listings"])  # never sampled
    assert [i["product_key"] for i in body["items"]] == [i["product_key"] for i in exact["items"]]
    assert set(body["facets"]) == set(exact["facets"])
    assert all(f["count"] >= 0 for values in body["facets"].values() for f in values)
    assert get(client, "/v1/products?per_page=1&page=2")["facets"] == body["facets"]  # the same sample


def test_nothing_found_still_answers_every_facet(client):
    body = get(client, "/v1/products?q=trottinette")
    assert body["total"] == body["listings"] == 0 and body["items"] == []
    assert body["facets"]["category"] == [] and [f["count"] for f in body["facets"]["price"]] == [0] * 5
    assert body["facets_approximate"] is False


def test_one_typo_in_a_product_name_still_finds_it(client):
    names = [i["name"] for i in get(client, "/v1/products?q=croustiles")["items"]]
    assert names == ["Croustilles nature, 200 g"]
    assert get(client, "/v1/products?q=sirrop%20d%27%C3%A9rable")["items"][0]["name"].startswith("Sirop")


def test_sort_by_price_orders_products_by_their_cheapest_listing(client):
    body = get(client, "/v1/products?sort=price&per_page=100")
    prices = [i["price_from"] for i in body["items"]]
    assert prices == sorted(prices)


def test_product_page_lists_every_store_in_stock_and_nearest_first(client):
    body = get(client, f"/v1/products/p-01?{AT_TR}")
    assert body["name"] == "Sirop d'érable pur, ambré, 540 ml" and body["stores_total"] == 4
    assert [s["merchant_id"] for s in body["stores"]] == ["m-tr-03", "m-tr-04", "m-tr-05", "m-tr-01"]
    assert body["stores"][-1]["in_stock"] is False


def test_merchant_page_returns_the_merchant(client):
    body = get(client, "/v1/merchants/m-tr-05")
    assert body["name"] == "L'Épicerie des Forges" and "suggest" not in body


def test_health_reports_the_engine_and_both_aliases(client):
    body = get(client, "/v1/health")
    assert body["status"] == "ok" and body["engine"].startswith("8.")
    assert len(body["aliases"]["merchants"]) == 1 and len(body["aliases"]["products"]) == 1


# -- near= ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("near", ["Trois-Rivi%C3%A8res", "trois%20rivieres", "TROIS-RIVIERES"])
def test_near_a_municipality_name_searches_around_it(client, near):
    body = get(client, f"/v1/merchants?near={near}&radius_km=10&sort=distance")
    assert body["location"]["near"] == "Trois-Rivières"
    assert ids(body)[0] == "m-tr-01" and len(body["items"]) == 5


def test_near_accepts_saint_abbreviations_and_postal_area_codes(client):
    assert get(client, "/v1/merchants?near=St-J%C3%A9r%C3%B4me")["location"]["near"] == "Saint-Jérôme"
    body = get(client, "/v1/merchants?near=G9A&radius_km=15")
    assert body["location"]["near"] == "G9A" and "m-tr-01" in ids(body)


def test_an_unknown_place_is_a_400_that_suggests_close_names(client):
    response = client.get("/v1/merchants?near=Trois-Rivierres")
    if response.status_code == 200:  # close enough to resolve: fine, but then try a real miss
        response = client.get("/v1/merchants?near=Sherbroke")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert "no Quebec municipality named" in error["message"]
    assert error["fields"]["suggestions"] and "near" in error["fields"]


# -- type-ahead, map, OpenAPI ---------------------------------------------------------------------


def test_suggest_completes_merchant_names_products_and_categories_from_two_letters(client):
    body = get(client, "/v1/suggest?q=fr")
    found = {(i["type"], i["text"]) for i in body["items"]}
    assert ("category", "Fromagerie") in found
    assert ("merchant", "Fromagerie du Marché") in found
    assert ("product", "Fromage Le Riopelle de l'Isle, 200 g") in found


def test_suggest_ignores_accents_and_case(client):
    assert ("merchant", "Érablière du Rang 5") in {
        (i["type"], i["text"]) for i in get(client, "/v1/suggest?q=ERAB")["items"]
    }


def test_suggest_puts_what_is_near_the_shopper_first(client):
    items = get(client, f"/v1/suggest?q=fromagerie&{AT_TR}")["items"]
    merchants = [i["text"] for i in items if i["type"] == "merchant"]
    assert merchants.index("Fromagerie du Marché") < merchants.index("Fromagerie Atwater")
    montreal = corpus.location_of("m-mtl-1")
    items = get(client, f"/v1/suggest?q=fromagerie&lat={montreal[0]}&lon={montreal[1]}")["items"]
    merchants = [i["text"] for i in items if i["type"] == "merchant"]
    assert merchants.index("Fromagerie Atwater") < merchants.index("Fromagerie du Marché")


def test_bbox_keeps_only_what_the_map_shows(client):
    south, west = corpus.offset(TR, -5, -5).values()
    north, east = corpus.offset(TR, 5, 5).values()
    body = get(client, f"/v1/merchants?bbox={west},{south},{east},{north}&per_page=100")
    assert set(ids(body)) == {"m-tr-01", "m-tr-02", "m-tr-03"}


def test_zoom_adds_clusters_that_account_for_every_merchant(client):
    body = get(client, "/v1/merchants?zoom=6&per_page=1")
    assert sum(c["count"] for c in body["clusters"]) == body["total"] == len(corpus.MERCHANTS)
    assert len(body["clusters"]) >= 2  # Trois-Rivières and Montréal fall in different tiles
    products = get(client, "/v1/products?zoom=6&per_page=1")
    assert sum(c["count"] for c in products["clusters"]) == products["listings"]


def test_openapi_document_is_valid_and_describes_every_parameter(client):
    from openapi_spec_validator import validate

    from query_api import schemas

    document = get(client, "/v1/openapi.json")
    validate(document)
    for path, schema in (("/v1/merchants", schemas.MERCHANT_SEARCH), ("/v1/products", schemas.PRODUCT_SEARCH),
                         ("/v1/suggest", schemas.SUGGEST)):  # fmt: skip
        described = {p["name"] for p in document["paths"][path]["get"]["parameters"]}
        assert described == set(schema.fields), path


def test_a_cursor_pages_through_every_merchant_once_beyond_the_page_window(client):
    seen: list[str] = []
    url = f"/v1/merchants?{AT_TR}&radius_km=200&sort=distance&per_page=3"
    body = get(client, url)
    while True:
        seen += ids(body)
        if not body["next_cursor"]:
            break
        body = get(client, f"{url}&cursor={body['next_cursor']}")
    assert len(seen) == len(set(seen)) == len(corpus.MERCHANTS)


def test_a_forged_cursor_is_a_400(client):
    response = client.get("/v1/merchants?cursor=bm90LWEtY3Vyc29y")
    assert response.status_code == 400 and "cursor" in response.get_json()["error"]["fields"]
    both = client.get("/v1/merchants?cursor=WzFd&page=2")
    assert both.status_code == 400 and "either page or cursor" in str(both.get_json())


@pytest.mark.parametrize(
    ("url", "schema"),
    [
        (f"/v1/merchants?q=fromagerie&{AT_TR}&zoom=7", "MerchantResults"),
        ("/v1/merchants?near=G9A&per_page=2", "MerchantResults"),
        ("/v1/merchants", "MerchantResults"),
        (f"/v1/products?q=sirop&{AT_TR}&zoom=7", "ProductResults"),
        ("/v1/products?sort=price", "ProductResults"),
        (f"/v1/products/p-01?{AT_TR}", "ProductPage"),
        ("/v1/products/p-01", "ProductPage"),
        (f"/v1/suggest?q=fr&{AT_TR}", "Suggestions"),
        ("/v1/health", "Health"),
        ("/v1/merchants/m-tr-05", "Merchant"),
        ("/v1/merchants/m-mtl-1", "Merchant"),
    ],
)
def test_answers_have_exactly_the_documented_shape(client, url, schema):
    from query_api import responses

    getattr(responses, schema)().load(get(client, url))  # raises on a missing, extra or mistyped field


def test_a_failed_search_inside_an_msearch_raises_as_a_failed_search_would(es, api_settings):
    import elasticsearch

    from query_api.engine import msearch

    with pytest.raises(elasticsearch.NotFoundError) as missing:
        msearch(es, [{"index": f"{api_settings.index_prefix}nothing-here"}, {"query": {"match_all": {}}}])
    assert missing.value.error == "index_not_found_exception"  # the API answers it 503 "not loaded"
    with pytest.raises(elasticsearch.BadRequestError):
        sampler = {"random_sampler": {"probability": 0.7}, "aggs": {}}
        msearch(es, [{"index": api_settings.alias("products")}, {"size": 0, "aggs": {"s": sampler}}])


# -- the shopper's own words ----------------------------------------------------------------------


def test_local_is_understood_as_quebec_made_instead_of_a_word_to_match(client):
    body = get(client, "/v1/products?q=miel%20local")
    assert body["understood"] == {"place": None, "quebec": True, "certifications": [], "dropped": ["local"]}
    assert [(i["brand"], i["quebec_product"]) for i in body["items"]] == [
        ("Rucher Boréal", True),
        ("Honey Import Co", False),  # a preference, not a filter
    ]


def test_literal_searches_the_words_as_typed(client):
    body = get(client, "/v1/products?q=miel%20local&literal=true")
    assert body["understood"] is None
    assert body["total"] == 0  # no listing says "local"


def test_intents_alone_browse_the_catalogue_with_quebec_products_first(client):
    body = get(client, "/v1/products?q=produits%20locaux&per_page=20")
    assert body["understood"]["dropped"] == ["produits locaux"]
    assert body["total"] == 9  # every product: no word left to match
    flags = [i["quebec_product"] for i in body["items"]]
    assert flags == sorted(flags, reverse=True)  # certified Quebec products first


def test_a_word_no_listing_contains_is_dropped_instead_of_emptying_the_page(client):
    body = get(client, "/v1/products?q=miel%20maison")
    assert body["relaxed"] == {"dropped": ["maison"], "matching": "all"}
    assert {i["name"] for i in body["items"]} == {"Miel de fleurs sauvages, 500 g"}


def test_a_search_that_found_something_is_not_relaxed(client):
    assert get(client, "/v1/products?q=miel")["relaxed"] is None


def test_nothing_within_the_radius_widens_it_and_says_how_far(client):
    # 13.5 km from the nearest merchant; the honey's store is 21.8 km away
    body = get(client, "/v1/products?q=miel&lat=46.62&lon=-72.54&radius_km=6")
    assert body["relaxed"] == {"dropped": [], "matching": "all", "radius_km": 24.0}
    assert body["location"]["radius_km"] == 6  # what the shopper asked
    assert body["items"] and body["items"][0]["stores"][0]["distance_km"] > 6


def test_words_found_only_far_away_are_searched_in_all_of_quebec(client):
    # around Montréal: no honey within 10 or 40 km, the nearest is near Trois-Rivières (~120 km)
    body = get(client, "/v1/products?q=miel&lat=45.50&lon=-73.57&radius_km=10")
    assert body["relaxed"] == {"dropped": [], "matching": "all", "radius_km": 2000.0}
    assert body["items"] and 100 < body["items"][0]["stores"][0]["distance_km"] < 150


def test_words_found_nowhere_leave_an_empty_page_and_no_relaxation(client):
    body = get(client, "/v1/products?q=zzyzx")
    assert (body["total"], body["relaxed"]) == (0, None)
    assert (body["did_you_mean"], body["nearest_merchants"]) == ([], [])  # nothing close either


# -- typos, and what a dead end offers ------------------------------------------------------------


def test_a_transposed_letter_in_a_short_second_word_is_forgiven(client):
    # « nior »: noir with its second and third letters swapped (the first letter is kept)
    assert names(get(client, "/v1/products?q=chocolat%20nior")) == ["Chocolat noir 70 %, 100 g"]
    assert names(get(client, "/v1/products?q=pain%20au%20levin")) == ["Pain au levain, 800 g"]


def test_a_misspelt_merchant_kind_finds_its_stores_and_what_they_sell(client):
    assert set(ids(get(client, "/v1/merchants?q=fromagrie"))) == {"m-tr-01", "m-mtl-1"}
    assert set(names(get(client, "/v1/products?q=boulangeire"))) == {
        "Tarte aux myrtilles",
        "Pain au levain, 800 g",
    }


def test_a_typo_in_the_first_letter_is_a_dead_end_that_offers_a_spelling(client):
    body = get(client, "/v1/products?q=vromage")
    assert (body["total"], body["relaxed"]) == (0, None)
    assert body["did_you_mean"][0] == "fromage"
    assert get(client, "/v1/products?q=fromage")["total"] > 0  # the spelling finds something


def test_a_dead_end_offers_the_nearest_merchants_of_a_kind_close_to_the_words(client):
    body = get(client, f"/v1/merchants?q=promagerie&{AT_TR}")
    assert body["total"] == 0 and body["did_you_mean"] == ["fromagerie"]
    nearest = body["nearest_merchants"]
    assert [m["id"] for m in nearest] == ["m-tr-01", "m-mtl-1"]  # every fromagerie, nearest first
    assert nearest[0]["distance_km"] < nearest[1]["distance_km"]
    # on products too: no listing is named like it, its stores are
    body = get(client, f"/v1/products?q=promagerie&{AT_TR}")
    assert [m["id"] for m in body["nearest_merchants"]] == ["m-tr-01", "m-mtl-1"]


def test_only_a_dead_end_offers_spellings_and_merchants(client):
    for path in ("/v1/products?q=miel", "/v1/products?q=miel%20zzyzx", "/v1/products?q=zzyzx&literal=true"):
        body = get(client, path)
        assert "did_you_mean" not in body and "nearest_merchants" not in body, path


def test_literal_searches_are_never_relaxed(client):
    assert get(client, "/v1/products?q=miel%20maison&literal=true")["relaxed"] is None


def test_a_place_in_the_words_becomes_the_location_with_a_radius_that_suits_it(client):
    body = get(client, "/v1/products?q=miel%20trois-rivi%C3%A8res")
    place = body["understood"]["place"]
    assert (place["name"], place["from"]) == ("Trois-Rivières", "trois-rivières")
    assert body["location"] == {
        "near": "Trois-Rivières", "lat": place["lat"], "lon": place["lon"], "radius_km": place["radius_km"]
    }  # fmt: skip
    assert body["relaxed"] is None and {i["name"] for i in body["items"]} == {
        "Miel de fleurs sauvages, 500 g"
    }


def test_merchant_searches_take_the_place_out_of_the_words_too(client):
    body = get(client, "/v1/merchants?q=fromagerie%20%C3%A0%20Trois-Rivi%C3%A8res")
    assert body["understood"]["place"]["name"] == "Trois-Rivières"
    assert body["total"] > 0 and body["location"]["near"] == "Trois-Rivières"
    literal = get(client, "/v1/merchants?q=fromagerie%20%C3%A0%20Trois-Rivi%C3%A8res&literal=true")
    assert literal["understood"] is None and literal["location"] is None


def test_an_explicit_location_wins_over_a_place_in_the_words(client):
    body = get(client, f"/v1/products?q=miel%20sherbrooke&{AT_TR}")
    assert body["understood"]["place"] is None
    assert body["location"]["lat"] == TR[0]  # still around Trois-Rivières


def test_the_place_a_search_is_already_in_is_taken_out_of_its_words(client):
    body = get(client, f"/v1/products?q=miel%20trois-rivi%C3%A8res&{AT_TR}")
    assert body["understood"]["place"] is None and body["understood"]["dropped"] == ["trois-rivières"]
    assert body["relaxed"] is None and set(names(body)) == {"Miel de fleurs sauvages, 500 g"}


def test_merchant_searches_are_relaxed_the_same_way(client):
    body = get(client, "/v1/merchants?q=fromagerie%20zzyzx")
    assert body["relaxed"] == {"dropped": ["zzyzx"], "matching": "all"}
    assert body["total"] > 0 and all("romagerie" in i["name"] for i in body["items"])
    assert get(client, "/v1/merchants?q=fromagerie")["relaxed"] is None


# -- merchant kinds on products, product words on merchants ----------------------------------------


def test_a_merchant_kind_finds_what_such_stores_sell(client):
    # no listing says « érablière » or « épicerie fine »: their stores' kinds do
    body = get(client, "/v1/products?q=%C3%A9rabli%C3%A8re")
    assert {i["name"] for i in body["items"]} == {"Sirop d'érable pur, ambré, 540 ml"}
    body = get(client, "/v1/products?q=%C3%A9picerie%20fine")
    assert {i["name"] for i in body["items"]} == {
        "Sirop d'érable pur, ambré, 540 ml",
        "Miel de fleurs sauvages, 500 g",
    }


def test_product_words_on_merchants_find_the_stores_that_sell_them_nearest_first(client):
    # no merchant's own name, kind or description says « sirop »: four sell it
    body = get(client, f"/v1/merchants?q=sirop%20d%27%C3%A9rable&{AT_TR}")
    assert ids(body) == ["m-tr-01", "m-tr-03", "m-tr-04", "m-tr-05"]
    assert body["relaxed"] is None
    assert ids(get(client, "/v1/merchants?q=croustilles")) == ["m-tr-03"]


def test_a_store_carries_the_words_only_when_one_of_its_listings_has_them_all(client):
    # the words must all be in one listing (« pelle » and « miel » are, in two different stores)
    assert get(client, "/v1/merchants?q=pelle%20miel&literal=true")["total"] == 0
