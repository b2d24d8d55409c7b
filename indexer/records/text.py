"""Accent folding: the text keys of the records contract (product keys) and what builds on it. Pure.

``fold`` is the catalogue's key: "Sirop d'ÉRABLE" and "sirop d’erable" are one product name and,
in the search events, one query. The query API's place names use a looser key built on
``strip_accents`` (``query_api.places.place_key``: abbreviations expanded, punctuation kept).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def strip_accents(text: str) -> str:
    """``text`` without its combining marks (é -> e, ç -> c); every other character is kept."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=65_536)  # product names and brands repeat across merchants' listings
def fold(text: str) -> str:
    """Lowercase, strip accents, collapse everything that is not a letter or digit to one space."""
    return _NON_ALNUM.sub(" ", strip_accents(text.lower())).strip()


# What follows these words in a French product name qualifies what comes before it: « Épices à
# steak » are spices, « Tarte aux myrtilles » a pie, « Lapin en chocolat noir » a rabbit.
_QUALIFIERS = re.compile(
    r"[,(/:;–—]|\s(?:à|a|au|aux|pour|de|du|des|d['’]|en|avec|sans|sur|et)(?=\s|$)|\sd['’]", re.IGNORECASE
)


HEAD_WORDS = 2  # « Chocolat noir », « Steak haché »; not the « Fleur » of « Fromage La Fleur des champs »


def name_head(name: str) -> str:
    """What a product name names: its first words (at most ``HEAD_WORDS``) before the first
    qualifier (a preposition, a comma), never empty (« Sirop d'érable pur, ambré » → « Sirop »;
    « Bifteck de surlonge » → « Bifteck »)."""
    match = _QUALIFIERS.search(name, 1)
    head = name[: match.start()].strip() if match else name.strip()
    return " ".join((head or name.strip()).split()[:HEAD_WORDS])
