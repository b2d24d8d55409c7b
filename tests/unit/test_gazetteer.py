"""The shipped gazetteer is what scripts/build_gazetteer.py makes from ../shared/data, and it is sane."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from query_api import places

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "query_api" / "data" / "gazetteer.json"
DATA = ROOT.parent / "shared" / "data"


def _script():
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not (DATA / "quebec_municipalities.csv").exists(),
    reason=f"the shared data ({DATA}) is not on this machine",
)
def test_shipped_table_is_what_the_script_builds_from_the_shared_data():
    script = _script()
    rebuilt = script.dump(script.build(DATA))
    assert rebuilt == SHIPPED.read_text(encoding="utf-8"), (
        "query_api/data/gazetteer.json is stale: run .venv/bin/python scripts/build_gazetteer.py"
    )


def test_shipped_table_is_small_and_credited():
    assert SHIPPED.stat().st_size < 400_000
    licence = (SHIPPED.parent / "LICENSE.md").read_text(encoding="utf-8")
    assert "Ministère des Affaires municipales et de l'Habitation" in licence and "GeoNames" in licence


def test_table_holds_every_local_municipality_region_and_urban_postal_area():
    table = places.gazetteer()
    kinds = [p.kind for p in table.places]
    assert kinds.count("municipality") >= 1_100
    assert kinds.count("region") == 17
    assert sum(1 for p in table.postal_areas.values() if p.designation == "urban") >= 370
    assert {"Gaspésie", "Beauce", "Charlevoix", "Cantons-de-l'Est", "Lac-Saint-Jean", "Côte-Nord"} <= {
        p.name for p in table.by_key.values()
    }


def test_every_municipality_has_a_region_and_a_sensible_radius():
    for place in places.quebec_places():
        assert place.region, place
        assert 25 <= place.radius_km <= 100


def test_a_region_is_not_a_25_km_circle():
    nord = places.resolve("Nord-du-Québec")
    gaspesie = places.resolve("Gaspésie")
    assert nord.kind == "region" and nord.radius_km >= 300
    assert gaspesie.kind == "area" and gaspesie.radius_km >= 100
    assert places.resolve("Côte-Nord").radius_km > places.resolve("Montréal").radius_km


@pytest.mark.parametrize(
    "text, name, kind",
    [
        ("Saint-Jean-sur-Richelieu", "Saint-Jean-sur-Richelieu", "municipality"),
        ("st jean sur richelieu", "Saint-Jean-sur-Richelieu", "municipality"),
        ("Kuujjuaq", "Kuujjuaq", "municipality"),  # not among GeoNames's 541
        ("Saint-Honoré", "Saint-Honoré", "municipality"),
        ("cantons de l'est", "Cantons-de-l'Est", "area"),
        ("Saguenay-Lac-St-Jean", "Saguenay–Lac-Saint-Jean", "region"),
        ("Bas-du-Fleuve", "Bas-Saint-Laurent", "region"),
        ("Laval", "Laval", "municipality"),  # the city, not region 13
    ],
)
def test_near_knows_every_municipality_region_and_area(text, name, kind):
    place = places.resolve(text)
    assert (place.name, place.kind) == (name, kind)


def test_common_words_are_names_of_places():
    table = places.gazetteer()
    assert {"oka", "la peche", "lac"} <= table.common_words
    assert "sherbrooke" not in table.common_words and "quebec" not in table.common_words
    assert all(key in table.by_key for key in table.common_words)


def test_columns_are_documented_in_the_table():
    head = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert head["columns"][:2] == ["name", "kind"] and "radius_km" in head["columns"]
