"""Intents in the shopper's words: Quebec-made and certifications, taken out of the words to match."""

import pytest

from query_api.intents import ORGANIC, QUEBEC_VRAI, find_intents


@pytest.mark.parametrize(
    ("q", "words"),
    [
        ("fromage québécois", "fromage"),
        ("vin québécois", "vin"),
        ("bière québécoise", "bière"),
        ("Fromages QUEBECOIS", "Fromages"),
        ("miel local", "miel"),
        ("produits locaux", ""),
        ("légumes locaux", "légumes"),
        ("sirop d'érable du Québec", "sirop d'érable"),
        ("fromage fait au Québec", "fromage"),
        ("confitures faites au québec", "confitures"),
        ("bière d'ici", "bière"),
        ("bière d’ici", "bière"),
        ("cidre produit du Québec", "cidre"),
        ("aliments du québec", ""),
        ("maple syrup made in Quebec", "maple syrup"),
    ],
)
def test_quebec_made_phrases_become_a_preference_and_leave_the_words(q, words):
    found = find_intents(q)
    assert found.quebec is True
    assert found.words == words
    assert found.certifications == ()


@pytest.mark.parametrize(
    ("q", "words", "certifications"),
    [
        ("oeufs bio", "oeufs", (ORGANIC,)),
        ("œufs biologiques", "œufs", (ORGANIC,)),
        ("organic maple syrup", "maple syrup", (ORGANIC,)),
        ("pommes Québec Vrai", "pommes", (QUEBEC_VRAI,)),
        ("café bio bio", "café", (ORGANIC,)),
    ],
)
def test_certifications_the_catalogue_holds_are_understood(q, words, certifications):
    found = find_intents(q)
    assert (found.words, found.certifications) == (words, certifications)


def test_quebec_and_a_certification_together():
    found = find_intents("fromage québécois bio")
    assert (found.words, found.quebec, found.certifications) == ("fromage", True, (ORGANIC,))
    assert found.phrases == ("québécois", "bio")


@pytest.mark.parametrize(
    "q",
    [
        "épicerie fine québec",  # the city: for places, not an intent
        "boulangerie de Québec",
        "fromage en grains",
        "café équitable",  # the catalogue holds no fair-trade certification
        "biscuits",  # "bio" only as a whole word
        "localisation",
        "pain de ménage",
        "",
    ],
)
def test_words_that_are_not_intents_stay_as_typed(q):
    found = find_intents(q)
    assert not found.found
    assert (found.quebec, found.certifications, found.words) == (False, (), " ".join(q.split()))
