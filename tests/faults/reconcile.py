"""The engine compared record by record with what it should hold: the source file, overlaid with
every change the system acknowledged.

A listing is *missing* when it should be visible and is not, *stale* when it is visible with another
name, price or quantity than the last acknowledged one, *resurrected* when it was deleted (left out
of the source or deleted by an acknowledged change) and shoppers can see it again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch
from elasticsearch.helpers import scan

from indexer.records.visibility import visible

FIELDS = ("name", "price", "quantity")
Expected = dict[str, dict[str, Any] | None]  # listing id -> its fields, or None once deleted


def fields_of(record: dict[str, Any]) -> dict[str, Any]:
    return {"name": record["name"], "price": record["price"], "quantity": record["stock"]["quantity"]}


def expected_from_source(path: Path, deleted: set[str] = frozenset()) -> Expected:
    """What a full load of ``path`` must give; ``deleted`` are ids of earlier sources left out of it."""
    expected: Expected = dict.fromkeys(deleted)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            expected[record["id"]] = fields_of(record)
    return expected


def acknowledge(expected: Expected, change: dict[str, Any]) -> None:
    """Overlay one acknowledged change line (stock or delete of a listing) on ``expected``."""
    if change["op"] == "delete":
        expected[change["id"]] = None
    elif change["op"] == "stock":
        current = expected[change["id"]]
        assert current is not None, f"a stock change to a deleted listing was acknowledged: {change}"
        current["quantity"] = change["quantity"]
        if change.get("price") is not None:
            current["price"] = change["price"]
    else:
        raise ValueError(f"not a change this suite sends: {change}")


@dataclass
class Reconciliation:
    compared: int = 0
    missing: list[str] = field(default_factory=list)
    stale: list[tuple[str, dict, dict]] = field(default_factory=list)  # id, expected, in the engine
    resurrected: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)  # visible, and in no source at all

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.resurrected or self.unexpected)

    def __str__(self) -> str:
        text = (
            f"{self.compared:,} listings compared: {len(self.missing)} missing, {len(self.stale)} stale, "
            f"{len(self.resurrected)} resurrected, {len(self.unexpected)} unexpected"
        )
        examples = self.missing[:3] + [s[0] for s in self.stale[:3]] + self.resurrected[:3]
        return text + (f" (e.g. {', '.join(examples)}; {self.stale[:1]})" if examples else "")


def visible_listings(es: Elasticsearch, alias: str) -> dict[str, dict[str, Any]]:
    """Every listing a shopper can see through ``alias``, with the compared fields."""
    es.indices.refresh(index=alias)
    out = {}
    source = ["id", "name", "price", "stock.quantity", "deleted", "merchant.active"]
    for hit in scan(es, index=alias, query={"query": {"match_all": {}}}, _source=source, size=2_000):
        doc = hit["_source"]
        if visible(doc):
            out[hit["_id"]] = {
                "name": doc["name"],
                "price": doc["price"],
                "quantity": doc["stock"]["quantity"],
            }
    return out


def reconcile(es: Elasticsearch, alias: str, expected: Expected) -> Reconciliation:
    seen = visible_listings(es, alias)
    result = Reconciliation(compared=len(expected))
    for listing, want in expected.items():
        got = seen.pop(listing, None)
        if want is None:
            if got is not None:
                result.resurrected.append(listing)
        elif got is None:
            result.missing.append(listing)
        elif got != want:
            result.stale.append((listing, want, got))
    result.unexpected = sorted(seen)
    return result
