"""At a dead end (the strict search and its relaxation found nothing), what the answer offers
instead: "did you mean" spellings from the catalogue's own words and the nearest merchants of a
kind close to the words. One engine round trip (an ``_msearch`` of two searches), only then.

- **Spellings**: the engine's phrase suggester over the unstemmed words of the names
  (``name.words``; for merchants their kinds too, ``categories.words``), up to two words changed,
  each by as many edits as the search forgives (``near``: « oeufs » is not offered « ours »), the
  first letter included (« kretons » → « cretons », which the search's own typo tolerance does not
  reach: it keeps the first letter). The local engine has no
  script language, so a spelling is not checked against the catalogue as a whole phrase ("collate"):
  each of its words is in the catalogue, the phrase is the one the suggester finds likeliest. Kept:
  the spellings at least ``LIKELY_SHARE`` as likely as the best, other than the shopper's words.
- **Merchants**: the merchants whose kind (or name) is a spelling of one of the words (as many
  edits as the search forgives, the first letter included), the
  nearest first when the search is located (anywhere in Quebec: a dead end is no place for a
  radius), else the closest spelling first; at most ``NEAREST_MERCHANTS``.

The answer then holds ``"did_you_mean": ["cretons maison"]`` and ``"nearest_merchants": [...]``
(merchant hits as ``/v1/merchants`` shows them); neither is present when the search found something.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch
from rapidfuzz.distance import OSA

from indexer.records.text import fold
from indexer.records.visibility import INACTIVE_MERCHANT, INTERNAL_FIELDS
from panier_core.settings import Settings
from query_api.engine import msearch
from query_api.queries.common import FUZZINESS, Location, distance_position, geo_sort, typos_forgiven
from query_api.queries.merchants import merchant_item

SPELLINGS = 3
LIKELY_SHARE = 0.5
NEAREST_MERCHANTS = 3
# The search's own typo tolerance with the first letter free (the search keeps it)
LOOSE = {"fuzziness": FUZZINESS, "prefix_length": 0, "max_expansions": 50}

SPELLING_FIELDS = {"products": ["name.words"], "merchants": ["name.words", "categories.words"]}


@dataclass(frozen=True)
class DeadEnd:
    """The offer for the words ``q`` of a search on ``endpoint`` that found nothing."""

    endpoint: str  # "products" or "merchants"
    q: str
    location: Location | None
    settings: Settings

    def spelling_request(self) -> dict[str, Any]:
        suggest: dict[str, Any] = {"text": self.q}
        for field in SPELLING_FIELDS[self.endpoint]:
            suggest[field] = {
                "phrase": {
                    "field": field,
                    "size": SPELLINGS,
                    "max_errors": 2,  # words changed, at most
                    "confidence": 0.0,  # the shopper's own words found nothing: any spelling may do
                    "direct_generator": [
                        {"field": field, "suggest_mode": "always", "prefix_length": 0, "max_edits": 2}
                    ],
                }
            }
        return {"size": 0, "track_total_hits": False, "suggest": suggest}

    def merchants_request(self) -> dict[str, Any]:
        close = [
            {"match": {"categories.words": {"query": self.q, "boost": 2, **LOOSE}}},
            {"match": {"name.words": {"query": self.q, **LOOSE}}},
        ]
        query = {"bool": {"should": close, "minimum_should_match": 1, "must_not": [INACTIVE_MERCHANT]}}
        return {
            "size": NEAREST_MERCHANTS,
            "track_total_hits": False,
            "query": query,
            "sort": [geo_sort("location", self.location), "_score"] if self.location else ["_score"],
            "_source": {"excludes": list(INTERNAL_FIELDS)},
        }

    def run(self, es: Elasticsearch) -> dict[str, Any]:
        """``did_you_mean`` and ``nearest_merchants``, for the answer."""
        spelling, merchants = self.spelling_request(), self.merchants_request()
        lines = [
            {"index": self.settings.alias(self.endpoint), "request_cache": False},
            spelling,
            {"index": self.settings.alias("merchants"), "request_cache": False},
            merchants,
        ]
        spelt, near = msearch(es, lines)["responses"]
        position = distance_position(merchants["sort"])
        return {
            "did_you_mean": spellings(self.q, spelt.get("suggest", {})),
            "nearest_merchants": [merchant_item(hit, position) for hit in near["hits"]["hits"]],
        }


def spellings(q: str, suggest: dict[str, Any]) -> list[str]:
    """The likeliest spellings of every suggester's options (best first, each once), other than the
    shopper's own words, each changed word ``near`` one the shopper typed, and at least
    ``LIKELY_SHARE`` as likely as the best of those."""
    typed = fold(q).split()
    options = [
        (option["score"], option["text"])
        for entries in suggest.values()
        for entry in entries
        for option in entry["options"]
        if all(near(word, typed) for word in fold(option["text"]).split())
    ]
    options.sort(key=lambda o: -o[0])
    own, best = fold(q), options[0][0] if options else 0.0
    out: list[str] = []
    for score, text in options:
        if score >= best * LIKELY_SHARE and fold(text) != own and text not in out:
            out.append(text)
    return out[:SPELLINGS]


def near(word: str, typed: list[str]) -> bool:
    """Whether ``word`` is one of the ``typed`` words or a spelling of one: as many edits as the
    search forgives (none under 4 letters, one under 8, else two; a swap of two letters is one),
    any letter included. « oeufs » is not « ours » (two edits in five letters)."""
    return any(OSA.distance(word, w) <= typos_forgiven(len(w)) for w in typed)
