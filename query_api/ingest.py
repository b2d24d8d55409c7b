"""Merchants' systems push stock and changes: ``POST /v1/ingest/stock`` and ``POST /v1/ingest/changes``.

Each request authenticates with the merchant's own key (``Authorization: ApiKey pk_…``, or
``X-Api-Key``) and may only touch that merchant's listings. Every item gets its own result::

    {"counts": {"applied": 2, "stale": 0, "invalid": 1, "forbidden": 1, "not_found": 0, "rejected": 0},
     "results": [{"index": 0, "id": "p-1", "status": "applied", "code": 200}, …]}

``stale`` means the engine already holds something newer for that listing (nothing to do).
Applied changes are searchable after the next refresh (1 s).
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response, jsonify, request
from marshmallow import Schema, ValidationError, fields

from indexer.changes import maintenance, merchant_keys
from indexer.changes.applier import Applier
from indexer.changes.outcomes import APPLIED, FORBIDDEN, NOT_FOUND, STALE
from indexer.engine.aliases import AliasError
from indexer.engine.bulk_items import EngineUnavailable
from indexer.records import schemas
from indexer.records.change_lines import STOCK_ITEM, Change, parse, stock_change
from query_api.engine import get_engine, get_settings
from query_api.errors import ApiError
from query_api.openapi import Blueprint

bp = Blueprint("ingest", __name__, url_prefix="/v1/ingest", description="Merchants' systems push changes")
SECURITY_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": "Authorization",
    "description": "`ApiKey pk_…` (from `panier keys create`), or the X-Api-Key header",
}


class ItemResult(Schema):
    index = fields.Integer(required=True)
    id = fields.String(allow_none=True)
    status = fields.String(required=True, metadata={"enum": ["applied", "stale", "invalid", "forbidden",
                                                              "not_found", "rejected"]})  # fmt: skip
    code = fields.Integer(required=True)
    reasons = fields.List(fields.String())


class IngestAnswer(Schema):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    results = fields.List(fields.Nested(ItemResult), required=True)


MAX_ITEMS = 1_000
MAX_BODY_BYTES = 1024 * 1024
# What each endpoint reads (the OpenAPI document's requestBody says the same); any other is a 415.
STOCK_MEDIA_TYPES = ("application/json",)
CHANGES_MEDIA_TYPES = ("application/x-ndjson", "application/json")
CODES = {APPLIED: 200, STALE: 200, "invalid": 400, FORBIDDEN: 403, NOT_FOUND: 404, "rejected": 422}


def _merchant() -> str:
    header = request.headers.get("Authorization", "")
    key = (
        header[len("ApiKey ") :].strip() if header.startswith("ApiKey ") else request.headers.get("X-Api-Key")
    )
    if not key:
        raise ApiError(401, "an API key is required (Authorization: ApiKey <key>)")
    merchant = merchant_keys.verify(get_engine(), get_settings(), key.strip())
    if merchant is None:
        raise ApiError(401, "unknown or revoked API key")
    if not merchant_keys.merchant_active(get_engine(), get_settings(), merchant):
        raise ApiError(403, f"merchant {merchant!r} is not active in the directory")
    return merchant


def _items(media_types: tuple[str, ...]) -> list[Any]:
    """The request's items, from a body of one of ``media_types`` (else 415), in UTF-8."""
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if request.mimetype not in media_types or charset not in ("utf-8", "utf8"):
        raise ApiError(
            415,
            f"send the body as {' or '.join(media_types)} (UTF-8); "
            f"got Content-Type: {request.content_type or '(none)'}",
            headers={"Accept": ", ".join(media_types)},
        )
    body = request.get_data(cache=False)
    if not body.strip():
        raise ApiError(400, "the body is empty; send a JSON array of items")
    if request.mimetype == "application/x-ndjson":
        try:
            items = [orjson.loads(line) for line in body.splitlines() if line.strip()]
        except orjson.JSONDecodeError as e:
            raise ApiError(400, f"a line is not JSON: {e}") from None
    else:
        try:
            items = orjson.loads(body)
        except orjson.JSONDecodeError as e:
            raise ApiError(400, f"the body is not JSON: {e}") from None
        if isinstance(items, dict) and isinstance(items.get("items"), list):
            items = items["items"]
    if not isinstance(items, list):
        raise ApiError(400, 'send a JSON array of items (or {"items": [...]})')
    if len(items) > MAX_ITEMS:
        raise ApiError(413, f"at most {MAX_ITEMS} items per request; got {len(items)}")
    return items


def _ingest(parse_item, media_types: tuple[str, ...]) -> Response:
    owner = _merchant()
    items = _items(media_types)
    results: list[dict[str, Any] | None] = [None] * len(items)
    valid: list[tuple[int, Change]] = []
    for i, item in enumerate(items):
        try:
            valid.append((i, parse_item(item)))
        except ValidationError as e:
            item_id = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
            results[i] = {
                "index": i,
                "id": item_id,
                "status": "invalid",
                "code": 400,
                "reasons": schemas.flatten_errors(e.messages),
            }
    if valid:
        applier = Applier(get_engine(), get_settings(), source=f"ingest:{owner}")
        try:
            outcomes = applier.apply([c for _, c in valid], owner=owner)
        except EngineUnavailable as e:
            raise ApiError(503, f"{e}; nothing in this request is lost if you send it again") from None
        except AliasError:
            raise ApiError(503, "the catalogue is not loaded yet") from None
        # The changes log this request wrote to is pruned, and old tombstones purged, off its time.
        maintenance.run_due_in_background(get_engine(), get_settings())
        for (i, change), outcome in zip(valid, outcomes, strict=True):
            result = {"index": i, "id": change.id, "status": outcome.status, "code": CODES[outcome.status]}
            if outcome.reason:
                result["reasons"] = [outcome.reason]
            results[i] = result
    counts = dict.fromkeys(CODES, 0)
    for result in results:
        counts[result["status"]] += 1
    return jsonify({"counts": counts, "results": results})


# For the OpenAPI document: the key the endpoints ask for, and what a 200 holds.
MERCHANT_KEY = [{"MerchantKey": []}]
RESULTS = f"One result per item ({', '.join(CODES)})"


def _batch(items: Any) -> dict[str, Any]:
    return {"schema": {"type": "array", "maxItems": MAX_ITEMS, "items": items}}


@bp.post("/stock")
@bp.doc(
    security=MERCHANT_KEY,
    requestBody={
        "required": True,
        "content": {"application/json": _batch(STOCK_ITEM)},
    },
)
@bp.response(200, IngestAnswer, description=RESULTS)
@bp.errors(400, 401, 403, 413, 415, 503)
def stock() -> Response:
    """Stock (and price) of the caller's own listings: a JSON array of at most 1,000 items

    Each item is `{id, quantity, price?, updated_at}`.
    """

    def parse(item: Any) -> Change:
        if not isinstance(item, dict):
            raise ValidationError("an item must be a JSON object")
        return stock_change(STOCK_ITEM.load(item))

    return _ingest(parse, STOCK_MEDIA_TYPES)


@bp.post("/changes")
@bp.doc(
    security=MERCHANT_KEY,
    requestBody={
        "required": True,
        "content": {
            "application/x-ndjson": {"schema": {"type": "string"}},
            "application/json": _batch({"type": "object"}),
        },
    },
)
@bp.response(200, IngestAnswer, description=RESULTS)
@bp.errors(400, 401, 403, 413, 415, 503)
def change_lines() -> Response:
    """Change lines (upsert, delete, stock) for the caller's own listings, as in changes.jsonl"""
    return _ingest(parse, CHANGES_MEDIA_TYPES)
