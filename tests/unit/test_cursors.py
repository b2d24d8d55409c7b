"""Cursors are signed and bound to their search (pure: the HTTP behaviour is in
tests/integration/test_api_bad_input.py)."""

from __future__ import annotations

import pytest

from query_api.cursors import FOREIGN, FORGED, MISFIT, CursorError, Cursors, search_digest
from query_api.schemas import MERCHANT_SEARCH

SECRET = "a-secret-of-sixteen-characters-or-more"
SORT = ["_score", {"_geo_distance": {"location": {"lat": 46.3, "lon": -72.5}}}, {"id": "asc"}]


def search(**raw: str) -> dict:
    return MERCHANT_SEARCH.load(raw)


def test_a_sealed_cursor_opens_into_its_sort_values():
    cursors = Cursors(SECRET, search(q="fromagerie", lat="46.3", lon="-72.5"))
    assert cursors.open(cursors.seal([2.5, 1.25, "m-tr-01"]), SORT) == [2.5, 1.25, "m-tr-01"]


def test_paging_parameters_do_not_change_the_search_and_defaults_count_as_given():
    base = search_digest(search(q="fromagerie"))
    assert search_digest(search(q="fromagerie", per_page="50", zoom="8")) == base
    assert search_digest(search(q="fromagerie", sort="relevance", literal="false")) == base
    assert search_digest({**search(q="fromagerie"), "cursor": "anything"}) == base


@pytest.mark.parametrize(
    "other", [{"q": "fromageries"}, {"q": "fromagerie", "sort": "distance", "near": "Laval"}, {}]
)
def test_any_other_parameter_is_another_search(other: dict):
    assert search_digest(search(**other)) != search_digest(search(q="fromagerie", near="Laval"))


def test_each_refusal_says_why():
    mine = Cursors(SECRET, search(q="fromagerie"))
    token = mine.seal([2.5, 1.25, "m-tr-01"])
    cases = [
        (Cursors("another-secret-also-long-enough", search(q="fromagerie")), token, SORT, FORGED),
        (Cursors(SECRET, search(q="boulangerie")), token, SORT, FOREIGN),
        (mine, token, ["_score", {"id": "asc"}], MISFIT),
        (mine, token.replace(".", ".x", 1), SORT, FORGED),
    ]
    for cursors, cursor, sort, reason in cases:
        with pytest.raises(CursorError) as refused:
            cursors.open(cursor, sort)
        assert str(refused.value) == reason
