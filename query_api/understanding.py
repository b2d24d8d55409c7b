"""The interpretation step: a shopper's raw ``q`` -> the words left to match and what was understood.

Pure, and run before the engine request of ``/v1/products`` and ``/v1/merchants`` unless the
shopper asks ``literal=true``. What it understands:

- on products, Quebec-made and certifications (``query_api.intents``);
- on both, a place inside the words (``query_api.place_words``): « fromage sherbrooke »,
  « boulangerie à Trois-Rivières », « cafés H2R ». It becomes the search's location, with the
  radius that suits its size (a region is not a 25 km circle), **only when the search has no
  location of its own**: an explicit ``near=`` or ``lat``/``lon`` always wins, and the words are
  then matched as typed, but for a place the location already lies in (within the place's
  radius), which is taken out of the words (« bagels montréal » near Montréal). An origin phrase
  (« bleuets du Lac ») is not a location: its words stay.

The answer echoes it as ``understood`` so that a client can say what it did and offer the literal
search:

    "understood": {"place": {"name": "Sherbrooke", "kind": "municipality", "lat": …, "lon": …,
                             "radius_km": 30, "role": "location", "from": "sherbrooke"},
                   "quebec": true, "certifications": ["Biologique Canada"],
                   "dropped": ["québécois", "bio", "sherbrooke"]}

``dropped`` lists the phrases taken out of the words to match, as the shopper typed them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from query_api.intents import Intents, find_intents
from query_api.place_words import LOCATION, PlaceMatch, find_in_words
from query_api.places import km_between

# How much an understood intent weighs on relevance: a multiplier, never a filter (``quebec=true``
# is the filter). Stronger than the standing ``PANIER_QUEBEC_BOOST``, since the shopper asked.
PREFER_QUEBEC = 3.0
PREFER_CERTIFIED = 2.0


@dataclass(frozen=True, slots=True)
class Understood:
    words: str  # what is left to match ("" when the intents were all the words)
    quebec: bool = False
    certifications: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    place: PlaceMatch | None = None  # a location named in the words
    asked: str = field(default="", compare=False)  # q as the shopper typed it

    def echo(self) -> dict[str, Any]:
        return {
            "place": self.place.echo() if self.place else None,
            "quebec": self.quebec,
            "certifications": list(self.certifications),
            "dropped": list(self.dropped),
        }


def understand(
    q: str, *, located: bool = False, intents: bool = True, at: tuple[float, float] | None = None
) -> Understood:
    """What ``q`` asks for besides its words, and the words left to match. ``located``: the search
    has a location of its own (``at``, when known): no place is then taken from the words, except
    that a place the location already lies in is taken out of them, since it says nothing more
    (« bagels montréal » with ``near=Montréal``: bagels, not posters « de Montréal »); ``intents``:
    look for the Quebec-made and certification intents (products)."""
    found = find_intents(q) if intents else Intents(q)
    understood = Understood(found.words, found.quebec, found.certifications, found.phrases, asked=q)
    if located and at is None:
        return understood
    match = find_in_words(found.words)
    if match is None or match.role != LOCATION:
        return understood
    if located:
        place = match.place
        if not match.remaining or km_between(at, (place.lat, place.lon)) > place.radius_km:
            return understood  # another place than the search's: its name stays a word to match
        return Understood(
            match.remaining, understood.quebec, understood.certifications,
            (*understood.dropped, match.from_words), None, q,
        )  # fmt: skip
    return Understood(
        match.remaining, understood.quebec, understood.certifications,
        (*understood.dropped, match.from_words), match, q,
    )  # fmt: skip


def preferences(understood: Understood | None, standing_quebec_boost: float) -> list[dict[str, Any]]:
    """The ``function_score`` functions of a product search: the standing Quebec boost, stronger
    when the shopper asked for Quebec-made products, and a weight for the certifications asked."""
    functions: list[dict[str, Any]] = []
    quebec = (
        max(standing_quebec_boost, PREFER_QUEBEC)
        if understood and understood.quebec
        else standing_quebec_boost
    )
    if quebec > 1:
        # A multiplier on relevance, never a filter or a sort: a clearly better text match still wins.
        functions.append({"filter": {"term": {"quebec_product": True}}, "weight": quebec})
    if understood and understood.certifications:
        certified = {"terms": {"certifications": list(understood.certifications)}}
        functions.append({"filter": certified, "weight": PREFER_CERTIFIED})
    return functions
