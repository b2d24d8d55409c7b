"""The interpretation step: a shopper's raw ``q`` -> the words left to match and what was understood.

Pure, and run before the engine request of ``/v1/products`` unless the shopper asks ``literal=true``.
What it understands today: Quebec-made and certifications (``query_api.intents``). The answer
echoes it as ``understood`` so that a client can say what it did and offer the literal search:

    "understood": {"quebec": true, "certifications": ["Biologique Canada"],
                   "dropped": ["québécois", "bio"]}

``dropped`` lists the phrases taken out of the words to match, as the shopper typed them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from query_api.intents import find_intents

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

    def echo(self) -> dict[str, Any]:
        return {
            "quebec": self.quebec,
            "certifications": list(self.certifications),
            "dropped": list(self.dropped),
        }


def understand(q: str) -> Understood:
    """What ``q`` asks for besides its words, and the words left to match."""
    intents = find_intents(q)
    if not intents.found:
        return Understood(q)
    return Understood(intents.words, intents.quebec, intents.certifications, intents.phrases)


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
