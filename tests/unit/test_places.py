"""`near=` resolution: Quebec municipality names and postal codes to coordinates."""

import pytest

from query_api import places
from query_api.places import Place, UnknownPlace, resolve, suggest


@pytest.mark.parametrize("text", ["Trois-Rivières", "trois rivieres", "TROIS-RIVIERES", "Trois-Rivieres"])
def test_trois_rivieres_resolves_whatever_the_case_accents_or_hyphens(text):
    place = resolve(text)
    assert place.name == "Trois-Rivières"
    assert place.kind == "municipality"
    assert abs(place.lat - 46.35) < 0.1 and abs(place.lon - -72.55) < 0.1


def test_spellings_of_one_name_resolve_to_the_same_place():
    assert resolve("Trois-Rivières") == resolve("  trois   rivieres ") == resolve("trois.rivières")


@pytest.mark.parametrize("text", ["St-Jérôme", "saint jerome", "St. Jérôme", "ST JEROME", "Saint‑Jérôme"])
def test_saint_abbreviations_expand(text):
    assert resolve(text).name == "Saint-Jérôme"


def test_sainte_abbreviation_expands():
    assert resolve("Ste-Foy").name == "Sainte-Foy"


@pytest.mark.parametrize("text", ["Montreal", "Montréal", "montreal", "MTL"])
def test_montreal_resolves_to_the_city(text):
    place = resolve(text)
    assert place.name == "Montréal"
    assert place.population > 1_000_000


@pytest.mark.parametrize("text", ["Quebec", "Québec", "quebec city", "Ville de Québec"])
def test_quebec_resolves_to_the_city_of_quebec(text):
    place = resolve(text)
    assert place.name == "Québec"
    assert abs(place.lat - 46.81) < 0.1 and abs(place.lon - -71.21) < 0.1


def test_sherbrooke_resolves():
    place = resolve("Sherbrooke")
    assert place.name == "Sherbrooke"
    assert abs(place.lat - 45.40) < 0.1 and abs(place.lon - -71.90) < 0.1


def test_shared_name_prefers_the_most_populous_place():
    same_name = [p for p in places.quebec_places() if p.name == "Sainte-Catherine"]
    assert len(same_name) >= 2
    assert resolve("Ste-Catherine").population == max(p.population for p in same_name)


def test_alternate_name_never_shadows_a_primary_name():
    # "Montreal East" is an alternate of Montréal-Est; "Montréal" itself stays the city.
    assert resolve("Montreal East").name == "Montréal-Est"
    assert resolve("Montréal").name == "Montréal"


def test_non_latin_and_code_alternates_are_ignored():
    for text in ("Монреаль", "QC", "YQB"):
        with pytest.raises(UnknownPlace):
            resolve(text)


def test_typo_raises_unknown_place_with_suggestion():
    with pytest.raises(UnknownPlace) as caught:
        resolve("Sherbroke")
    assert "Sherbrooke" in caught.value.suggestions
    assert str(caught.value) == (
        f"no Quebec municipality named 'Sherbroke'; did you mean {', '.join(caught.value.suggestions)}?"
    )


def test_nonsense_raises_unknown_place_without_suggestion():
    with pytest.raises(UnknownPlace) as caught:
        resolve("Zzyzx")
    assert caught.value.suggestions == []
    assert str(caught.value) == "no Quebec municipality named 'Zzyzx'"


def test_unknown_place_is_a_value_error():
    assert issubclass(UnknownPlace, ValueError)


def test_suggest_returns_canonical_names_best_first():
    assert suggest("trois rivere")[0] == "Trois-Rivières"
    assert len(suggest("saint jean", limit=2)) <= 2
    assert suggest("Zzyzx") == []


@pytest.mark.parametrize("text", ["", "   ", "--", "x" * 101])
def test_blank_or_overlong_text_is_a_value_error_not_an_unknown_place(text):
    with pytest.raises(ValueError) as caught:
        resolve(text)
    assert not isinstance(caught.value, UnknownPlace)


@pytest.mark.parametrize("text", ["H2R 1S7", "h2r1s7", "H2R-1S7", "H2R", " h2r "])
def test_postal_code_resolves_to_its_fsa_centroid(text):
    place = resolve(text)
    assert place == Place("H2R", place.lat, place.lon, 0, "postal_code")
    # H2R is Villeray, in Montréal.
    assert abs(place.lat - 45.545) < 0.05 and abs(place.lon - -73.627) < 0.05


def test_postal_codes_of_other_quebec_cities_land_in_those_cities():
    for code, city in [("G9A 5H7", "Trois-Rivières"), ("J1H 1A1", "Sherbrooke"), ("G1R", "Québec")]:
        fsa, municipality = resolve(code), resolve(city)
        assert abs(fsa.lat - municipality.lat) < 0.1 and abs(fsa.lon - municipality.lon) < 0.1


def test_rural_fsa_is_refused_as_too_coarse():
    with pytest.raises(UnknownPlace, match="rural"):
        resolve("G0A 1A0")


def test_postal_code_outside_quebec_is_refused():
    with pytest.raises(UnknownPlace, match="not a Quebec postal code"):
        resolve("K1A 0B1")


def test_unassigned_quebec_fsa_is_unknown():
    with pytest.raises(UnknownPlace, match="no Quebec postal code area"):
        resolve("H9Z")


def test_table_holds_every_quebec_municipality():
    municipalities = places.quebec_places()
    assert len(municipalities) > 500
    assert all(p.kind == "municipality" for p in municipalities)
    assert all(44.9 < p.lat < 63 and -80 < p.lon < -57 for p in municipalities)
