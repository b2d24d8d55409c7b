"""The interpretation step: raw q -> the words to match, what was understood, and its weights."""

from query_api.understanding import PREFER_CERTIFIED, PREFER_QUEBEC, Understood, preferences, understand


def test_plain_words_are_left_alone():
    assert understand("sirop d'érable") == Understood("sirop d'érable")


def test_what_is_understood_is_echoed_with_the_phrases_taken_out():
    understood = understand("fromage québécois bio")
    assert understood.words == "fromage"
    assert understood.echo() == {
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
