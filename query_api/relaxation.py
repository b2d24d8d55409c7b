"""No dead ends: when a product or merchant search finds nothing, relax it in documented steps.

Only when the strict search (every word must match, within the radius) found nothing, and never
with ``literal=true``:

1. One counting request (an ``_msearch`` of ``size: 0`` searches, under the search's own
   filters) tells, for each word, how many listings (merchants) contain it within the radius and
   within a wider one (``WIDER_FACTOR`` × the radius, at most ``MAX_RADIUS_KM``) and within
   ``FAR_RADIUS_KM`` (both only when the search has a location), and how many match every word
   within the wider and the far ones.
2. With a location, when some listings match every word within the wider radius, the words are
   kept whole and the radius is widened (« sirop d'érable » sold out nearby: the nearest other
   stores that have it).
3. Else, words no listing contains within the radius are dropped (« gâteau anniversaire » → the
   word the catalogue has). When every word is found alone but never together, the least
   informative one, the word the most listings contain (of equals, the last typed), is dropped
   (« saucisses maison » → « saucisses »). One word left must match; of several left, any may
   (more of them rank higher). French stop words (« de », « la ») are neither counted nor reported.
4. When no word is found within the radius, the wider radius is tried the same way; then, when
   no word is found there either, ``FAR_RADIUS_KM`` (2,000 km: all of Quebec), every word first
   (« oeufs » around Sherbrooke: the nearest eggs, 130 km away), then some.
5. When no word is found anywhere, the answer stays empty and offers instead "did you mean"
   spellings and the nearest merchants of a kind close to the words (``query_api.dead_end``: one
   more round trip, only then).

The relaxed search is then run like any other (its page, then its stores). The answer says what was
relaxed: ``"relaxed": {"dropped": ["maison"], "matching": "any", "radius_km": 100}`` (``radius_km``
only when it was widened). The search event keeps the strict search's ``total`` (0), so analysts
still see the demand the catalogue does not meet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol, TypeVar

from elasticsearch import Elasticsearch

import mappings
from indexer.records.text import fold
from query_api.engine import msearch
from query_api.queries.common import Where
from query_api.schemas import MAX_QUERY_TERMS

S = TypeVar("S", bound="Relaxable")
WIDER_FACTOR = 4.0
MAX_RADIUS_KM = 500.0
FAR_RADIUS_KM = 2_000.0  # the whole of Quebec from anywhere in it: the last tier before a dead end


@dataclass(frozen=True, slots=True)
class Relaxed:
    words: list[str]  # the words kept, as typed
    dropped: list[str]
    radius_km: float | None = None  # the wider radius, when it had to be widened
    every_word: bool = False  # the words kept must all match (every word of q, further away)

    @property
    def any_word(self) -> bool:
        return len(self.words) > 1 and not self.every_word

    def echo(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dropped": self.dropped, "matching": "any" if self.any_word else "all"}
        if self.radius_km is not None:
            out["radius_km"] = self.radius_km
        return out


def wider_radius(radius_km: float) -> float:
    return min(MAX_RADIUS_KM, radius_km * WIDER_FACTOR)


def decide(
    words: list[str],
    near: list[int],
    wide: list[int] | None,
    radius_km: float,
    whole_wide: int = 0,
    far: list[int] | None = None,
    whole_far: int = 0,
) -> Relaxed | None:
    """Which words to keep, and whether to widen the radius, from each word's listing counts within
    the radius (``near``), the wider one (``wide``) and ``FAR_RADIUS_KM`` (``far``; both None
    without a location), and the listings matching every word in the wider and the far ones
    (``whole_wide``, ``whole_far``). None: nothing to relax into."""
    if whole_wide:  # every word, a little further away: the shopper's words kept whole
        return Relaxed(list(words), [], wider_radius(radius_km), every_word=True)
    found = _some_words(words, near, None) or _some_words(words, wide, wider_radius(radius_km))
    if found is None and whole_far:  # every word, only far away (« oeufs » around Sherbrooke)
        return Relaxed(list(words), [], FAR_RADIUS_KM, every_word=True)
    return found or _some_words(words, far, FAR_RADIUS_KM)


def _some_words(words: list[str], counts: list[int] | None, widened: float | None) -> Relaxed | None:
    """The words found (``counts``: listings per word within the radius, widened or not), or None."""
    if counts is None:
        return None
    found = {w: n for w, n in zip(words, counts, strict=True) if n > 0}
    if not found:
        return None
    if len(found) == len(words) > 1 and widened is None:
        # each word is found, never all together: the least informative goes (of equals, the
        # last typed: the first words usually say what is sought, the last ones qualify it)
        found.pop(max(reversed(found), key=found.__getitem__))
    kept = [w for w in words if w in found]
    return Relaxed(kept, [w for w in words if w not in found], widened)


@cache
def _stop_words() -> frozenset[str]:
    """The mapping's French stop words: never counted, never reported as dropped."""
    analysis = mappings.load("products")["settings"]["index"]["analysis"]
    return frozenset(fold(w) for w in analysis["filter"]["fr_stop"]["stopwords"])


class Relaxable(Protocol):
    """A search that can be relaxed: ``ProductSearch``, ``MerchantSearch``."""

    params: dict[str, Any]
    where: Where
    index: str

    def count_request(self, word: str | None, radius_km: float) -> dict[str, Any]: ...
    def relaxed(self, q: str, radius_km: float | None, any_word: bool) -> Relaxable: ...


def relax(es: Elasticsearch, search: S) -> tuple[S, Relaxed] | None:
    """The relaxed search of a strict ``search`` that found nothing, or None (one counting request)."""
    stop = _stop_words()
    words = [w for w in (search.params.get("q") or "").split() if fold(w) not in stop][:MAX_QUERY_TERMS]
    located = search.where.location is not None
    if not words and not located:
        return None
    radius, wider = search.where.radius_km, wider_radius(search.where.radius_km)
    if not words:  # only filters and a place: try further away, then far away
        wide, far = _counts(es, search, [(None, wider), (None, FAR_RADIUS_KM)])
        if not far:
            return None
        relaxed = Relaxed([], [], wider if wide else FAR_RADIUS_KM)
    else:
        # each word in each tier and, further away, all of them (one word: its own count)
        tiers = [radius, wider, FAR_RADIUS_KM] if located else [radius]
        whole = len(words) > 1
        asked: list[tuple[str | None, float]] = []
        for r in tiers:
            asked += [(w, r) for w in words] + ([(" ".join(words), r)] if whole and r != radius else [])
        counts = iter(_counts(es, search, asked))
        per_tier = []
        for r in tiers:
            each = [next(counts) for _ in words]
            per_tier.append((each, next(counts) if whole and r != radius else each[0]))
        if located:
            (near, _), (wide, whole_wide), (far, whole_far) = per_tier
            found = decide(words, near, wide, radius, whole_wide, far, whole_far)
        else:
            found = decide(words, per_tier[0][0], None, radius)
        if found is None:
            return None
        relaxed = found
    q = search.params["q"] if relaxed.every_word else " ".join(relaxed.words)
    return search.relaxed(q, relaxed.radius_km, relaxed.any_word), relaxed


def _counts(es: Elasticsearch, search: Relaxable, asked: list[tuple[str | None, float]]) -> list[int]:
    """Listings counted for each (word, radius), in one ``_msearch``."""
    header = {"index": search.index, "request_cache": False}
    lines: list[dict[str, Any]] = []
    for word, radius_km in asked:
        lines += [header, search.count_request(word, radius_km)]
    return [r["hits"]["total"]["value"] for r in msearch(es, lines)["responses"]]
