"""Response schemas: the shape of every answer, for the OpenAPI document and for the tests.

Views build plain dicts (dumping each hit through marshmallow would cost more than the rest of the
request) and send them with ``json_response``; the routes' ``@bp.response`` only documents them.
``tests/integration/test_api_search.py`` loads real answers of every search, page and health
through these schemas with unknown fields refused (and the ingest tests the ingest answer), so the
documented shape and the served one cannot drift apart. Errors have one shape (``errors.py``
builds it, ``Error`` documents it), which ``test_api_errors.py`` checks for each status.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response
from marshmallow import RAISE, Schema, fields

from query_api.places import AREA, MUNICIPALITY, POSTAL_CODE, REGION
from query_api.queries import merchants, product_facets
from query_api.queries.product_facets import EXACT_FACETS_UP_TO, FACET_SAMPLE


def json_response(body: dict[str, Any]) -> Response:
    """An answer as JSON, UTF-8 as stored: like Flask's own, several times faster, which matters for
    a page of products (docs/benchmarks.md)."""
    return Response(orjson.dumps(body), mimetype="application/json")


PLACE_KINDS = (MUNICIPALITY, REGION, AREA, POSTAL_CODE)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class ErrorDetail(_Strict):
    status = fields.Integer(required=True, metadata={"description": "the HTTP status, again"})
    message = fields.String(required=True)
    fields_ = fields.Dict(
        data_key="fields",
        metadata={"description": "each bad parameter (or item field) and why", "additionalProperties": True},
    )


class Error(_Strict):
    """Every error answer: ``{"error": {"status": …, "message": …, "fields": {…}}}``."""

    error = fields.Nested(ErrorDetail, required=True)


class Address(_Strict):
    street = fields.String()
    city = fields.String(required=True)
    postal_code = fields.String()
    region = fields.String()
    province = fields.String()


class Point(_Strict):
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)


class FacetValue(_Strict):
    value = fields.String(required=True, metadata={"description": "the value as stored"})
    count = fields.Integer(required=True)


class BooleanFacetValue(_Strict):
    value = fields.Boolean(required=True)
    count = fields.Integer(required=True)


class PriceFacetValue(_Strict):
    value = fields.String(required=True, metadata={"enum": [r["key"] for r in product_facets.PRICE_RANGES]})
    count = fields.Integer(required=True, metadata={"description": "every range is shown, empty ones too"})


def _facets(name: str, names: Any, special: dict[str, type[Schema]]) -> type[Schema]:
    """The ``facets`` of an answer: one list of values per facet the search counts (its FACET_AGGS),
    each always present (empty when nothing matched), most frequent first."""
    declared = {n: fields.List(fields.Nested(special.get(n, FacetValue)), required=True) for n in names}
    return _Strict.from_dict(declared, name=name)


MerchantFacets = _facets("MerchantFacets", merchants.FACET_AGGS, {})
ProductFacets = _facets(
    "ProductFacets",
    product_facets.FACET_AGGS,
    {"quebec": BooleanFacetValue, "price": PriceFacetValue},
)


class Page(_Strict):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class LocationEcho(_Strict):
    near = fields.String(metadata={"description": "the municipality or postal area near= resolved to"})
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)
    radius_km = fields.Float(required=True)


class Cluster(_Strict):
    tile = fields.String(required=True, metadata={"description": "geotile key zoom/x/y"})
    count = fields.Integer(required=True)
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)


class _MerchantFields(_Strict):
    """What a merchant search hit and a merchant page both show."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    categories = fields.List(fields.String(), required=True)
    address = fields.Nested(Address, required=True)
    location = fields.Nested(Point, required=True)
    services = fields.List(fields.String(), required=True)
    phone = fields.String(allow_none=True)
    website = fields.String(allow_none=True)


class MerchantHit(_MerchantFields):
    distance_km = fields.Float(metadata={"description": "present when the search has a location"})
    highlight = fields.String(
        allow_none=True, metadata={"description": "the name with matched terms in <em>"}
    )


class UnderstoodPlace(_Strict):
    """A place named in q, made the search's location (the search had none of its own)."""

    name = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": list(PLACE_KINDS)})
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)
    radius_km = fields.Float(required=True, metadata={"description": "the radius searched: suits the place"})
    role = fields.String(
        required=True, metadata={"enum": ["location"], "description": "the search's location"}
    )
    from_ = fields.String(required=True, data_key="from", metadata={"description": "the words that named it"})


class Understood(_Strict):
    """What the interpretation step understood in q (null with literal=true or without q)."""

    place = fields.Nested(UnderstoodPlace, allow_none=True, required=True)

    quebec = fields.Boolean(
        required=True,
        metadata={"description": "Quebec-made asked for: certified Quebec products rank higher"},
    )
    certifications = fields.List(
        fields.String(), required=True, metadata={"description": "certifications asked for; they rank higher"}
    )
    dropped = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "the phrases of q taken out of the words to match"},
    )


class Relaxed(_Strict):
    """How a search that found nothing was relaxed (null when the strict search found something)."""

    dropped = fields.List(
        fields.String(), required=True, metadata={"description": "words no listing contains, dropped"}
    )
    matching = fields.String(
        required=True,
        metadata={
            "enum": ["all", "any"],
            "description": "all: the one word left must match; any: of the words left, any may",
        },
    )
    radius_km = fields.Float(metadata={"description": "the wider radius searched, when it was widened"})


def _did_you_mean() -> fields.List:
    return fields.List(
        fields.String(),
        metadata={"description": "only at a dead end (nothing found, even relaxed): searches to try instead"},
    )


def _nearest_merchants() -> fields.List:
    return fields.List(
        fields.Nested(MerchantHit),
        metadata={"description": "only at a dead end (nothing found, even relaxed): the nearest merchants"},
    )


class MerchantResults(_Strict):
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(MerchantHit), required=True)
    facets = fields.Nested(MerchantFacets, required=True)
    page = fields.Nested(Page, required=True)
    location = fields.Nested(LocationEcho, allow_none=True, required=True)
    understood = fields.Nested(Understood, allow_none=True, required=True)
    relaxed = fields.Nested(Relaxed, allow_none=True, required=True)
    did_you_mean = _did_you_mean()
    nearest_merchants = _nearest_merchants()
    next_cursor = fields.String(
        allow_none=True, required=True, metadata={"description": "pass as cursor= for the next page"}
    )
    clusters = fields.List(fields.Nested(Cluster), metadata={"description": "with zoom="})


class Store(_Strict):
    listing_id = fields.String(required=True)
    merchant_id = fields.String(required=True)
    name = fields.String(required=True)
    city = fields.String(allow_none=True)
    location = fields.Nested(Point, allow_none=True, required=True)
    distance_km = fields.Float()
    quantity = fields.Integer(required=True)
    in_stock = fields.Boolean(required=True)
    price = fields.Float(required=True)


class ProductHit(_Strict):
    product_key = fields.String(required=True)
    name = fields.String(required=True)
    brand = fields.String(allow_none=True)
    gtin = fields.String(allow_none=True)
    categories = fields.List(fields.String(), required=True)
    quebec_product = fields.Boolean(required=True)
    certifications = fields.List(fields.String(), required=True)
    price_from = fields.Float(required=True)
    stores_matching = fields.Integer(required=True)
    stores = fields.List(fields.Nested(Store), required=True)
    highlight = fields.String(allow_none=True)


class ProductResults(_Strict):
    total = fields.Integer(required=True, metadata={"description": "distinct products"})
    listings = fields.Integer(required=True, metadata={"description": "matching listings (product × store)"})
    items = fields.List(fields.Nested(ProductHit), required=True)
    facets = fields.Nested(ProductFacets, required=True)
    facets_approximate = fields.Boolean(
        required=True,
        metadata={
            "description": f"false: facet counts are exact. true (more than {EXACT_FACETS_UP_TO:,} "
            f"matching listings): they are estimated from a random sample of about {FACET_SAMPLE:,} "
            "of those listings, scaled to the whole: within a few percent for common values, while a "
            "rare value may be off by more or missing. total, listings and clusters are not sampled"
        },
    )
    page = fields.Nested(Page, required=True)
    location = fields.Nested(LocationEcho, allow_none=True, required=True)
    understood = fields.Nested(Understood, allow_none=True, required=True)
    relaxed = fields.Nested(Relaxed, allow_none=True, required=True)
    did_you_mean = _did_you_mean()
    nearest_merchants = _nearest_merchants()
    clusters = fields.List(fields.Nested(Cluster), metadata={"description": "with zoom="})


class ProductPage(_Strict):
    product_key = fields.String(required=True)
    name = fields.String(required=True)
    brand = fields.String(allow_none=True)
    gtin = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    categories = fields.List(fields.String(), required=True)
    quebec_product = fields.Boolean(required=True)
    certifications = fields.List(fields.String(), required=True)
    stores_total = fields.Integer(required=True)
    stores = fields.List(fields.Nested(Store), required=True)
    location = fields.Nested(LocationEcho, allow_none=True, required=True)


class Suggestion(_Strict):
    text = fields.String(required=True)
    type = fields.String(required=True, metadata={"enum": ["merchant", "product", "brand", "category"]})
    id = fields.String()


class Suggestions(_Strict):
    q = fields.String(required=True)
    items = fields.List(fields.Nested(Suggestion), required=True)


class Aliases(_Strict):
    merchants = fields.List(fields.String(), required=True, metadata={"description": "its indices"})
    products = fields.List(fields.String(), required=True, metadata={"description": "its indices"})


class Health(_Strict):
    """200 with status ok; 503 with status degraded and a message when an alias is missing."""

    status = fields.String(required=True, metadata={"enum": ["ok", "degraded"]})
    engine = fields.String(required=True, metadata={"description": "the engine's version"})
    aliases = fields.Nested(Aliases, required=True)
    message = fields.String(metadata={"description": "what is missing (status degraded)"})


class Merchant(_MerchantFields):
    """A merchant as stored: the data contract's fields, whether it is active, and when it was indexed."""

    description = fields.String(allow_none=True)
    active = fields.Boolean(required=True)
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    indexed_at = fields.String(required=True, metadata={"format": "date-time"})
