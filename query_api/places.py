"""Resolve the shopper's ``near=`` text to a Quebec place: a municipality, region, area or postal area.

Every place comes from the gazetteer shipped next to this module (``data/gazetteer.json``, built by
``scripts/build_gazetteer.py`` from MAMH's directory of municipalities, GeoNames and hand-written
area names; CC BY 4.0, credits in ``data/LICENSE.md``): the ~1,150 municipalities and reserves
(plus 155 GeoNames localities that are no longer municipalities, such as Sainte-Foy, or are
boroughs), the 17 administrative regions, common names for areas (« Gaspésie », « Beauce »,
« Cantons-de-l'Est ») and the postal areas (FSA). Each :class:`Place` has a ``kind`` and a
``radius_km`` that suits its size (a municipality at least 25 km, a region up to 500 km).

Names are compared on a folded key (:func:`place_key`): case and accents are dropped, ``-``, ``’``,
``'``, ``.`` and runs of spaces all count as one separator, and the abbreviations St/Ste/Mt (with or
without a dot) read as Saint/Sainte/Mont. So "St-Jérôme", "saint jerome" and "ST. JEROME" are one
key. When several places share a key (two "Sainte-Catherine"), the most populous municipality wins;
a region or an area never shadows a municipality (« Laval », « Montréal » are the cities). GeoNames
alternate names add English and other spellings ("Montreal", "Quebec City"); the build keeps those
written in Latin script, starting with a capital, not short all-capital codes ("QC", "YQB"), and
not colliding with any place's own name.

Postal codes ("H2R 1S7", "h2r1s7") and forward sortation areas ("H2R") resolve to the mean of the
FSA's postal codes (GeoNames). Only the FSA is known, so a full code is located to its FSA, a few km
at most in a city. Rural FSAs (second character ``0``, e.g. ``G0A``) cover whole regions; their
centre could be 100 km from the shopper, so they are refused with a message asking for the
municipality name instead.

The table is read on first use (about 30 ms) and kept for the life of the process; call
:func:`quebec_places` at start-up to pay that early. After that a lookup is one dict access on the
folded key; fuzzy matching runs only on a miss, to fill :attr:`UnknownPlace.suggestions`.
Places inside the shopper's words (« fromage sherbrooke ») are :func:`find_in_words`'s
(``query_api.place_words``).
"""

from __future__ import annotations

import difflib
import functools
import json
import math
import re
import threading
from dataclasses import dataclass, field
from importlib import resources

from indexer.records.text import strip_accents

MAX_QUERY_LENGTH = 100
SUGGESTION_CUTOFF = 0.75
QUEBEC_FSA_LETTERS = frozenset("GHJ")  # Canada Post assigns G, H and J to Quebec only.

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—’‘'`´.,/()]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes", "mt": "mont"}
_NICKNAMES = {"mtl": "Montréal"}  # folded key -> canonical name; only what GeoNames lacks
GAZETTEER = "gazetteer.json"
MUNICIPALITY, REGION, AREA, POSTAL_CODE = "municipality", "region", "area", "postal_code"
DEFAULT_RADIUS_KM = 25
_POSTAL_CODE = re.compile(r"([A-Z]\d[A-Z])(?:[\s-]*(\d[A-Z]\d))?")


@dataclass(frozen=True)
class Place:
    """A Quebec place. Two places are equal when their name, point, population and kind are: the
    other fields describe it and take no part in comparisons."""

    name: str  # canonical French name as MAMH spells it, or the FSA ("H2R")
    lat: float
    lon: float
    population: int  # 0 for a postal code
    kind: str  # MUNICIPALITY, REGION, AREA or POSTAL_CODE
    radius_km: int = field(default=DEFAULT_RADIUS_KM, compare=False)  # a search circle that suits its size
    region: str = field(default="", compare=False)  # administrative region ("A / B" for an area across two)
    designation: str = field(default="", compare=False)  # Ville, Municipalité…, "localité"; "rural" FSA


class UnknownPlace(ValueError):
    """The text names no Quebec place we know; ``suggestions`` holds close canonical names."""

    def __init__(self, query: str, suggestions: list[str], message: str | None = None):
        if message is None:
            message = f"no Quebec municipality named {query!r}"
            if suggestions:
                message += f"; did you mean {', '.join(suggestions)}?"
        super().__init__(message)
        self.query = query
        self.suggestions = list(suggestions)


def place_key(text: str) -> str:
    """A place name's comparison key: lower case, no accents, one space between words, St/Ste/Mt expanded.

    Not the catalogue's ``fold`` (``indexer.records.text``), though both strip accents the same way:
    here the abbreviations are expanded, œ/æ read oe/ae, and only name separators split words (other
    punctuation is kept).
    """
    text = strip_accents(text.casefold().replace("œ", "oe").replace("æ", "ae"))
    return " ".join(_ABBREVIATIONS.get(word, word) for word in _SEPARATORS.split(text) if word)


def resolve(text: str) -> Place:
    """The place ``text`` names; ValueError if it is blank or too long, UnknownPlace if unknown."""
    stripped = _checked(text)
    postal = _POSTAL_CODE.fullmatch(stripped.upper())
    if postal:
        return _resolve_postal_code(stripped, postal.group(1))
    key = _key(stripped)
    place = _gazetteer().by_key.get(key)
    if place is None:
        raise UnknownPlace(stripped, _close_names(key, 3))
    return place


def suggest(text: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` canonical municipality names close to ``text``, best first."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return _close_names(_key(_checked(text)), limit)


def quebec_places() -> tuple[Place, ...]:
    """Every Quebec municipality (and GeoNames locality) in the gazetteer, most populous first."""
    return _gazetteer().municipalities


def gazetteer() -> Gazetteer:
    """The whole table, read once: every place and the lookups built on it."""
    return _gazetteer()


def _checked(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"place name must be a string, not {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise ValueError("place name is empty; give a Quebec municipality or postal code")
    if len(stripped) > MAX_QUERY_LENGTH:
        raise ValueError(f"place name is longer than {MAX_QUERY_LENGTH} characters")
    return stripped


def _key(text: str) -> str:
    key = place_key(text)
    if not key:
        raise ValueError(f"place name {text!r} has no letters or digits")
    return key


def _close_names(key: str, limit: int) -> list[str]:
    table = _gazetteer()
    names: list[str] = []
    for match in difflib.get_close_matches(key, table.keys, n=limit * 3, cutoff=SUGGESTION_CUTOFF):
        name = table.by_key[match].name
        if name not in names:
            names.append(name)
    return names[:limit]


# --- the gazetteer ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gazetteer:
    places: tuple[Place, ...]  # municipalities (most populous first), regions, areas, postal areas
    municipalities: tuple[Place, ...]
    by_key: dict[str, Place]  # folded names and other names of every place but postal areas
    keys: tuple[str, ...]  # by_key's keys, for difflib
    common_words: frozenset[str]  # folded names that are also words of the catalogue
    postal_areas: dict[str, Place]  # "H2R" -> the FSA, rural ones too
    longest_name: int  # words in the longest key


_BUILD_LOCK = threading.Lock()


def _gazetteer() -> Gazetteer:
    # The lock keeps concurrent first requests from building the table twice.
    with _BUILD_LOCK:
        return _load_gazetteer()


@functools.cache
def _load_gazetteer() -> Gazetteer:
    table = json.loads(resources.files("query_api").joinpath("data", GAZETTEER).read_text(encoding="utf-8"))
    places: list[Place] = []
    other_names: list[list[str]] = []
    for name, kind, designation, region, population, _area, lat, lon, radius, names in table["places"]:
        places.append(Place(name, lat, lon, population, kind, radius, region, designation))
        other_names.append(names)
    by_key: dict[str, Place] = {}
    named = [(p, n) for p, n in zip(places, other_names, strict=True) if p.kind != POSTAL_CODE]
    for place, _names in named:  # municipalities most populous first, then regions and areas
        by_key.setdefault(place_key(place.name), place)
    for place, names in named:  # the build dropped other names that are some place's own name
        for other in names:
            by_key.setdefault(place_key(other), place)
    municipalities = tuple(p for p in places if p.kind == MUNICIPALITY)
    by_name = {p.name: p for p in reversed(municipalities)}  # most populous of a name
    for key, name in _NICKNAMES.items():
        by_key.setdefault(key, by_name[name])
    return Gazetteer(
        tuple(places),
        municipalities,
        by_key,
        tuple(by_key),
        frozenset(table["common_words"]),
        {p.name: p for p in places if p.kind == POSTAL_CODE},
        max(len(key.split()) for key in by_key),
    )


# --- postal codes --------------------------------------------------------------------------------


def _resolve_postal_code(text: str, fsa: str) -> Place:
    if fsa[0] not in QUEBEC_FSA_LETTERS:
        raise UnknownPlace(text, [], f"{text!r} is not a Quebec postal code (those start with G, H or J)")
    if fsa[1] == "0":
        raise UnknownPlace(
            text,
            [],
            f"postal code area {fsa} is rural and spans a whole region; use the municipality name instead",
        )
    place = _gazetteer().postal_areas.get(fsa)
    if place is None:
        raise UnknownPlace(text, [], f"no Quebec postal code area {fsa}; use a municipality name")
    return place


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))
