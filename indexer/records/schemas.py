"""Validation at the edge: a raw record becomes a valid record, or a list of reasons.

The field names are the data contract of ``../shared/DESIGN.md``; extra fields are ignored, never
an error, so upstream systems can add fields freely.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

SERVICES = ("livraison", "cueillette", "achat_en_ligne")
# A generous box around Quebec (Îles-de-la-Madeleine to the Ottawa River, the border to Nunavik).
QUEBEC_BBOX = {"min_lat": 44.0, "max_lat": 63.0, "min_lon": -80.0, "max_lon": -57.0}
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
MAX_NAME = 300
MAX_TEXT = 10_000


class _Record(Schema):
    class Meta:
        unknown = EXCLUDE


def id_field(**kw: Any) -> fields.String:
    return fields.String(
        validate=validate.Regexp(ID_PATTERN, error="must be 1–128 letters, digits or . _ : - (no spaces)"),
        **kw,
    )


def _name_field() -> fields.String:
    return fields.String(
        required=True,
        validate=validate.And(
            validate.Length(max=MAX_NAME),
            lambda s: bool(s.strip()) or _fail("must not be empty"),
        ),
    )


def _fail(message: str) -> bool:
    raise ValidationError(message)


def _categories() -> fields.List:
    return fields.List(fields.String(validate=validate.Length(min=1, max=100)), load_default=list)


class LocationSchema(_Record):
    lat = fields.Float(required=True, allow_nan=False, validate=validate.Range(-90, 90))
    lon = fields.Float(required=True, allow_nan=False, validate=validate.Range(-180, 180))

    @validates_schema
    def inside_quebec(self, data: dict, **_: Any) -> None:
        b = QUEBEC_BBOX
        if not (b["min_lat"] <= data["lat"] <= b["max_lat"] and b["min_lon"] <= data["lon"] <= b["max_lon"]):
            raise ValidationError(
                f"{data['lat']}, {data['lon']} is outside Quebec (latitude {b['min_lat']}–{b['max_lat']}, "
                f"longitude {b['min_lon']}–{b['max_lon']}); were lat and lon swapped?"
            )


class AddressSchema(_Record):
    street = fields.String(load_default=None)
    city = fields.String(required=True, validate=validate.Length(min=1, max=200))
    postal_code = fields.String(load_default=None, validate=validate.Length(max=10))
    region = fields.String(load_default=None, validate=validate.Length(max=200))
    province = fields.String(load_default="QC", validate=validate.OneOf(["QC"], error="must be QC"))


EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(hours=1)  # clocks differ; a record from further ahead is an error


def _plausible(value: datetime) -> bool:
    """``updated_at`` orders changes: one far in the future would win over every later change."""
    latest = datetime.now(UTC) + FUTURE_TOLERANCE
    if not EARLIEST <= value <= latest:
        raise ValidationError(f"must be between {EARLIEST:%Y-%m-%d} and now (+1 h), got {value.isoformat()}")
    return True


NEEDS_TIME_ZONE = "needs a time zone (Z or an offset such as -05:00), e.g. 2026-11-20T14:03:00Z"


def updated_at_field() -> fields.AwareDateTime:
    """When the source system last changed the record: ISO 8601 with its time zone (``Z`` or an
    offset). One without is refused: which instant it names depends on the writer's time zone, and
    ``updated_at`` orders every change to a record (issue 13)."""
    return fields.AwareDateTime(
        format="iso",
        required=True,
        validate=_plausible,
        error_messages={"invalid_awareness": NEEDS_TIME_ZONE},
    )


class MerchantSchema(_Record):
    id = id_field(required=True)
    name = _name_field()
    description = fields.String(load_default=None, validate=validate.Length(max=MAX_TEXT))
    categories = _categories()
    address = fields.Nested(AddressSchema, required=True)
    location = fields.Nested(LocationSchema, required=True)
    services = fields.List(
        fields.String(validate=validate.OneOf(SERVICES, error="unknown service; known: {choices}")),
        load_default=list,
    )
    phone = fields.String(load_default=None, validate=validate.Length(max=50))
    website = fields.String(load_default=None, validate=validate.Length(max=500))
    active = fields.Boolean(load_default=True)
    updated_at = updated_at_field()


class StockLevelSchema(_Record):
    """A listing's ``stock`` object."""

    quantity = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))


class ProductSchema(_Record):
    id = id_field(required=True)
    merchant_id = id_field(required=True)
    name = _name_field()
    description = fields.String(load_default=None, validate=validate.Length(max=MAX_TEXT))
    brand = fields.String(load_default=None, validate=validate.Length(max=200))
    gtin = fields.String(
        load_default=None, validate=validate.Regexp(r"^\d{8,14}$", error="must be 8–14 digits")
    )
    categories = _categories()
    price = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0, max=1_000_000))
    quebec_product = fields.Boolean(load_default=False)
    certifications = fields.List(fields.String(validate=validate.Length(min=1, max=100)), load_default=list)
    stock = fields.Nested(StockLevelSchema, required=True)
    updated_at = updated_at_field()


MERCHANT = MerchantSchema()
PRODUCT = ProductSchema()


def flatten_errors(messages: dict | list | str, prefix: str = "") -> list[str]:
    """marshmallow's nested error dict as readable reasons: ``location.lat: must be …``."""
    if isinstance(messages, str):
        return [f"{prefix}: {messages}" if prefix else messages]
    if isinstance(messages, list):
        out: list[str] = []
        for m in messages:
            out.extend(flatten_errors(m, prefix))
        return out
    out = []
    for key, value in messages.items():
        name = prefix if key == "_schema" else (f"{prefix}.{key}" if prefix else str(key))
        out.extend(flatten_errors(value, name))
    return out
