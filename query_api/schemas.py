"""Request schemas: every query parameter validated at the edge, unknown ones refused."""

from __future__ import annotations

import re
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
    if any((ord(c) < 32 or 127 <= ord(c) < 160) and c != "\t" for c in value):  # C0, DEL, C1
        raise ValidationError("must not contain control characters")
    return True


class _Params(Schema):
    class Meta:
        unknown = RAISE


# The rules between parameters, which an OpenAPI 3.0 parameter cannot say but its description can.
LAT = "with lon (both or neither), not with near"
LON = "with lat (both or neither), not with near"
NEAR = "a Quebec municipality, region or postal area (H2R); not with lat/lon; an unknown name is a 400"
RADIUS = f"km around the location (default {DEFAULT_RADIUS_KM:g}); needs near or lat/lon"


class LocationParams(_Params):
    lat = fields.Float(validate=validate.Range(-90, 90), allow_nan=False, metadata={"description": LAT})
    lon = fields.Float(validate=validate.Range(-180, 180), allow_nan=False, metadata={"description": LON})
    near = fields.String(validate=validate.Length(min=1, max=100), metadata={"description": NEAR})
    radius_km = fields.Float(
        validate=validate.Range(MIN_RADIUS_KM, MAX_RADIUS_KM, error="must be ≥ {min} and ≤ {max} km"),
        allow_nan=False,
        metadata={"description": RADIUS},
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


_DECIMAL = r"-?[0-9]+(\.[0-9]+)?"
BBOX_PATTERN = rf"^{_DECIMAL},{_DECIMAL},{_DECIMAL},{_DECIMAL}$"


class BBox(fields.Field):
    """``bbox=min_lon,min_lat,max_lon,max_lat`` (GeoJSON order), the map's viewport: four decimal
    numbers (the document's pattern, so what the document refuses the server refuses too)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not re.fullmatch(BBOX_PATTERN, value):
            if re.search("nan|inf", str(value), re.IGNORECASE):
                raise ValidationError("must be finite numbers (no nan or inf)")
            raise ValidationError("must be min_lon,min_lat,max_lon,max_lat (four numbers, as decimals)")
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in value.split(","))
        if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
            raise ValidationError("coordinates out of range, or min_lat ≥ max_lat")
        return {
            "top_left": {"lat": max_lat, "lon": min_lon},
            "bottom_right": {"lat": min_lat, "lon": max_lon},
        }


class MapParams(_Params):
    bbox = BBox(
        metadata={
            "type": "string",
            "pattern": BBOX_PATTERN,
            "description": "the map's viewport: min_lon,min_lat,max_lon,max_lat (longitudes −180 to 180, "
            "latitudes −90 to 90, min_lat < max_lat)",
        }
    )
    zoom = fields.Integer(
        validate=validate.Range(0, 20),
        metadata={"description": "map zoom level: adds clustered points (geotile grid) to the answer"},
    )


class PageParams(_Params):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(1, MAX_WINDOW, error="must be ≥ {min}, and page × per_page ≤ {max}"),
        metadata={"description": f"page × per_page ≤ {MAX_WINDOW:,} (deeper: narrow the search)"},
    )
    per_page = fields.Integer(
        load_default=20,
        validate=validate.Range(1, MAX_PER_PAGE),
        metadata={"description": f"page × per_page ≤ {MAX_WINDOW:,}"},
    )

    @validates_schema
    def inside_window(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("page", 1) * data.get("per_page", 20) > MAX_WINDOW:
            raise ValidationError(
                f"page × per_page must be ≤ {MAX_WINDOW}; narrow the search instead", "page"
            )


def _sort(choices: tuple[str, ...]) -> fields.String:
    return fields.String(
        load_default="relevance",
        validate=validate.OneOf(choices, error="must be one of {choices}"),
        metadata={"description": "distance needs a location (near, or lat and lon)"},
    )


# Not blank, no control character but tab: C0, DEL, C1 (what _text checks, but its word count).
TEXT_PATTERN = r"^[^\x00-\x08\x0a-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0a-\x1f\x7f-\x9f]*$"


def _q(max_chars: int, **kwargs: Any) -> fields.String:
    return fields.String(
        validate=[validate.Length(min=kwargs.pop("min_chars", None), max=max_chars), _text],
        metadata={
            "pattern": TEXT_PATTERN,
            "description": f"at most {MAX_QUERY_TERMS} words; not blank, no control characters",
        },
        **kwargs,
    )


def _literal() -> fields.Boolean:
    return fields.Boolean(
        load_default=False,
        metadata={"description": "true: search q word for word, without the interpretation step "
                  "(a place inside the words; on products, Quebec-made and certification intents)"},
    )  # fmt: skip


class MerchantSearchSchema(LocationParams, MapParams, PageParams):
    q = _q(MAX_QUERY_CHARS)
    literal = _literal()
    # Opened (verified, then turned into the engine's search_after) by the route: query_api/cursors.py
    cursor = fields.String(
        validate=validate.Length(min=1, max=cursors.MAX_CHARS),
        metadata={
            "description": "next_cursor of the previous page of the same search (deep paging); not with page"
        },
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
    q = _q(MAX_QUERY_CHARS)
    in_stock = fields.Boolean()
    quebec = fields.Boolean()
    category = fields.String(validate=validate.Length(min=1, max=100))
    brand = fields.String(validate=validate.Length(min=1, max=200))
    min_price = fields.Float(
        validate=validate.Range(min=0), allow_nan=False, metadata={"description": "≤ max_price"}
    )
    max_price = fields.Float(
        validate=validate.Range(min=0), allow_nan=False, metadata={"description": "≥ min_price"}
    )
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
    q = _q(50, min_chars=1, required=True)
    lat = fields.Float(
        validate=validate.Range(-90, 90),
        allow_nan=False,
        metadata={"description": "with lon (both or neither)"},
    )
    lon = fields.Float(
        validate=validate.Range(-180, 180),
        allow_nan=False,
        metadata={"description": "with lat (both or neither)"},
    )
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
