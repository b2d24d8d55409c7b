"""Changes -> the next version of a document. Pure functions: no engine, no I/O.

Every part of a document carries the version (``updated_at`` in epoch milliseconds) of the change
that last set it, and a change only replaces the parts it is newer than. So replays, duplicates and
out-of-order arrivals end in the same document as in-order delivery:

- listing parts: ``doc`` (name, brand, categories, … and which merchant), ``quantity``, ``price``,
  ``exists`` (upsert vs delete); the merchant's fields carry the merchant's version;
- merchant parts: ``doc`` and ``exists``.

A delete keeps the document as a tombstone (``deleted: true``, hidden from search by the alias
filter, no type-ahead inputs) so that its version outlives the engine's ``index.gc_deletes``: a late
upsert older than the delete finds the tombstone and loses. A delete wins a tie with an upsert of the
same instant; two values of one part at the same instant are settled by a fixed order on the values
(not by which arrived last), so that even then the result does not depend on arrival order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from indexer.records import documents

Doc = dict[str, Any]

PRODUCT_DOC_FIELDS = (
    "product_key",
    "name",
    "name_head",
    "description",
    "brand",
    "gtin",
    "categories",
    "quebec_product",
    "certifications",
    "updated_at",
)
MERCHANT_DOC_FIELDS = (
    "name",
    "description",
    "categories",
    "address",
    "location",
    "services",
    "phone",
    "website",
    "active",
    "updated_at",
)


@dataclass(frozen=True, slots=True)
class StockChange:
    quantity: int
    price: float | None
    version: int


def versions(doc: Doc | None, parts: tuple[str, ...]) -> dict[str, int]:
    """A document's part versions; documents indexed before versions existed use ``updated_at``."""
    if doc is None:
        return dict.fromkeys(parts, 0)
    stored = doc.get("versions") or {}
    fallback = documents.millis(doc["updated_at"]) if doc.get("updated_at") and not stored else 0
    return {part: stored.get(part, fallback) for part in parts}


def _wins(version: int, found: int, new: Any, old: Any) -> bool:
    """Whether a part at ``version`` replaces the part at ``found``: newer wins; at the same instant
    the greater value (in a fixed order), so that the outcome never depends on arrival order."""
    if version != found:
        return version > found
    return _order(new) > _order(old)


def _order(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def _doc_part(doc: Doc) -> dict[str, Any]:
    return {name: doc.get(name) for name in PRODUCT_DOC_FIELDS} | {
        "merchant": (doc.get("merchant") or {}).get("id")
    }


def _exists(out: Doc, found: dict[str, int], version: int) -> bool:
    """An upsert newer than the last delete brings the record back (a tie goes to the delete)."""
    if version <= found["exists"]:
        return False
    out["deleted"] = False
    found["exists"] = version
    return True


def _finish(doc: Doc, found: dict[str, int]) -> Doc:
    doc["versions"] = found
    return documents.with_suggestions(doc)


def upsert_product(current: Doc | None, new: Doc) -> Doc | None:
    """``new`` (a whole listing document, all parts at one version) over ``current``; None if stale."""
    version = new["versions"]["doc"]
    if current is None:
        return dict(new)
    found = versions(current, documents.PRODUCT_VERSIONS)
    out = dict(current)
    changed = False
    if _wins(version, found["doc"], _doc_part(new), _doc_part(current)):
        for name in PRODUCT_DOC_FIELDS:
            if name in new:
                out[name] = new[name]
        out["merchant"] = _newer_merchant(current.get("merchant"), new["merchant"])
        found["doc"] = version
        changed = True
    if _wins(version, found["quantity"], new["stock"], current.get("stock")):
        out["stock"], out["in_stock"] = dict(new["stock"]), new["in_stock"]
        found["quantity"] = version
        changed = True
    if _wins(version, found["price"], new["price"], current.get("price")):
        out["price"] = new["price"]
        found["price"] = version
        changed = True
    changed = _exists(out, found, version) or changed
    return _finish(out, found) if changed else None


def _newer_merchant(current: Doc | None, new: Doc) -> Doc:
    """The listing's merchant fields: the new merchant's, unless it is the same merchant seen newer."""
    same = current and current.get("id") == new["id"]
    if same and not _wins(_merchant_version(new), _merchant_version(current), new, current):
        return current
    return new


def _merchant_version(fields: Doc) -> int:
    return documents.millis(fields["updated_at"]) if fields.get("updated_at") else 0


def delete(current: Doc | None, record_id: str, version: int, parts: tuple[str, ...]) -> Doc | None:
    """A tombstone at ``version`` (the document's content is kept); None if a newer upsert exists."""
    found = versions(current, parts)
    if current is not None and current.get("deleted") and version <= found["exists"]:
        return None
    if version < found["exists"]:
        return None
    out = dict(current) if current is not None else {"id": record_id}
    out["deleted"] = True
    found["exists"] = version
    return _finish(out, found)


def delete_product(current: Doc | None, record_id: str, version: int) -> Doc | None:
    return delete(current, record_id, version, documents.PRODUCT_VERSIONS)


def stock(current: Doc | None, record_id: str, change: StockChange) -> Doc | None:
    """Quantity (and price, when given) at the change's version; None if nothing in it is newer.

    A stock change for a listing not seen yet leaves a hidden stub holding it, so that the listing's
    upsert, arriving later with an older version, does not take its quantity back.
    """
    found = versions(current, documents.PRODUCT_VERSIONS)
    out = dict(current) if current is not None else {"id": record_id, "deleted": True}
    changed = False
    if _wins(change.version, found["quantity"], {"quantity": change.quantity}, out.get("stock")):
        out["stock"] = {"quantity": change.quantity}
        out["in_stock"] = change.quantity > 0
        found["quantity"] = change.version
        changed = True
    if change.price is not None and _wins(change.version, found["price"], change.price, out.get("price")):
        out["price"] = change.price
        found["price"] = change.version
        changed = True
    return _finish(out, found) if changed else None


def upsert_merchant(current: Doc | None, new: Doc) -> Doc | None:
    version = new["versions"]["doc"]
    if current is None:
        return dict(new)
    found = versions(current, ("doc", "exists"))
    out = dict(current)
    changed = False
    new_part = {name: new.get(name) for name in MERCHANT_DOC_FIELDS}
    if _wins(version, found["doc"], new_part, {name: current.get(name) for name in MERCHANT_DOC_FIELDS}):
        for name in MERCHANT_DOC_FIELDS:
            out[name] = new.get(name)
        out.update({k: v for k, v in new.items() if k not in out})
        found["doc"] = version
        changed = True
    changed = _exists(out, found, version) or changed
    return _finish(out, found) if changed else None


def delete_merchant(current: Doc | None, record_id: str, version: int) -> Doc | None:
    return delete(current, record_id, version, ("doc", "exists"))


def merchant_on_listing(listing: Doc, merchant: Doc) -> Doc | None:
    """A listing with its merchant's new fields (``merchant_fields``); None if it already has newer."""
    current = listing.get("merchant") or {}
    if current.get("id") != merchant["id"]:
        return None
    if not _wins(_merchant_version(merchant), _merchant_version(current), merchant, current):
        return None
    out = dict(listing)
    out["merchant"] = merchant
    return documents.with_suggestions(out)
