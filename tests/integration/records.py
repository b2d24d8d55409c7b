"""Contract-valid merchant and product records for tests, and the files they are read from."""

from __future__ import annotations

import json
from pathlib import Path

import orjson

NOW = "2026-11-20T14:03:00Z"


def merchant(i: int, **over) -> dict:
    doc = {
        "id": f"m-{i:06d}",
        "name": f"Fromagerie {i}",
        "categories": ["Alimentation", "Fromagerie"],
        "address": {
            "street": f"{i} rue Saint-Denis",
            "city": "Montréal",
            "postal_code": "H2X 3K8",
            "region": "Montréal",
        },
        "location": {"lat": 45.5 + i / 10_000, "lon": -73.6},
        "services": ["cueillette"],
        "updated_at": NOW,
    }
    doc.update(over)
    return doc


def product(i: int, merchant_id: str = "m-000001", **over) -> dict:
    doc = {
        "id": f"p-{i:06d}",
        "merchant_id": merchant_id,
        "name": f"Sirop d'érable {i}, 540 ml",
        "brand": "Érablière du Rang",
        "categories": ["Épicerie"],
        "price": 12.99,
        "quebec_product": True,
        "stock": {"quantity": i % 5},
        "updated_at": NOW,
    }
    doc.update(over)
    return doc


def write_jsonl(path: Path, rows: list) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(row if isinstance(row, str) else json.dumps(row, ensure_ascii=False))
            fh.write("\n")
    return path


def read_rejects(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()] if path.exists() else []
