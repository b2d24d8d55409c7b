"""Judged queries over the evaluation catalogue: the catalogue, the graded judgments, the figures.

The evaluation catalogue is the sample generator's output for a fixed seed and size plus the
hand-written fixtures of ``tests/relevance/fixtures/`` (cases the generator cannot express). A
judgment is written from what a query means, as rules over catalogue records, never from what the
engine answers: ``[3, {"name": ["sirop", "erable"]}]`` gives grade 3 to every listing whose name
holds both words. Grading therefore reads only the catalogue files, and the ideal ranking of each
query (what nDCG divides by) comes from the same rules.

Rule conditions, all of which must hold (text is compared accent-folded and lowercased; a term is a
whole word, ``fromage*`` a word prefix, ``oeuf|oeufs`` alternatives):

- ``name``: every term in the name; ``name_any``: at least one; ``not_name``: none of them
- ``text``: every term in the name, description or brand
- ``category`` / ``cert``: one of these categories / certifications; ``quebec``: ``quebec_product``
- ``merchant_kind``: one of these merchant categories; ``merchant_name``: every term in its name
- ``city`` / ``region``: the merchant's city / region is one of these
- ``near``: ``[lat, lon, km]``, the merchant within km of the point
- ``sells`` (merchant searches only): a rule that one of the merchant's listings meets
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from indexer.records.documents import product_key

REPO = Path(__file__).resolve().parent.parent
RELEVANCE_DIR = REPO / "tests" / "relevance"
FIXTURES = RELEVANCE_DIR / "fixtures"
QUERIES_FILE = RELEVANCE_DIR / "judged_queries.jsonl"
RECORDED_FILE = RELEVANCE_DIR / "recorded.json"
# The evaluation catalogue: `panier up`'s size and seed, so the figures speak of the sample a new
# user meets, plus the fixtures.
SEED, MERCHANTS, LISTINGS = 42, 300, 20_000
K = 10
ENDPOINTS = ("products", "merchants")
# Rule conditions, cheapest first (a rule stops at the first that fails).
CHECK_ORDER = (
    "category", "cert", "quebec", "merchant_kind", "city", "region", "name", "not_name", "name_any",
    "merchant_name", "text", "near", "sells",
)  # fmt: skip
RULE_KEYS = frozenset(CHECK_ORDER)
QUERY_KEYS = frozenset(
    {"id", "q", "endpoint", "class", "place", "near", "lat", "lon", "radius_km", "judgments"}
)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _term(term: str) -> re.Pattern[str]:
    options = [fold(t) for t in term.split("|")]
    parts = [re.escape(t[:-1]) + r"\w*" if t.endswith("*") else re.escape(t) + r"\b" for t in options]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")")


@dataclass
class Record:
    """A listing or a merchant, with what rules look at precomputed."""

    id: str
    name: str
    text: str
    categories: frozenset[str]
    certifications: frozenset[str]
    quebec: bool
    merchant_id: str
    merchant_name: str
    merchant_kinds: frozenset[str]
    city: str
    region: str
    lat: float
    lon: float
    key: str = ""  # a listing's product key
    listings: list[Record] = field(default_factory=list)  # a merchant's


@dataclass
class Catalogue:
    listings: dict[str, Record]
    merchants: dict[str, Record]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, "rb") as f:
        return [orjson.loads(line) for line in f if line.strip()]


def read_catalogue(merchants_path: Path, products_path: Path) -> Catalogue:
    merchants: dict[str, Record] = {}
    for m in read_jsonl(merchants_path):
        merchants[m["id"]] = Record(
            id=m["id"], name=fold(m["name"]), text=fold(f"{m['name']} {m.get('description') or ''}"),
            categories=frozenset(m.get("categories", [])), certifications=frozenset(), quebec=False,
            merchant_id=m["id"], merchant_name=fold(m["name"]),
            merchant_kinds=frozenset(m.get("categories", [])), city=m["address"]["city"],
            region=m["address"].get("region") or "", lat=m["location"]["lat"], lon=m["location"]["lon"],
        )  # fmt: skip
    listings: dict[str, Record] = {}
    for p in read_jsonl(products_path):
        m = merchants[p["merchant_id"]]
        text = f"{p['name']} {p.get('description') or ''} {p.get('brand') or ''}"
        record = Record(
            id=p["id"], name=fold(p["name"]), text=fold(text), categories=frozenset(p.get("categories", [])),
            certifications=frozenset(p.get("certifications", [])), quebec=bool(p.get("quebec_product")),
            merchant_id=m.id, merchant_name=m.merchant_name, merchant_kinds=m.merchant_kinds,
            city=m.city, region=m.region, lat=m.lat, lon=m.lon, key=product_key(p),
        )  # fmt: skip
        listings[record.id] = record
        m.listings.append(record)
    return Catalogue(listings, merchants)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12_742 * math.asin(math.sqrt(a))


class Rule:
    """One judgment rule, compiled: ``matches(record)``."""

    def __init__(self, where: dict[str, Any]) -> None:
        unknown = set(where) - RULE_KEYS
        if unknown:
            raise ValueError(f"unknown rule conditions {sorted(unknown)}")
        self.where = where
        self.terms = {
            k: [_term(t) for t in where[k]]
            for k in ("name", "name_any", "not_name", "text", "merchant_name")
            if k in where
        }
        self.sells = Rule(where["sells"]) if "sells" in where else None
        self.checks = [self._check(key) for key in CHECK_ORDER if key in where]

    def _check(self, key: str) -> Callable[[Record], bool]:
        w, t = self.where, self.terms.get(key, [])
        if key in ("name", "text", "merchant_name", "name_any", "not_name"):
            # Listings share their catalogue item's text: each distinct text is searched once.
            attribute = "name" if key in ("name_any", "not_name") else key
            test = {"name_any": any, "not_name": lambda hits: not any(hits)}.get(key, all)
            seen: dict[str, bool] = {}

            def text_check(r: Record) -> bool:
                value = getattr(r, attribute)
                if value not in seen:
                    seen[value] = test(p.search(value) for p in t)
                return seen[value]

            return text_check
        if key in ("category", "cert", "merchant_kind"):
            wanted = frozenset(w[key])
            attribute = {"category": "categories", "cert": "certifications"}.get(key, "merchant_kinds")
            return lambda r: not wanted.isdisjoint(getattr(r, attribute))
        if key in ("city", "region"):
            return lambda r: getattr(r, key) in w[key]
        if key == "quebec":
            return lambda r: r.quebec == w["quebec"]
        if key == "near":
            lat, lon, radius = w["near"]
            return lambda r: km(r.lat, r.lon, lat, lon) <= radius
        sells = self.sells
        assert sells is not None
        return lambda r: any(sells.matches(x) for x in r.listings)

    def matches(self, r: Record) -> bool:
        return all(check(r) for check in self.checks)


@dataclass
class JudgedQuery:
    id: str
    q: str
    endpoint: str
    cls: str
    place: str | None
    params: dict[str, str]
    rules: list[tuple[int, Rule]]

    def grade(self, record: Record) -> int:
        """The highest grade whose rule matches (``rules`` are kept highest grade first)."""
        return next((g for g, rule in self.rules if rule.matches(record)), 0)


def load_queries(path: Path = QUERIES_FILE) -> list[JudgedQuery]:
    queries, seen = [], set()
    for n, raw in enumerate(read_jsonl(path), start=1):
        unknown = set(raw) - QUERY_KEYS
        if unknown or raw["endpoint"] not in ENDPOINTS or raw["id"] in seen:
            raise ValueError(f"{path.name} line {n}: bad query {raw['id']!r} ({sorted(unknown)})")
        seen.add(raw["id"])
        params = {"q": raw["q"]}
        params.update({k: str(raw[k]) for k in ("near", "lat", "lon", "radius_km") if k in raw})
        rules = sorted(((int(g), Rule(where)) for g, where in raw["judgments"]), key=lambda r: -r[0])
        queries.append(
            JudgedQuery(raw["id"], raw["q"], raw["endpoint"], raw["class"], raw.get("place"), params, rules)
        )
    return queries


# -- grading an answer ---------------------------------------------------------------------------


def ideal_grades(query: JudgedQuery, catalogue: Catalogue) -> list[int]:
    """The best grades the catalogue can give, one per distinct product (or merchant), best first."""
    if query.endpoint == "merchants":
        grades = [query.grade(m) for m in catalogue.merchants.values()]
    else:
        best: dict[str, int] = defaultdict(int)
        for listing in catalogue.listings.values():
            g = query.grade(listing)
            if g > best[listing.key]:
                best[listing.key] = g
        grades = list(best.values())
    return sorted((g for g in grades if g > 0), reverse=True)


def answer_grades(query: JudgedQuery, catalogue: Catalogue, items: Sequence[dict[str, Any]]) -> list[int]:
    """The grade of each hit: a merchant's own; a product's best over the stores the answer shows."""
    if query.endpoint == "merchants":
        return [query.grade(catalogue.merchants[item["id"]]) for item in items]
    return [
        max((query.grade(catalogue.listings[s["listing_id"]]) for s in item["stores"]), default=0)
        for item in items
    ]


def dcg(grades: Iterable[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


@dataclass
class Outcome:
    """One judged query's figures."""

    id: str
    q: str
    cls: str
    relevant: int  # distinct products (merchants) of grade ≥ 1 in the catalogue
    total: int
    ndcg: float | None  # None when the catalogue holds nothing relevant
    rr: float | None
    place_meant: str | None
    place_found: str | None
    top: list[int]


def outcome(query: JudgedQuery, catalogue: Catalogue, answer: dict[str, Any]) -> Outcome:
    """nDCG@10 (gain 2^g − 1), the reciprocal rank of the first hit graded ≥ 2 (≥ 1 when the
    catalogue holds nothing graded 2), and the place the answer says it understood."""
    ideal = ideal_grades(query, catalogue)
    got = answer_grades(query, catalogue, answer["items"][:K])
    ndcg = rr = None
    if ideal:
        ndcg = dcg(got) / dcg(ideal[:K])
        threshold = 2 if ideal[0] >= 2 else 1
        rr = next((1 / (i + 1) for i, g in enumerate(got) if g >= threshold), 0.0)
    understood = answer.get("understood") or {}
    place = (understood.get("place") or {}).get("name")
    return Outcome(
        query.id, query.q, query.cls, len(ideal), answer["total"], ndcg, rr, query.place, place, got
    )


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def figures(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Per query class and overall: queries, judged ones (something relevant in the catalogue),
    nDCG@10, MRR, zero-result rate over the judged ones, and place detection."""

    def summary(group: Sequence[Outcome]) -> dict[str, Any]:
        judged = [o for o in group if o.ndcg is not None]
        meant = [o for o in group if o.place_meant]
        found = [o for o in meant if o.place_found and fold(o.place_found) == fold(o.place_meant or "")]
        false = [o for o in group if o.place_found and (not o.place_meant or o not in found)]
        return {
            "queries": len(group),
            "judged": len(judged),
            "ndcg_at_10": _mean([o.ndcg for o in judged if o.ndcg is not None]),
            "mrr": _mean([o.rr for o in judged if o.rr is not None]),
            "zero_result_rate": _mean([float(o.total == 0) for o in judged]),
            "places_meant": len(meant),
            "place_recall": round(len(found) / len(meant), 4) if meant else None,
            "false_place_rate": round(len(false) / len(group), 4) if group else 0.0,
        }

    classes = sorted({o.cls for o in outcomes})
    return {
        "overall": summary(outcomes),
        "classes": {c: summary([o for o in outcomes if o.cls == c]) for c in classes},
    }
