"""Valid record -> engine document. Pure functions: no engine, no I/O."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from functools import lru_cache
from typing import Any

# Merchant fields copied onto each of its listings, so "in stock near me" is one query.
MERCHANT_FIELDS_ON_PRODUCTS = ("id", "name", "city", "region", "services", "location", "active")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def iso_utc(value: datetime | str) -> str:
    """ISO 8601 with a ``Z`` for UTC, as the data contract writes it."""
    return value if isinstance(value, str) else value.isoformat().replace("+00:00", "Z")


@lru_cache(maxsize=65_536)  # product names and brands repeat across merchants' listings
def fold(text: str) -> str:
    """Lowercase, strip accents, collapse everything that is not a letter or digit to one space."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", ascii_only).strip()


def product_key(record: dict[str, Any]) -> str:
    """One key per product across merchants: its GTIN when known, else normalized name + brand."""
    if record.get("gtin"):
        return f"gtin:{record['gtin'].lstrip('0') or '0'}"
    return f"name:{fold(record['name'])}|{fold(record.get('brand') or '')}"


def _suggest(*inputs: str | None) -> list[str]:
    seen: list[str] = []
    for text in inputs:
        if text and text not in seen:
            seen.append(text[:100])
    return seen


def _suggestions(names: list[str | None], categories: list[str], weight: int) -> dict[str, Any]:
    """Type-ahead inputs: names anywhere, the same names by location (geo context), categories."""
    named = {"input": _suggest(*names), "weight": weight}
    return {"suggest": named, "suggest_near": named, "category_suggest": {"input": _suggest(*categories)}}


def merchant_document(record: dict[str, Any], indexed_at: str) -> dict[str, Any]:
    address = record["address"]
    return {
        "id": record["id"],
        "name": record["name"],
        "description": record.get("description"),
        "categories": record.get("categories", []),
        "address": {k: v for k, v in address.items() if v is not None},
        "location": record["location"],
        "services": record.get("services", []),
        "phone": record.get("phone"),
        "website": record.get("website"),
        "active": record.get("active", True),
        "updated_at": iso_utc(record["updated_at"]),
        "indexed_at": indexed_at,
        **_suggestions([record["name"]], record.get("categories", []), weight=2),
    }


def merchant_fields(merchant_doc: dict[str, Any]) -> dict[str, Any]:
    """The part of a merchant document that its listings carry (from a new or an indexed merchant)."""
    address = merchant_doc.get("address", {})
    return {
        "id": merchant_doc["id"],
        "name": merchant_doc["name"],
        "city": address.get("city"),
        "region": address.get("region"),
        "services": merchant_doc.get("services", []),
        "location": merchant_doc["location"],
        "active": merchant_doc.get("active", True),
    }


def product_document(record: dict[str, Any], merchant: dict[str, Any], indexed_at: str) -> dict[str, Any]:
    quantity = record["stock"]["quantity"]
    return {
        "id": record["id"],
        "product_key": product_key(record),
        "name": record["name"],
        "description": record.get("description"),
        "brand": record.get("brand"),
        "gtin": record.get("gtin"),
        "categories": record.get("categories", []),
        "price": record["price"],
        "quebec_product": record.get("quebec_product", False),
        "certifications": record.get("certifications", []),
        "stock": {"quantity": quantity},
        "in_stock": quantity > 0,
        "merchant": merchant,
        "updated_at": iso_utc(record["updated_at"]),
        "indexed_at": indexed_at,
        **_suggestions([record["name"], record.get("brand")], record.get("categories", []), weight=1),
    }
