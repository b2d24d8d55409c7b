"""The OpenAPI document, generated from the request schemas (apispec), never written by hand."""

from __future__ import annotations

from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from query_api import responses, schemas

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "message"],
            "properties": {
                "status": {"type": "integer"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": True},
            },
        }
    },
}

# path, query schema (None: no parameters), response schema, summary, path parameter
ENDPOINTS: list[tuple[str, Any, Any, str, str | None]] = [
    ("/v1/merchants", schemas.MerchantSearchSchema, responses.MerchantResults,
     "Search merchants: French full text, geo, filters, facets", None),
    ("/v1/products", schemas.ProductSearchSchema, responses.ProductResults,
     "Search products in stock near a place, one hit per product", None),
    ("/v1/suggest", schemas.SuggestSchema, responses.Suggestions,
     "Type-ahead over merchant names, products, brands and categories", None),
    ("/v1/merchants/{merchant_id}", None, responses.Merchant, "One merchant, as stored", "merchant_id"),
    ("/v1/products/{listing_id}", schemas.LookupSchema, responses.ProductPage,
     "A product page: the product and the stores carrying it", "listing_id"),
    ("/v1/health", None, responses.Health, "Engine reachable and aliases present", None),
]  # fmt: skip


def _responses(result: Any, has_id: bool) -> dict[str, Any]:
    def error(description: str) -> dict[str, Any]:
        return {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }

    out = {
        "200": {"description": "OK", "content": {"application/json": {"schema": result}}},
        "400": error("Invalid parameters: `fields` names each one and why"),
        "503": error("The engine is unreachable or too slow (Retry-After header)"),
    }
    if has_id:
        out["404"] = error("Unknown id")
    return out


@cache
def document() -> dict[str, Any]:
    spec = APISpec(
        title="Panier query API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Search of a Quebec buy-local directory. French field values as stored."},
    )
    spec.components.schema("Error", ERROR)
    for path, schema, result, summary, path_param in ENDPOINTS:
        parameters: list[Any] = []
        if schema is not None:
            parameters.append({"in": "query", "schema": schema})
        if path_param:
            parameters.append(
                {"in": "path", "name": path_param, "required": True, "schema": {"type": "string"}}
            )
        spec.path(
            path=path,
            operations={
                "get": {
                    "summary": summary,
                    "parameters": parameters,
                    "responses": _responses(result, bool(path_param)),
                }
            },
        )
    _ingest_paths(spec)
    return spec.to_dict()


def _ingest_paths(spec: APISpec) -> None:
    """The merchants' endpoints (served when PANIER_API includes ``ingest``)."""
    from indexer.records.change_lines import StockSchema
    from query_api.ingest import IngestAnswer

    spec.components.security_scheme(
        "MerchantKey", {"type": "apiKey", "in": "header", "name": "Authorization",
                        "description": "`ApiKey pk_…` (from `panier keys create`), or the X-Api-Key header"}
    )  # fmt: skip
    bodies = {
        "/v1/ingest/stock": (
            "Stock (and price) of the caller's own listings: a JSON array of at most 1,000 items",
            {"application/json": {"schema": {"type": "array", "maxItems": 1000, "items": StockSchema}}},
        ),
        "/v1/ingest/changes": (
            "Change lines (upsert, delete, stock) for the caller's own listings, as in changes.jsonl",
            {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "application/json": {
                    "schema": {"type": "array", "maxItems": 1000, "items": {"type": "object"}}
                },
            },
        ),
    }
    for path, (summary, content) in bodies.items():
        answers = _responses(IngestAnswer, False)
        answers["200"]["description"] = "One result per item (applied, stale, invalid, forbidden, not_found)"
        answers["401"] = {"description": "Missing, unknown or revoked key"}
        answers["403"] = {"description": "The key's merchant is not active"}
        answers["413"] = {"description": "More than 1,000 items or 1 MB"}
        spec.path(
            path=path,
            operations={
                "post": {
                    "summary": summary,
                    "security": [{"MerchantKey": []}],
                    "requestBody": {"required": True, "content": content},
                    "responses": answers,
                }
            },
        )
