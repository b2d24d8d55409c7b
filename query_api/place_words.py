"""Find a Quebec place inside the shopper's words: « fromage sherbrooke », « miel près de Granby ». Pure.

``find_in_words(q)`` answers at most one :class:`PlaceMatch`: the place (from the gazetteer of
``query_api.places``), the words that named it as typed (``from_words``), the words left to match,
and its ``role``: ``"location"`` (search around it) or ``"origin"`` (where the product comes from,
to be matched against the product's text: the words stay). ``None`` when the words name no place.

The rules, on folded words (accents, case, hyphens, St/Ste as for ``near=``), longest name first:

1. A postal area anywhere (« cafés H2R », « pain H2R 1S7 ») is the location. A rural one (``G0A``)
   is too coarse, as for ``near=``: it stays in the words.
2. After a cue: « près de/du/des », « proche de », « autour de », « pas loin de », « aux alentours
   de », « région de », « secteur » (strong cues) or « à », « au », « aux », « en », « dans » (weak
   cues), a place name is the location (« boulangerie à Trois-Rivières », « miel près de
   Saint-Jean-sur-Richelieu »). The words may go on after it.
3. The last words of ``q`` naming a place, after at least one other word, are the location
   (« fromage sherbrooke », « cidre Beauce ») unless a preposition of origin comes before them:
   « de », « du », « des », « d' », « de la », « de l' ». Then they are an origin phrase
   (« bleuets du Lac », « fraises de l'île d'Orléans », « homard des Îles »), except after a
   merchant kind (« boulangerie de Trois-Rivières » is a bakery there: the location).
4. A whole query that is a place name (« Gaspésie ») is the location.

Food words are not places. A place whose name is also a word of the catalogue (the gazetteer's
``common_words``: names found in the sample generator's word lists and the synonyms file, plus a
few hand-written: « Lac », « Îles », Oka, Saint-Honoré, "low", "price"…) is a location only with
more evidence: a strong cue (« près de La Pêche »), or « à » followed by the name typed with its
capitals (« épicerie à La Tuque », but « tarte à la pêche » is a tart). Never from rules 3 or 4
alone (« fromage oka », « oka » are the cheese); as an origin phrase it stays one (harmless: its
words are matched anyway).

Québec: « québec » alone after a product is the city (« épicerie fine québec »), so are « à
Québec » and « près de Québec »; « du Québec », « au Québec », « en Québec » (and « québécois »)
are the Quebec-made intent of ``query_api.intents``, so they are not a place here (``None``).
« de Québec » is an origin phrase naming the city.

What the caller does with a location when the shopper also gave ``near=`` or ``lat``/``lon`` is
its business (the interpretation step documents it). Cost: a few dict lookups per word; measured by
``bench/place_words.py``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from query_api import places
from query_api.schemas import MAX_QUERY_TERMS

LOCATION, ORIGIN = "location", "origin"

_STRONG_CUES = tuple(
    tuple(c.split())
    for c in (
        "pres de", "pres du", "pres des", "proche de", "proche du", "proche des", "autour de", "autour du",
        "pas loin de", "pas loin du", "aux alentours de", "aux alentours du", "region de", "region du",
        "secteur", "near",
    )
)  # fmt: skip
_WEAK_CUES = (("a",), ("au",), ("aux",), ("en",), ("dans",), ("in",))
_CUES = sorted(((c, True) for c in _STRONG_CUES), key=lambda c: -len(c[0])) + [(c, False) for c in _WEAK_CUES]
_CUES_BY_FIRST_WORD: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
for _cue in _CUES:
    _CUES_BY_FIRST_WORD.setdefault(_cue[0][0], []).append(_cue)
_ORIGIN_PREPOSITIONS = frozenset({"de", "du", "des", "d"})
_ARTICLES = frozenset({"la", "le", "les", "l"})
_INTENT_PREPOSITIONS = frozenset({"du", "au", "en"})  # « du Québec » is the intent, not the place
_QUEBEC = "quebec"
_FSA = re.compile(r"([GHJ]\d[A-Z])(\d[A-Z]\d)?", re.IGNORECASE)
_LDU = re.compile(r"\d[A-Z]\d", re.IGNORECASE)
# A merchant kind before « de X » makes X where the shop is (« fromagerie de Sherbrooke »). Folded,
# singular.
_MERCHANT_KINDS = frozenset({
    "boulangerie", "fromagerie", "epicerie", "boucherie", "poissonnerie", "patisserie", "chocolaterie",
    "fruiterie", "depanneur", "marche", "erabliere", "cidrerie", "vignoble", "microbrasserie", "brasserie",
    "miellerie", "traiteur", "restaurant", "cafe", "quincaillerie", "pharmacie", "librairie", "boutique",
    "magasin", "commerce", "ferme", "kiosque", "comptoir", "fine",
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    place: places.Place
    from_words: str  # what named it, as typed, cue included: "sherbrooke", "près de Granby"
    remaining: str  # the words left to match: without from_words for a location, all of q for an origin
    role: str  # LOCATION or ORIGIN

    def echo(self) -> dict[str, Any]:
        """The place as the answer's ``understood.place`` shows it."""
        p = self.place
        return {"name": p.name, "kind": p.kind, "lat": p.lat, "lon": p.lon, "radius_km": p.radius_km,
                "role": self.role, "from": self.from_words}  # fmt: skip


def find_in_words(q: str) -> PlaceMatch | None:
    """The place ``q`` names, if any (the rules are the module's docstring)."""
    tokens = q.split()[:MAX_QUERY_TERMS]  # the API refuses more; beyond, no place is looked for
    if not tokens:
        return None
    keys = [_fold(t) for t in tokens]
    table = places.gazetteer()
    return (
        _postal_area(q, tokens, table)
        or _after_cue(q, tokens, keys, table)
        or _trailing(q, tokens, keys, table)
    )


@functools.lru_cache(maxsize=8192)
def _fold(token: str) -> tuple[str, ...]:
    return tuple(places.place_key(token).split())


def _postal_area(q: str, tokens: list[str], table: places.Gazetteer) -> PlaceMatch | None:
    for i, token in enumerate(tokens):
        found = _FSA.fullmatch(token)
        if found is None:
            continue
        place = table.postal_areas.get(found.group(1).upper())
        if place is None or place.designation == "rural":
            continue
        end = (
            i + 2
            if found.group(2) is None and i + 1 < len(tokens) and _LDU.fullmatch(tokens[i + 1])
            else i + 1
        )
        return _location(place, tokens, i, i, end)
    return None


def _after_cue(
    q: str, tokens: list[str], keys: list[tuple[str, ...]], table: places.Gazetteer
) -> PlaceMatch | None:
    for i, key in enumerate(keys):
        if len(key) != 1 or key[0] not in _CUES_BY_FIRST_WORD:
            continue
        for cue, strong in _CUES_BY_FIRST_WORD[key[0]]:
            if not _is_cue(keys, i, cue):
                continue
            start = i + len(cue)
            found = _longest_from(keys, start, table)
            if found is None:
                continue
            end, key, place = found
            if key == _QUEBEC and cue[-1] in _INTENT_PREPOSITIONS:
                return None  # « fait au Québec »: the intent's
            if key in table.common_words and not (
                strong or (cue == ("a",) and _capitalised(tokens[start:end]))
            ):
                continue
            return _location(place, tokens, i, start, end)
    return None


def _trailing(
    q: str, tokens: list[str], keys: list[tuple[str, ...]], table: places.Gazetteer
) -> PlaceMatch | None:
    n = len(tokens)
    for start in range(max(0, n - table.longest_name), n):  # longest name first
        key = " ".join(w for k in keys[start:] for w in k)
        place = table.by_key.get(key)
        elided = False
        if place is None and len(keys[start]) > 1 and keys[start][0] in ("d", "l"):
            key = " ".join(w for k in keys[start:] for w in k)[2:]  # « d'Oka »: the preposition inside
            place = table.by_key.get(key)
            elided = keys[start][0] == "d"
        if place is None:
            continue
        before = start
        if (
            before > 0
            and keys[before - 1] in (("la",), ("l",))
            and before > 1
            and keys[before - 2] == ("de",)
        ):
            before -= 2
        elif before > 0 and len(keys[before - 1]) == 1 and keys[before - 1][0] in _ORIGIN_PREPOSITIONS:
            before -= 1
        if elided or before < start:  # an origin phrase
            if key == _QUEBEC and (elided or keys[start - 1] != ("de",)):
                return None  # « du Québec »: the intent's
            if before == 0:
                return None  # « de Sherbrooke » alone: nothing to come from
            if keys[before - 1] and _singular(keys[before - 1][-1]) in _MERCHANT_KINDS:
                return _location(place, tokens, before, before, n)
            return PlaceMatch(place, " ".join(tokens[before:]), " ".join(tokens), ORIGIN)
        if start > 0 and any(_is_cue(keys, start - len(c), c) for c, _ in _CUES if len(c) <= start):
            return None  # after a cue that rule 2 did not accept (« tarte à la pêche », « au Québec »)
        if key in table.common_words:
            return None
        return _location(place, tokens, start, start, n)
    return None


def _is_cue(keys: list[tuple[str, ...]], i: int, cue: tuple[str, ...]) -> bool:
    return i + len(cue) <= len(keys) and all(keys[i + j] == (word,) for j, word in enumerate(cue))


def _longest_from(keys: list[tuple[str, ...]], start: int, table: places.Gazetteer):
    best = None
    words: list[str] = []
    for end in range(start, min(len(keys), start + table.longest_name)):
        words.extend(keys[end])
        if not words:
            break
        key = " ".join(words)
        place = table.by_key.get(key)
        if place is not None:
            best = (end + 1, key, place)
        if len(words) >= table.longest_name:
            break
    return best


def _location(
    place: places.Place, tokens: list[str], phrase_start: int, name_start: int, end: int
) -> PlaceMatch:
    del name_start  # the cue, if any, goes with the name
    remaining = " ".join(tokens[:phrase_start] + tokens[end:])
    return PlaceMatch(place, " ".join(tokens[phrase_start:end]), remaining, LOCATION)


def _capitalised(tokens: list[str]) -> bool:
    """Every word of the name typed with a capital (« La Tuque », « Oka »), connectors aside."""
    words = [w for t in tokens for w in re.split(r"[-'’]", t) if w]
    return all(
        w[0].isupper()
        for w in words
        if w.casefold() not in ("de", "du", "des", "la", "le", "les", "l", "d", "sur", "en")
    )


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word
