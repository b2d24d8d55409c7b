"""Places inside the shopper's words: the specification of ``query_api.place_words``."""

from __future__ import annotations

import pytest

from query_api.place_words import find_in_words

# q -> (place name, kind, role, from_words, remaining)
LOCATIONS = [
    ("fromage sherbrooke", "Sherbrooke", "municipality", "sherbrooke", "fromage"),
    ("bagels montréal", "Montréal", "municipality", "montréal", "bagels"),
    ("bagels montreal", "Montréal", "municipality", "montreal", "bagels"),
    ("boulangerie à Trois-Rivières", "Trois-Rivières", "municipality", "à Trois-Rivières", "boulangerie"),
    ("boulangerie a trois rivieres", "Trois-Rivières", "municipality", "a trois rivieres", "boulangerie"),
    (
        "miel près de Saint-Jean-sur-Richelieu",
        "Saint-Jean-sur-Richelieu",
        "municipality",
        "près de Saint-Jean-sur-Richelieu",
        "miel",
    ),
    (
        "miel pres de st-jean-sur-richelieu",
        "Saint-Jean-sur-Richelieu",
        "municipality",
        "pres de st-jean-sur-richelieu",
        "miel",
    ),
    ("épicerie fine québec", "Québec", "municipality", "québec", "épicerie fine"),
    ("épicerie fine à Québec", "Québec", "municipality", "à Québec", "épicerie fine"),
    ("cafés H2R", "H2R", "postal_code", "H2R", "cafés"),
    ("pain h2r 1s7", "H2R", "postal_code", "h2r 1s7", "pain"),
    ("cidre Beauce", "Beauce", "area", "Beauce", "cidre"),
    ("Gaspésie", "Gaspésie", "area", "Gaspésie", ""),
    ("sirop st-jérôme", "Saint-Jérôme", "municipality", "st-jérôme", "sirop"),
    ("vin en Estrie", "Estrie", "region", "en Estrie", "vin"),
    ("cretons dans la Beauce", "Beauce", "area", "dans la Beauce", "cretons"),
    ("pain à l'ail près de Sherbrooke", "Sherbrooke", "municipality", "près de Sherbrooke", "pain à l'ail"),
    (
        "boulangerie à Trois-Rivières ouverte dimanche",
        "Trois-Rivières",
        "municipality",
        "à Trois-Rivières",
        "boulangerie ouverte dimanche",
    ),
    ("boulangerie de Trois-Rivières", "Trois-Rivières", "municipality", "de Trois-Rivières", "boulangerie"),
    ("fromages Cantons-de-l'Est", "Cantons-de-l'Est", "area", "Cantons-de-l'Est", "fromages"),
    ("bières charlevoix", "Charlevoix", "area", "charlevoix", "bières"),
    ("bleuets au Lac-Saint-Jean", "Lac-Saint-Jean", "area", "au Lac-Saint-Jean", "bleuets"),
    ("poissonnerie Côte-Nord", "Côte-Nord", "region", "Côte-Nord", "poissonnerie"),
    ("dépanneur ste-foy", "Sainte-Foy", "municipality", "ste-foy", "dépanneur"),
    ("épicerie à La Tuque", "La Tuque", "municipality", "à La Tuque", "épicerie"),  # capitals: the town
    ("miel près de Lemieux", "Lemieux", "municipality", "près de Lemieux", "miel"),  # a strong cue
]


@pytest.mark.parametrize("q, name, kind, said, remaining", LOCATIONS)
def test_a_place_in_the_words_becomes_the_location(q, name, kind, said, remaining):
    match = find_in_words(q)
    assert match is not None, q
    assert (match.place.name, match.place.kind, match.role) == (name, kind, "location")
    assert (match.from_words, match.remaining) == (said, remaining)


ORIGINS = [
    ("bleuets du Lac", "Lac-Saint-Jean", "du Lac"),
    ("bleuets du Lac-Saint-Jean", "Lac-Saint-Jean", "du Lac-Saint-Jean"),
    ("fraises de l'île d'Orléans", "Île d'Orléans", "de l'île d'Orléans"),
    ("homard des Îles", "Îles-de-la-Madeleine", "des Îles"),
    ("produits de la Gaspésie", "Gaspésie", "de la Gaspésie"),
    ("bière de Québec", "Québec", "de Québec"),
]


@pytest.mark.parametrize("q, name, said", ORIGINS)
def test_an_origin_phrase_after_a_product_is_not_a_search_location(q, name, said):
    match = find_in_words(q)
    assert match is not None and match.role == "origin"
    assert match.place.name == name and match.from_words == said
    assert match.remaining == q  # its words are still matched against the product's text


@pytest.mark.parametrize(
    "q",
    [
        "pain de ménage",
        "fromage en grains",
        "sucre à la crème",
        "tarte à la pêche",  # La Pêche is a municipality; « à la pêche » is a recipe
        "fromage oka",  # Oka: a cheese first
        "oka",
        "gâteau saint-honoré",  # Saint-Honoré: a cake first
        "bière Saint-Ambroise",
        "fromagerie lemieux",  # a surname of the catalogue's shop names
        "vin frontenac",  # a grape
        "fromage du Québec",  # the Quebec-made intent's, not a place
        "fait au Québec",
        "fromage québécois",
        "pain G0A",  # a rural postal area is too coarse, as for near=
        "chocolat nior",
        "sirop d'érable",
        "",
        "   ",
    ],
)
def test_food_words_and_intents_are_not_places(q):
    assert find_in_words(q) is None


def test_echo_says_what_was_understood():
    echo = find_in_words("fromage sherbrooke").echo()
    assert echo["name"] == "Sherbrooke" and echo["from"] == "sherbrooke" and echo["role"] == "location"
    assert echo["kind"] == "municipality" and echo["radius_km"] >= 25 and {"lat", "lon"} <= set(echo)


def test_a_region_found_in_the_words_carries_its_wide_radius():
    assert find_in_words("crevettes Côte-Nord").place.radius_km > 100
