"""Valid record -> engine document. Pure functions: no engine, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from indexer.records.text import fold, name_head
from indexer.records.visibility import SUGGEST_FIELDS, visible


def iso_utc(value: datetime | str) -> str:
    """ISO 8601 with a ``Z`` for UTC, as the data contract writes it."""
    return value if isinstance(value, str) else value.isoformat().replace("+00:00", "Z")


def millis(value: datetime | str) -> int:
    """An ``updated_at`` as epoch milliseconds: the version that orders changes to one record."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return int(value.timestamp() * 1000)


def from_millis(value: int) -> str:
    return datetime.fromtimestamp(value / 1000, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


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
    document = {
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
        "deleted": False,
        "versions": {"doc": millis(record["updated_at"]), "exists": millis(record["updated_at"])},
    }
    return with_suggestions(document)


def merchant_version(merchant_doc: dict[str, Any]) -> int:
    """The version of a merchant as its listings see it: its newest upsert or delete."""
    versions = merchant_doc.get("versions") or {}
    return max(versions.get("doc", 0), versions.get("exists", 0)) or millis(merchant_doc["updated_at"])


# What merchant_fields reads of an indexed merchant document (a scan's ``_source``).
MERCHANT_FIELDS_SOURCE = [
    "id",
    "name",
    "categories",
    "address",
    "services",
    "location",
    "active",
    "deleted",
    "updated_at",
    "versions",
]


def merchant_fields(merchant_doc: dict[str, Any]) -> dict[str, Any]:
    """The part of a merchant document that its listings carry (from a new or an indexed merchant).

    A deleted merchant's listings see it as inactive (hidden from search); ``updated_at`` is the
    merchant's version, so a listing never takes an older merchant over a newer one.
    """
    address = merchant_doc.get("address") or {}
    return {
        "id": merchant_doc["id"],
        "name": merchant_doc.get("name"),
        "categories": merchant_doc.get("categories", []),  # its kinds: « érablière » on /v1/products
        "city": address.get("city"),
        "region": address.get("region"),
        "services": merchant_doc.get("services", []),
        "location": merchant_doc.get("location"),
        "active": merchant_doc.get("active", True) and not merchant_doc.get("deleted", False),
        "updated_at": from_millis(merchant_version(merchant_doc)),
    }


def with_suggestions(document: dict[str, Any]) -> dict[str, Any]:
    """Type-ahead inputs for a visible document; none for a tombstone or an inactive merchant's.

    Completion suggesters ignore query filters, so what must not be suggested has no inputs.
    """
    for name in SUGGEST_FIELDS:
        document.pop(name, None)
    if not visible(document) or not document.get("name"):
        return document
    if "product_key" in document:
        document.update(_suggestions([document["name"], document.get("brand")], document["categories"], 1))
    else:
        document.update(_suggestions([document["name"]], document.get("categories", []), weight=2))
    return document


# A listing's parts, each versioned by the ``updated_at`` of the change that last set it, so a stock
# change and an upsert arriving in either order end in the same document. ``exists`` orders upserts
# against deletes. The merchant's fields carry their own version (``merchant.updated_at``).
PRODUCT_VERSIONS = ("doc", "quantity", "price", "exists")


def product_document(record: dict[str, Any], merchant: dict[str, Any], indexed_at: str) -> dict[str, Any]:
    quantity = record["stock"]["quantity"]
    document = {
        "id": record["id"],
        "product_key": product_key(record),
        "name": record["name"],
        "name_head": name_head(record["name"]),
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
        "deleted": False,
        "versions": dict.fromkeys(PRODUCT_VERSIONS, millis(record["updated_at"])),
    }
    return with_suggestions(document)
