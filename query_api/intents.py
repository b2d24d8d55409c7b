"""What a shopper's words ask for besides the product itself: Quebec-made, and certifications. Pure.

``find_intents("fromage québécois bio")`` → words ``"fromage"``, ``quebec=True``,
``certifications=("Biologique Canada",)``. The phrases understood are taken out of the words left
to match, so that « miel local » no longer requires a listing to contain « local ».

The rules, matched on accent-folded words, longest phrase first:

- Quebec-made: « québécois(e)(s) », « du Québec », « au Québec » (« fait au Québec », « produit(s)
  du Québec », « aliments du Québec » are taken whole), « d'ici », « local(e)(s) »/« locaux »,
  « achat local », « made in Quebec ». « Québec » on its own is not an intent: after a product it
  names the city (« épicerie fine québec »), which is for ``places``; so is « de Québec ».
- Certifications the catalogue holds: « bio », « biologique(s) », « organic » → Biologique Canada;
  « Québec Vrai » → Québec Vrai. A certification the catalogue does not hold (« équitable ») is not
  an intent: the word stays to be matched.

What an intent does to the search is the query builder's business: a preference (a boost), never
a filter, unless the shopper also asks ``quebec=true``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.records.text import fold

ORGANIC = "Biologique Canada"
QUEBEC_VRAI = "Québec Vrai"
QUEBEC = "quebec"  # the kind of an intent that asks for Quebec-made products

# Folded phrase -> (kind, value): kind is QUEBEC or "certification" (value: the catalogue's label).
_PHRASES: dict[tuple[str, ...], tuple[str, str | None]] = {}


def _add(kind: str, value: str | None, *phrases: str) -> None:
    for phrase in phrases:
        _PHRASES[tuple(fold(phrase).split())] = (kind, value)


_add(QUEBEC, None,
     "québécois", "québécoise", "québécoises", "du québec", "au québec", "du qc", "au qc",
     "fait au québec", "faite au québec", "faits au québec", "faites au québec",
     "produit du québec", "produits du québec", "produit au québec", "produits au québec",
     "aliments du québec", "aliment du québec", "d'ici", "produit d'ici", "produits d'ici",
     "local", "locale", "locales", "locaux", "achat local", "produit local", "produits locaux",
     "made in quebec")  # fmt: skip
_add("certification", ORGANIC, "bio", "biologique", "biologiques", "organic", "certifié bio")
_add("certification", QUEBEC_VRAI, "québec vrai")
_LONGEST = max(len(p) for p in _PHRASES)
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Intents:
    words: str  # what is left to match, in the shopper's spelling
    quebec: bool = False
    certifications: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()  # the phrases understood, as typed

    @property
    def found(self) -> bool:
        return bool(self.phrases)


def find_intents(q: str) -> Intents:
    """The intents in ``q`` and the words left once their phrases are taken out."""
    tokens = _TOKEN.findall(q)
    # One folded token may be several words (« d'ici » -> "d ici"): match on the words, keep tokens.
    keys = [tuple(fold(t).split()) for t in tokens]
    kept: list[str] = []
    phrases: list[str] = []
    quebec = False
    certifications: list[str] = []
    i = 0
    while i < len(tokens):
        match = _match(keys, i)
        if match is None:
            kept.append(tokens[i])
            i += 1
            continue
        end, (kind, value) = match
        phrases.append(" ".join(tokens[i:end]))
        if kind == QUEBEC:
            quebec = True
        elif value not in certifications:
            certifications.append(value)  # type: ignore[arg-type]
        i = end
    return Intents(" ".join(kept), quebec, tuple(certifications), tuple(phrases))


def _match(keys: list[tuple[str, ...]], start: int) -> tuple[int, tuple[str, str | None]] | None:
    """The longest phrase starting at token ``start``: (the token after it, what it means)."""
    best = None
    words: tuple[str, ...] = ()
    for end in range(start, min(len(keys), start + _LONGEST)):
        words += keys[end]
        if not words:  # a token of punctuation only
            break
        found = _PHRASES.get(words)
        if found is not None:
            best = (end + 1, found)
        if len(words) >= _LONGEST:
            break
    return best
