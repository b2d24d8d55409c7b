"""Shared by the incremental-indexing tests: a small loaded catalogue and change lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from . import corpus
from .records import merchant, product, write_jsonl

BASE = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def at(seconds: float) -> str:
    """A timestamp ``seconds`` after the catalogue's export (which is dated 2026-11-20)."""
    return (BASE + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def load_catalogue(es, settings, tmp_path: Path, merchants: int = 3, listings: int = 12) -> None:
    """Merchants m-000001…, listings p-000001… spread over them, through the batch loader."""
    write_jsonl(tmp_path / "merchants.jsonl", [merchant(i) for i in range(1, merchants + 1)])
    rows = [product(i, merchant_id=f"m-{(i - 1) % merchants + 1:06d}") for i in range(1, listings + 1)]
    write_jsonl(tmp_path / "products.jsonl", rows)
    assert corpus.load(es, settings, tmp_path) == 0


def stock(listing: str, quantity: int, seconds: float, price: float | None = None) -> dict:
    line = {"op": "stock", "id": listing, "quantity": quantity, "updated_at": at(seconds)}
    if price is not None:
        line["price"] = price
    return line


def upsert_product(i: int, seconds: float, merchant_id: str = "m-000001", **over) -> dict:
    return {
        "op": "upsert",
        "type": "product",
        "doc": product(i, merchant_id=merchant_id, updated_at=at(seconds), **over),
    }


def delete_product(listing: str, seconds: float) -> dict:
    return {"op": "delete", "type": "product", "id": listing, "updated_at": at(seconds)}


def upsert_merchant(i: int, seconds: float, **over) -> dict:
    return {"op": "upsert", "type": "merchant", "doc": merchant(i, updated_at=at(seconds), **over)}


def write_lines(path: Path, lines: list) -> Path:
    path.write_text(
        "".join((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines)
    )
    return path


def state(es, settings, ids: list[str]) -> dict[str, dict | None]:
    """What a listing looks like to anyone, without the bookkeeping that differs between runs."""
    docs = es.mget(index=settings.alias("products"), ids=ids)["docs"]
    out = {}
    for doc in docs:
        if not doc["found"]:
            out[doc["_id"]] = None
            continue
        source = dict(doc["_source"])
        source.pop("indexed_at", None)
        out[doc["_id"]] = source
    return out
