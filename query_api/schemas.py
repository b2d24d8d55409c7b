"""Request schemas: every query parameter validated at the edge, unknown ones refused."""

from __future__ import annotations

import math
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from indexer.records.schemas import SERVICES
from query_api import cursors

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 20  # caps the work a text query can ask of the engine, whatever its type
MAX_PER_PAGE = 100
MAX_WINDOW = 1_000  # page * per_page; deeper paging is refused
MAX_RADIUS_KM = 500.0
# The engine's distance decay takes half the radius written with three decimals, and refuses 0:
# from 10 m, that half stays > 0 (5 m) and the distance filter's radius needs no exponent.
MIN_RADIUS_KM = 0.01
DEFAULT_RADIUS_KM = 25.0
MAX_STORES = 10


def _text(value: str) -> bool:
    stripped = value.strip()
    if not stripped:
        raise ValidationError("must not be blank")
    if len(stripped.split()) > MAX_QUERY_TERMS:
        raise ValidationError(f"at most {MAX_QUERY_TERMS} words")
    if any(ord(c) < 32 and c not in "\t" for c in value):
        raise ValidationError("must not contain control characters")
    return True


class _Params(Schema):
    class Meta:
        unknown = RAISE


class LocationParams(_Params):
    lat = fields.Float(validate=validate.Range(-90, 90), allow_nan=False)
    lon = fields.Float(validate=validate.Range(-180, 180), allow_nan=False)
    near = fields.String(validate=validate.Length(min=1, max=100))
    radius_km = fields.Float(
        validate=validate.Range(MIN_RADIUS_KM, MAX_RADIUS_KM, error="must be ≥ {min} and ≤ {max} km"),
        allow_nan=False,
    )

    @validates_schema
    def location_is_complete(self, data: dict[str, Any], **_: Any) -> None:
        if ("lat" in data) != ("lon" in data):
            missing = "lon" if "lat" in data else "lat"
            raise ValidationError("lat and lon go together", missing)
        if "near" in data and "lat" in data:
            raise ValidationError("give either near or lat/lon, not both", "near")
        if "radius_km" in data and "lat" not in data and "near" not in data:
            raise ValidationError("radius_km needs a location (near, or lat and lon)", "radius_km")


class BBox(fields.Field):
    """``bbox=min_lon,min_lat,max_lon,max_lat`` (GeoJSON order), the map's viewport."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            min_lon, min_lat, max_lon, max_lat = (float(v) for v in str(value).split(","))
        except ValueError:
            raise ValidationError("must be min_lon,min_lat,max_lon,max_lat (four numbers)") from None
        if not all(map(math.isfinite, (min_lon, min_lat, max_lon, max_lat))):
            raise ValidationError("must be finite numbers (no nan or inf)")
        if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
            raise ValidationError("coordinates out of range, or min_lat ≥ max_lat")
        return {
            "top_left": {"lat": max_lat, "lon": min_lon},
            "bottom_right": {"lat": min_lat, "lon": max_lon},
        }


class MapParams(_Params):
    bbox = BBox(metadata={"description": "min_lon,min_lat,max_lon,max_lat", "type": "string"})
    zoom = fields.Integer(
        validate=validate.Range(0, 20),
        metadata={"description": "map zoom level: adds clustered points (geotile grid) to the answer"},
    )


class PageParams(_Params):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, MAX_PER_PAGE))

    @validates_schema
    def inside_window(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("page", 1) * data.get("per_page", 20) > MAX_WINDOW:
            raise ValidationError(
                f"page × per_page must be ≤ {MAX_WINDOW}; narrow the search instead", "page"
            )


def _sort(choices: tuple[str, ...]) -> fields.String:
    return fields.String(
        load_default="relevance", validate=validate.OneOf(choices, error="must be one of {choices}")
    )


def _literal() -> fields.Boolean:
    return fields.Boolean(
        load_default=False,
        metadata={"description": "true: search q word for word, without the interpretation step "
                  "(a place inside the words; on products, Quebec-made and certification intents)"},
    )  # fmt: skip


class MerchantSearchSchema(LocationParams, MapParams, PageParams):
    q = fields.String(validate=[validate.Length(max=MAX_QUERY_CHARS), _text])
    literal = _literal()
    # Opened (verified, then turned into the engine's search_after) by the route: query_api/cursors.py
    cursor = fields.String(
        validate=validate.Length(min=1, max=cursors.MAX_CHARS),
        metadata={"description": "next_cursor of the previous page of the same search (deep paging)"},
    )
    category = fields.String(validate=validate.Length(min=1, max=100))
    service = fields.String(validate=validate.OneOf(SERVICES, error="must be one of {choices}"))
    region = fields.String(validate=validate.Length(min=1, max=100))
    sort = _sort(("relevance", "distance"))

    @validates_schema
    def distance_needs_location(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("sort") == "distance" and "lat" not in data and "near" not in data:
            raise ValidationError("sort=distance needs a location (near, or lat and lon)", "sort")
        if "cursor" in data and data.get("page", 1) != 1:
            raise ValidationError("give either page or cursor, not both", "cursor")


class ProductSearchSchema(LocationParams, MapParams, PageParams):
    q = fields.String(validate=[validate.Length(max=MAX_QUERY_CHARS), _text])
    in_stock = fields.Boolean()
    quebec = fields.Boolean()
    category = fields.String(validate=validate.Length(min=1, max=100))
    brand = fields.String(validate=validate.Length(min=1, max=200))
    min_price = fields.Float(validate=validate.Range(min=0), allow_nan=False)
    max_price = fields.Float(validate=validate.Range(min=0), allow_nan=False)
    sort = _sort(("relevance", "distance", "price"))
    stores = fields.Integer(load_default=3, validate=validate.Range(1, MAX_STORES))
    literal = _literal()

    @validates_schema
    def consistent(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("sort") == "distance" and "lat" not in data and "near" not in data:
            raise ValidationError("sort=distance needs a location (near, or lat and lon)", "sort")
        if "min_price" in data and "max_price" in data and data["min_price"] > data["max_price"]:
            raise ValidationError("min_price must be ≤ max_price", "min_price")


class LookupSchema(LocationParams):
    stores = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class SuggestSchema(_Params):
    q = fields.String(required=True, validate=[validate.Length(min=1, max=50), _text])
    lat = fields.Float(validate=validate.Range(-90, 90), allow_nan=False)
    lon = fields.Float(validate=validate.Range(-180, 180), allow_nan=False)
    size = fields.Integer(load_default=8, validate=validate.Range(1, 20))

    @validates_schema
    def location_is_complete(self, data: dict[str, Any], **_: Any) -> None:
        if ("lat" in data) != ("lon" in data):
            raise ValidationError("lat and lon go together", "lon" if "lat" in data else "lat")


class NoParamsSchema(_Params):
    """For endpoints that take no query parameters: anything given is refused."""


MERCHANT_SEARCH = MerchantSearchSchema()
SUGGEST = SuggestSchema()
NO_PARAMS = NoParamsSchema()
PRODUCT_SEARCH = ProductSearchSchema()
LOOKUP = LookupSchema()
