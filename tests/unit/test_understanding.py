"""The interpretation step: raw q -> the words to match, what was understood, and its weights."""

from query_api.queries.products import as_typed
from query_api.understanding import (
    PREFER_CERTIFIED,
    PREFER_QUEBEC,
    Understood,
    preferences,
    understand,
)


def test_plain_words_are_left_alone():
    assert understand("sirop d'érable") == Understood("sirop d'érable")


def test_what_is_understood_is_echoed_with_the_phrases_taken_out():
    understood = understand("fromage québécois bio")
    assert understood.words == "fromage"
    assert understood.echo() == {
        "place": None,
        "quebec": True,
        "certifications": ["Biologique Canada"],
        "dropped": ["québécois", "bio"],
    }


def test_without_intents_the_standing_quebec_boost_is_the_only_preference():
    assert preferences(None, 1.25) == [{"filter": {"term": {"quebec_product": True}}, "weight": 1.25}]
    assert preferences(understand("miel"), 1.0) == []


def test_an_intent_strengthens_the_quebec_preference_and_weighs_certifications():
    assert preferences(understand("miel bio d'ici"), 1.25) == [
        {"filter": {"term": {"quebec_product": True}}, "weight": PREFER_QUEBEC},
        {"filter": {"terms": {"certifications": ["Biologique Canada"]}}, "weight": PREFER_CERTIFIED},
    ]


def test_a_standing_boost_stronger_than_the_intent_is_kept():
    functions = preferences(understand("miel local"), 5.0)
    assert functions == [{"filter": {"term": {"quebec_product": True}}, "weight": 5.0}]


def test_a_place_in_the_words_becomes_the_location_when_the_search_has_none():
    understood = understand("fromage québécois sherbrooke")
    assert understood.words == "fromage"
    assert understood.dropped == ("québécois", "sherbrooke")
    place = understood.echo()["place"]
    assert (place["name"], place["kind"], place["role"], place["from"]) == (
        "Sherbrooke", "municipality", "location", "sherbrooke"
    )  # fmt: skip


def test_an_explicit_location_wins_and_the_words_are_matched_as_typed():
    understood = understand("fromage sherbrooke", located=True)
    assert (understood.words, understood.place) == ("fromage sherbrooke", None)


def test_an_origin_phrase_is_not_a_location():
    understood = understand("bleuets du Lac")
    assert (understood.words, understood.place) == ("bleuets du Lac", None)


def test_merchant_searches_look_for_places_but_not_intents():
    understood = understand("fromagerie locale à Trois-Rivières", intents=False)
    assert understood.words == "fromagerie locale"
    assert (understood.quebec, understood.place.place.name) == (False, "Trois-Rivières")


def test_intents_taken_out_of_q_still_rank_a_name_that_says_them_first():
    assert as_typed(understand("fraises du Québec")) == [
        {"match_phrase": {"name": {"query": "fraises du Québec", "analyzer": "french_text", "boost": 10}}}
    ]
    assert as_typed(understand("fraises")) == [] and as_typed(None) == []


def test_a_place_the_search_is_already_in_is_taken_out_of_the_words():
    montreal = (45.50884, -73.58781)
    understood = understand("bagels montréal", located=True, at=montreal)
    assert (understood.words, understood.dropped, understood.place) == ("bagels", ("montréal",), None)


def test_another_place_than_the_searchs_stays_a_word_to_match():
    trois_rivieres = (46.343, -72.543)
    understood = understand("fromage sherbrooke", located=True, at=trois_rivieres)
    assert (understood.words, understood.dropped) == ("fromage sherbrooke", ())
    assert understand("montréal", located=True, at=(45.50884, -73.58781)).words == "montréal"  # all of q
