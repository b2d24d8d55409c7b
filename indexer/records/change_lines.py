"""Change lines (``changes.jsonl``) -> validated changes, with the same schemas as the batch loader.

::

    {"op": "upsert", "type": "merchant", "doc": {<a merchants.jsonl record>}}
    {"op": "upsert", "type": "product",  "doc": {<a products.jsonl record>}}
    {"op": "delete", "type": "product",  "id": "p-000123-0042", "updated_at": "2026-11-21T09:00:00Z"}
    {"op": "stock",  "id": "p-000123-0042", "quantity": 0, "price": 11.49, "updated_at": "…"}

``updated_at`` orders the changes to one record (see ``indexer.records.merge``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

from indexer.records import documents, schemas
from indexer.records.merge import StockChange

OPS = ("upsert", "delete", "stock")
TYPES = ("merchant", "product")


@dataclass(slots=True)
class Change:
    op: str
    type: str
    id: str
    version: int  # updated_at in epoch milliseconds
    record: dict[str, Any] | None = None  # upsert: the validated record
    stock: StockChange | None = None  # stock: the new quantity (and price)
    raw: dict[str, Any] | None = None  # the validated change, as the changes log keeps it


class _Envelope(Schema):
    class Meta:
        unknown = EXCLUDE  # as for records: upstream systems may add fields

    op = fields.String(required=True, validate=validate.OneOf(OPS, error="must be one of {choices}"))
    type = fields.String(validate=validate.OneOf(TYPES, error="must be one of {choices}"))
    doc = fields.Dict()
    id = fields.Raw()
    updated_at = fields.Raw()
    quantity = fields.Raw()
    price = fields.Raw()

    @validates_schema
    def shape(self, data: dict[str, Any], **_: Any) -> None:
        op = data["op"]
        if op == "upsert" and ("type" not in data or "doc" not in data):
            raise ValidationError("an upsert needs type and doc")
        if op == "delete" and not {"type", "id", "updated_at"} <= data.keys():
            raise ValidationError("a delete needs type, id and updated_at")
        if op == "stock" and data.get("type", "product") != "product":
            raise ValidationError("stock changes are for products")


class DeleteSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = schemas.id_field(required=True)
    updated_at = schemas.updated_at_field()


class StockChangeSchema(Schema):
    """One stock change; also the items of ``POST /v1/ingest/stock``."""

    class Meta:
        unknown = RAISE

    id = schemas.id_field(required=True)
    quantity = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=10_000_000))
    price = fields.Float(load_default=None, allow_nan=False, validate=validate.Range(min=0, max=1_000_000))
    updated_at = schemas.updated_at_field()


ENVELOPE = _Envelope()
DELETE = DeleteSchema()
STOCK = StockChangeSchema(unknown=EXCLUDE)
STOCK_ITEM = StockChangeSchema()


def parse(data: Any) -> Change:
    """One change line (already JSON-decoded) -> a ``Change``; raises ``ValidationError`` with reasons."""
    if not isinstance(data, dict):
        raise ValidationError("a change must be a JSON object")
    envelope = ENVELOPE.load(data)
    op = envelope["op"]
    if op == "upsert":
        kind = envelope["type"]
        schema = schemas.MERCHANT if kind == "merchant" else schemas.PRODUCT
        try:
            record = schema.load(envelope["doc"])
        except ValidationError as e:
            raise ValidationError({"doc": e.messages}) from None
        logged = {
            "op": "upsert",
            "type": kind,
            "doc": {**record, "updated_at": documents.iso_utc(record["updated_at"])},
        }
        return Change(
            "upsert", kind, record["id"], documents.millis(record["updated_at"]), record=record, raw=logged
        )
    if op == "delete":
        loaded = DELETE.load({"id": data.get("id"), "updated_at": data.get("updated_at")})
        version = documents.millis(loaded["updated_at"])
        logged = {
            "op": "delete",
            "type": envelope["type"],
            "id": loaded["id"],
            "updated_at": data["updated_at"],
        }
        return Change("delete", envelope["type"], loaded["id"], version, raw=logged)
    return stock_change(STOCK.load({k: v for k, v in data.items() if k not in ("op", "type")}))


def stock_change(loaded: dict[str, Any]) -> Change:
    version = documents.millis(loaded["updated_at"])
    stock = StockChange(loaded["quantity"], loaded.get("price"), version)
    present = {k: v for k, v in loaded.items() if v is not None}
    logged = {"op": "stock", **present, "updated_at": documents.iso_utc(loaded["updated_at"])}
    return Change("stock", "product", loaded["id"], version, stock=stock, raw=logged)
