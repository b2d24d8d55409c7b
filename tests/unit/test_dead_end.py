"""What a dead end offers: the spellings kept from the suggester's options, and its two requests."""

from __future__ import annotations

from panier_core.settings import Settings
from query_api.dead_end import DeadEnd, spellings


def options(*pairs: tuple[str, float]) -> list[dict]:
    return [{"text": "?", "options": [{"text": t, "score": s} for t, s in pairs]}]


def test_spellings_are_the_likeliest_options_best_first():
    suggest = {"name.words": options(("cretons maison", 0.002), ("kretons maison", 0.0014))}
    assert spellings("kretons de la maizon", suggest) == ["cretons maison", "kretons maison"]


def test_unlikely_spellings_are_left_out():
    suggest = {"name.words": options(("fromage", 0.2), ("fromages", 0.01))}
    assert spellings("vromage", suggest) == ["fromage"]


def test_a_spelling_changes_each_word_by_no_more_edits_than_the_search_forgives():
    # five letters: one edit (« ours » is two from « oeufs »); eight and more: two; a swap is one
    assert spellings("oeufs", {"name.words": options(("ours", 0.3))}) == []
    assert spellings("oeufz", {"name.words": options(("oeufs", 0.3))}) == ["oeufs"]
    assert spellings("fromagrei", {"name.words": options(("fromagerie", 0.3))}) == ["fromagerie"]
    assert spellings("kretons", {"name.words": options(("cretons", 0.3))}) == ["cretons"]  # 1st letter
    assert spellings("vin", {"name.words": options(("pin", 0.3))}) == []  # under 4 letters: none


def test_the_shoppers_own_words_are_not_offered_back():
    suggest = {"name.words": options(("Kretons", 0.3), ("cretons", 0.2))}
    assert spellings("kretons", suggest) == ["cretons"]


def test_options_of_several_fields_merge_by_likelihood_each_once():
    suggest = {
        "name.words": options(("fromagerie", 0.1)),
        "categories.words": options(("fromagerie", 0.2), ("fromageries", 0.15)),
    }
    assert spellings("promagerie", suggest) == ["fromagerie", "fromageries"]


def test_no_options_no_spellings():
    assert spellings("zzyzx", {}) == []
    assert spellings("zzyzx", {"name.words": options()}) == []


def test_merchants_spellings_come_from_their_names_and_kinds():
    request = DeadEnd("merchants", "promagerie", None, Settings()).spelling_request()
    assert set(request["suggest"]) == {"text", "name.words", "categories.words"}
    generator = request["suggest"]["categories.words"]["phrase"]["direct_generator"][0]
    assert generator["prefix_length"] == 0  # the first letter may be the typo


def test_nearest_merchants_are_sorted_by_distance_only_when_located():
    located = DeadEnd("products", "vromage", (46.3, -72.5), Settings()).merchants_request()
    assert "_geo_distance" in located["sort"][0]
    assert DeadEnd("products", "vromage", None, Settings()).merchants_request()["sort"] == ["_score"]
