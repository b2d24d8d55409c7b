"""Derive the gazetteer that ``near=`` and places-in-the-words use: ``query_api/data/gazetteer.json``.

Run from the repository root, with the shared data beside it::

    .venv/bin/python scripts/build_gazetteer.py [--data ../shared/data] [--out query_api/data/gazetteer.json]

Sources (all CC BY 4.0; the credits are in ``query_api/data/LICENSE.md``, shipped with the table):

- ``quebec_municipalities.csv``: MAMH's Répertoire des municipalités (June 2025): every local
  municipality, Indian reserve and Cree/Naskapi village with its designation, region, MRC,
  population and area; coordinates from GeoNames postal codes (the town hall's).
- ``quebec_places_geonames.csv``: GeoNames places of 500+ people. A place whose name is a
  municipality's, within 30 km of it, lends it its point (the place's centre rather than its town
  hall's postal code) and its other spellings ("Montreal", "Quebec City"); the others (former
  municipalities such as Sainte-Foy, Montréal's boroughs) are kept as localities.
- ``quebec_regions.csv``: the 17 administrative regions, located from their municipalities.
- ``quebec_fsa.csv`` and ``quebec_postal_codes.csv.gz``: the postal areas (FSA), located at the
  mean of their postal codes, with a radius covering 90 % of them.
- ``AREAS`` below: common names for parts of Quebec, written here by hand.

Territoires non organisés and Cree/Inuit category lands are left out (nobody shops "near" them).
Which names are also words of the catalogue (``common_words``) is computed from the sample
generator's word lists and the Quebec-French synonyms file; ``query_api.place_words`` asks more
evidence before it takes one of those for a place.

The output is deterministic: ``tests/unit/test_gazetteer.py`` rebuilds it and compares.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from query_api.places import km_between as _km  # noqa: E402
from query_api.places import place_key  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "query_api" / "data" / "gazetteer.json"

# Designations kept: the local municipalities and the places people live in that MAMH lists
# beside them; not TNO, category lands or the regional government.
KEPT_DESIGNATIONS = (
    "Municipalité", "Ville", "Paroisse", "Village", "Canton", "Cantons unis", "Village nordique",
    "Réserve indienne", "Village cri", "Village naskapi",
)  # fmt: skip
SAME_PLACE_KM = 30.0
DEFAULT_RADIUS_KM = 25
COLUMNS = [
    "name",
    "kind",
    "designation",
    "region",
    "population",
    "area_km2",
    "lat",
    "lon",
    "radius_km",
    "other_names",
]

# Common names for areas: (name, other spellings, members, where the name comes from). Members
# are administrative regions ("region:NN") or MRCs and equivalent territories (census divisions,
# as MAMH spells them).
AREAS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str], ...] = (
    ("Gaspésie", ("la Gaspésie", "Gaspesie"),
     ("Avignon", "Bonaventure", "La Côte-de-Gaspé", "La Haute-Gaspésie", "Le Rocher-Percé"),
     "the peninsula: region 11 without the islands (tourism region Gaspésie)"),
    ("Îles-de-la-Madeleine", ("les Îles-de-la-Madeleine", "les Îles", "Îles", "Îles de la Madeleine"),
     ("Les Îles-de-la-Madeleine",), "the archipelago (agglomeration); « les Îles » in everyday speech"),
    ("Beauce", ("la Beauce",), ("Beauce-Sartigan", "La Nouvelle-Beauce", "Robert-Cliche"),
     "the three Beauce MRCs (Robert-Cliche is now Beauce-Centre)"),
    ("Charlevoix", (), ("Charlevoix", "Charlevoix-Est"), "the two Charlevoix MRCs"),
    ("Cantons-de-l'Est", ("les Cantons-de-l'Est", "Cantons de l'Est", "Eastern Townships"), ("region:05",),
     "tourism region; MAMH's Estrie now holds Brome-Missisquoi and La Haute-Yamaska too"),
    ("Lac-Saint-Jean", ("le Lac-Saint-Jean", "Lac St-Jean", "le Lac", "Lac"),
     ("Lac-Saint-Jean-Est", "Le Domaine-du-Roy", "Maria-Chapdelaine"),
     "the three MRCs around the lake; « le Lac » in everyday speech"),
    ("Saguenay–Lac-Saint-Jean", ("Saguenay-Lac-Saint-Jean", "Saguenay Lac St-Jean", "SLSJ"), ("region:02",),
     "region 02 as usually written"),
    ("Côte-Nord", ("la Côte-Nord",), ("region:09",), "region 09"),
    ("Bas-Saint-Laurent", ("Bas-du-Fleuve", "le Bas-du-Fleuve"), ("region:01",),
     "region 01; « Bas-du-Fleuve » in everyday speech"),
    ("Abitibi", ("l'Abitibi",), ("Abitibi", "Abitibi-Ouest", "La Vallée-de-l'Or", "Rouyn-Noranda"),
     "Abitibi-Témiscamingue without the Témiscamingue MRC"),
    ("Témiscamingue", ("le Témiscamingue",), ("Témiscamingue",), "the MRC"),
    ("Île d'Orléans", ("l'île d'Orléans", "Île-d'Orléans", "L'Île-d'Orléans"), ("L'Île-d'Orléans",),
     "the MRC"),
    ("Côte-de-Beaupré", ("la Côte-de-Beaupré",), ("La Côte-de-Beaupré",), "the MRC"),
    ("Kamouraska", ("le Kamouraska",), ("Kamouraska",), "the MRC (a municipality has the name too)"),
    ("Bois-Francs", ("les Bois-Francs",), ("Arthabaska", "L'Érable"), "traditional name, Victoriaville area"),
    ("Vallée-de-la-Matapédia", ("la Matapédia", "Matapédia"), ("La Matapédia",), "the MRC"),
    ("Haute-Côte-Nord", ("la Haute-Côte-Nord",), ("La Haute-Côte-Nord",), "the MRC"),
    ("Hautes-Laurentides", ("les Hautes-Laurentides",), ("Antoine-Labelle",), "the MRC's usual name"),
    ("Rive-Sud de Montréal", ("Rive-Sud",),
     ("Longueuil", "Lajemmerais", "Roussillon", "La Vallée-du-Richelieu"),
     "the south shore of Montréal, Longueuil agglomeration and its neighbours"),
    ("Rive-Nord de Montréal", ("Rive-Nord", "Couronne Nord"),
     ("Laval", "Les Moulins", "Thérèse-De Blainville", "Deux-Montagnes", "Mirabel", "L'Assomption"),
     "the north shore of Montréal"),
    ("Outaouais", ("l'Outaouais",), ("region:07",), "region 07"),
    ("Mauricie", ("la Mauricie",), ("region:04",), "region 04"),
    ("Estrie", ("l'Estrie",), ("region:05",), "region 05"),
    ("Montérégie", ("la Montérégie",), ("region:16",), "region 16"),
    ("Laurentides", ("les Laurentides",), ("region:15",), "region 15"),
    ("Lanaudière", (), ("region:14",), "region 14"),
)  # fmt: skip

# Words a shopper uses for something other than a place that the sample catalogue lacks.
# « Lac » and « Îles » are the everyday short names of Lac-Saint-Jean and the Magdalen Islands but
# also plain words; Oka is a cheese, Saint-Honoré a cake, Saint-Ambroise a beer; "low", "price" and
# "hope" are English words in shoppers' queries.
EXTRA_COMMON_WORDS = (
    "lac", "iles", "ile", "le lac", "les iles", "low", "price", "hope", "rive sud", "rive nord", "oka",
    "saint honore", "saint ambroise",
)  # fmt: skip
# « Québec Vrai » (a certification) and « Montréal » in product names are taken out by the intents
# step or are the city: never a reason to doubt these two.
NEVER_COMMON = frozenset({"quebec", "montreal"})
# Word lists of sample_data.words that are places or addresses, not catalogue words.
NOT_CATALOGUE = frozenset({
    "REGIONS", "CITY_REGIONS", "_METRO", "METRO_REGIONS", "METRO_BOX", "POSTAL_LETTERS", "STREET_NAMES",
    "SHOP_STREETS", "ROAD_NAMES", "RANG_NAMES", "MONTEE_NAMES", "ROUTE_NUMBERS", "ORIENTATIONS",
})  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    table = build(args.data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(dump(table), encoding="utf-8")
    counts = defaultdict(int)
    for row in table["places"]:
        counts[row[1]] += 1
    print(f"{args.out}: {dict(counts)}, {len(table['common_words'])} common-word names, "
          f"{args.out.stat().st_size // 1024} KB")  # fmt: skip
    return 0


def dump(table: dict) -> str:
    """The table as written: one place per line, so that a diff shows what changed."""
    lines = [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in table["places"]]
    head = {k: v for k, v in table.items() if k not in ("places",)}
    text = json.dumps(head, ensure_ascii=False, indent=0, separators=(",", ":"))[:-2]
    return text + ',\n"places":[\n' + ",\n".join(lines) + "\n]}\n"


def build(data: Path) -> dict:
    municipal_rows = _read(data / "quebec_municipalities.csv")
    regions = _read(data / "quebec_regions.csv")
    geonames = _read(data / "quebec_places_geonames.csv")

    kept = [r for r in municipal_rows if r["designation"].startswith(KEPT_DESIGNATIONS)]
    municipalities = []
    for r in kept:
        if not r["latitude"]:
            continue
        municipalities.append({
            "name": r["nom"], "designation": _designation(r["designation"]), "region": r["region"],
            "division": r["division_recensement"], "population": int(r["population"] or 0),
            "area": float(r["superficie_km2"] or 0),
            "lat": float(r["latitude"]), "lon": float(r["longitude"]),
            "alternates": [],
        })  # fmt: skip
    by_key = defaultdict(list)
    for m in municipalities:
        by_key[place_key(m["name"])].append(m)
    primary_keys = set(by_key)

    localities = []
    for g in geonames:
        key, lat, lon = place_key(g["name"]), float(g["latitude"]), float(g["longitude"])
        near = [m for m in by_key.get(key, ()) if _km((lat, lon), (m["lat"], m["lon"])) < SAME_PLACE_KM]
        alternates = [a for a in g["alternate_names_latin"].split("|") if _usable_alternate(a)]
        if near:
            m = min(near, key=lambda m: _km((lat, lon), (m["lat"], m["lon"])))
            if "geonames" not in m:  # the first (most populous) GeoNames place lends its point
                m.update(lat=lat, lon=lon, geonames=True)
            m["alternates"] += alternates
        else:
            localities.append({
                "name": g["name"], "designation": "localité", "region": "", "division": "",
                "population": int(g["population"] or 0), "area": 0.0, "lat": lat, "lon": lon,
                "alternates": alternates,
            })  # fmt: skip
    # A locality gets the region of the nearest municipality (for the facet and the echo).
    for loc in localities:
        nearest = min(municipalities, key=lambda m: _km((loc["lat"], loc["lon"]), (m["lat"], m["lon"])))
        loc["region"] = nearest["region"]

    places: list[list] = []
    for m in sorted(municipalities + localities, key=lambda m: (-m["population"], m["name"], m["lat"])):
        radius = _clamp(_ceil5(1.5 * math.sqrt(m["area"] / math.pi)), DEFAULT_RADIUS_KM, 100)
        names = _alternates(m["name"], m["alternates"], primary_keys)
        places.append(_row(m["name"], "municipality", m["designation"], m["region"], m["population"],
                           m["area"], m["lat"], m["lon"], radius, names))  # fmt: skip

    members_of = defaultdict(list)  # "region:NN" or census division -> every kept row with a point
    for r in municipal_rows:
        if r["latitude"]:
            members_of["region:" + r["region_code"]].append(r)
            members_of[r["division_recensement"]].append(r)
    for reg in regions:
        rows = members_of["region:" + reg["region_code"]]
        places.append(_group(reg["region"], "region", reg["region"], rows, [], primary_keys))
    region_names = {place_key(reg["region"]) for reg in regions}
    for name, alternates, members, _source in AREAS:
        rows = [r for member in members for r in members_of[member]]
        if not rows:
            raise SystemExit(f"area {name}: no municipality in {members}")
        regions_of = sorted({r["region"] for r in rows})
        if place_key(name) in region_names:
            # The region under its everyday name: only the other spellings are new.
            region_row = next(p for p in places if p[1] == "region" and place_key(p[0]) == place_key(name))
            region_row[9] = sorted(
                set(region_row[9]) | {a for a in alternates if place_key(a) not in primary_keys}
            )
            continue
        places.append(_group(name, "area", " / ".join(regions_of), rows, list(alternates), primary_keys))

    places.extend(_postal_areas(data))
    return {
        "about": "Quebec places for near= and places in the shopper's words; built by "
        "scripts/build_gazetteer.py; see LICENSE.md for sources and credits",
        "columns": COLUMNS,
        "common_words": _common_words(places),
        "places": places,
    }


def _row(name, kind, designation, region, population, area, lat, lon, radius, names) -> list:
    return [name, kind, designation, region, population, round(area, 1), round(lat, 5), round(lon, 5),
            radius, names]  # fmt: skip


def _group(name: str, kind: str, region: str, rows: list[dict], alternates: list[str], primary_keys) -> list:
    """A region or an area: population-weighted centre, radius covering 90 % of its people."""
    weights = [max(int(r["population"] or 0), 1) for r in rows]
    total = sum(weights)
    lat = sum(w * float(r["latitude"]) for w, r in zip(weights, rows, strict=True)) / total
    lon = sum(w * float(r["longitude"]) for w, r in zip(weights, rows, strict=True)) / total
    distances = sorted(
        (_km((lat, lon), (float(r["latitude"]), float(r["longitude"]))), w)
        for w, r in zip(weights, rows, strict=True)
    )
    covered, radius = 0, 0.0
    for distance, w in distances:
        covered += w
        radius = distance
        if covered >= 0.9 * total:
            break
    population = sum(int(r["population"] or 0) for r in rows)
    area = sum(float(r["superficie_km2"] or 0) for r in rows)
    names = sorted(
        {a for a in alternates if place_key(a) not in primary_keys and place_key(a) != place_key(name)}
    )
    return _row(name, kind, kind if kind == "region" else "", region, population, area, lat, lon,
                _clamp(_ceil5(radius), DEFAULT_RADIUS_KM, 500), names)  # fmt: skip


def _postal_areas(data: Path) -> list[list]:
    spread: dict[str, list[tuple[float, float]]] = defaultdict(list)
    with gzip.open(data / "quebec_postal_codes.csv.gz", "rt", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            spread[r["fsa"]].append((float(r["latitude"]), float(r["longitude"])))
    rows = []
    for r in sorted(_read(data / "quebec_fsa.csv"), key=lambda r: r["fsa"]):
        points = spread.get(r["fsa"], [])
        if points:
            centre = (float(r["pc_mean_latitude"]), float(r["pc_mean_longitude"]))
            distances = sorted(_km(centre, p) for p in points)
            radius = math.ceil(distances[int(0.9 * (len(distances) - 1))])
        elif r["accuracy"] != "1":
            centre, radius = (float(r["latitude"]), float(r["longitude"])), 5
        else:
            continue  # a rough GeoNames point with no postal code to check it (G0B): unknown
        rural = r["fsa"][1] == "0"
        radius = _clamp(radius, 2, 200 if rural else 25)
        rows.append(
            _row(r["fsa"], "postal_code", "rural" if rural else "urban", "", 0, 0.0, *centre, radius, [])
        )
    return rows


def _common_words(places: list[list]) -> list[str]:
    """Folded names of places (and their other names) that are also words of the catalogue."""
    vocabulary = set(_catalogue_ngrams()) | {_singular(w) for w in EXTRA_COMMON_WORDS}
    vocabulary -= NEVER_COMMON
    found = set()
    for row in places:
        if row[1] == "postal_code":
            continue
        for name in [row[0], *row[9]]:
            key = place_key(name)
            bare = (
                key.split(" ", 1)[1]
                if key.split(" ", 1)[0] in ("la", "le", "les", "l") and " " in key
                else key
            )
            if _singular(key) in vocabulary or _singular(bare) in vocabulary:
                found.add(key)
    return sorted(found)


def _catalogue_ngrams(longest: int = 6):
    from sample_data import words

    phrases: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            phrases.extend(part for part in value.replace("}", "{").split("{")[::2] if part.strip())
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, (tuple, list, set, frozenset)):
            for v in value:
                walk(v)

    for name, value in vars(words).items():
        if name.lstrip("_").isupper() and name not in NOT_CATALOGUE:
            walk(value)
    synonyms = (ROOT / "mappings" / "synonyms_fr.txt").read_text(encoding="utf-8")
    for line in synonyms.splitlines():
        if line.strip() and not line.startswith("#"):
            phrases.extend(line.replace("=>", ",").split(","))
    for phrase in phrases:
        yield from _ngrams(phrase, longest)


_PREPOSITIONS = frozenset({"de", "du", "des", "d", "au", "aux", "a", "en"})
_ARTICLES = frozenset({"la", "le", "les", "l"})
_CONNECTORS = _PREPOSITIONS | _ARTICLES | {"sur", "et"}


def _ngrams(phrase: str, longest: int):
    """The folded n-grams of a catalogue phrase, except inside a capitalised name after a preposition.

    « Bleuets du Lac-Saint-Jean », « Aliments du Québec »: the catalogue names the place a product
    comes from; that does not make « Lac-Saint-Jean » a common word. « Fromage Oka » and « confiture
    de pêches » do count (a capitalised word not after a preposition; a lower-case word).
    """
    typed = [w for w in re.split(r"[\s\-‐‑’'.,/()«»:;!?]+", phrase) if w]
    keys = [_singular(place_key(w)) for w in typed]
    origin = [False] * len(typed)
    i = 0
    while i < len(typed):
        if keys[i] in _PREPOSITIONS:
            start = j = i + 1
            if j < len(typed) and keys[j] in _ARTICLES:
                j += 1
            end = j
            while j < len(typed):
                k = j  # connectors (« -de-la- ») continue a name when a capitalised word follows them
                while k < len(typed) and keys[k] in _CONNECTORS and not typed[k][:1].isupper():
                    k += 1
                if k == len(typed) or not typed[k][:1].isupper() or (k > j and j == end and end == start):
                    break
                j = end = k + 1
            if end > start and typed[end - 1][:1].isupper():  # the article goes with a name, not alone
                origin[start:end] = [True] * (end - start)
            i = max(j, i + 1)
        else:
            i += 1
    for n in range(1, longest + 1):
        for i in range(len(keys) - n + 1):
            if not all(origin[i : i + n]):
                yield " ".join(keys[i : i + n])


def _singular(key: str) -> str:
    return " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in key.split())


def _alternates(name: str, alternates: list[str], primary_keys: set[str]) -> list[str]:
    own = place_key(name)
    seen, names = set(), []
    for a in alternates:
        key = place_key(a)
        if key and key != own and key not in primary_keys and key not in seen:
            seen.add(key)
            names.append(a)
    return names


def _usable_alternate(name: str) -> bool:
    # GeoNames's lower-case romanisations of non-Latin names are noise, and so are short codes.
    name = name.strip()
    if not name or not name[0].isupper():
        return False
    if name.isupper() and len(name) <= 4:  # airport and postal abbreviations: YQB, QC, BQC
        return False
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in name)


def _designation(text: str) -> str:
    return text.split(" (")[0]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _ceil5(km: float) -> int:
    return int(5 * math.ceil(km / 5))


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


if __name__ == "__main__":
    raise SystemExit(main())
