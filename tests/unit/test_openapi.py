"""The OpenAPI document is generated from the routes and says what the server does: every route,
every status an operation can answer (with the headers it always carries), strict answers, and the
parameters' bounds as the server checks them. (Real answers are checked against it by
tests/integration/test_openapi_conformance.py, and schemathesis by test_schemathesis.py.)"""

from __future__ import annotations

import re
from typing import Any

import pytest
from marshmallow import ValidationError
from openapi_spec_validator import validate

from indexer.records.documents import merchant_document
from indexer.records.visibility import INTERNAL_FIELDS
from panier_core.settings import Settings
from query_api import create_app, limits, schemas
from query_api.openapi import PATH, document

ERROR = {"$ref": "#/components/schemas/Error"}
# Answered before any route's own code (errors.py, __init__.py's before_request, the WSGI server).
EVERY_OPERATION = {"400", "413", "414", "431", "503"}


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document()["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
    ]


def test_every_route_is_documented_and_no_other_path():
    app = create_app(Settings(index_prefix="doc-"))
    routes = {
        re.sub(r"<(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/v1/") and rule.rule != PATH
    }
    validate(document())
    assert set(document()["paths"]) == routes


def test_errors_are_documented_in_the_one_error_shape_never_as_a_422():
    error = document()["components"]["schemas"]["Error"]
    assert error["required"] == ["error"] and error["additionalProperties"] is False
    for path, _, operation in operations():
        answers = operation["responses"]
        assert "422" not in answers, path
        for status, answer in answers.items():
            if status == "200":
                continue
            schema = answer["content"]["application/json"]["schema"]
            if (path, status) == ("/v1/health", "503"):  # an alias missing: Health, status degraded
                assert schema == {"anyOf": [{"$ref": "#/components/schemas/Health"}, ERROR]}
            else:
                assert schema == ERROR, (path, status)


def test_every_status_an_operation_can_answer_is_listed_and_no_catch_all():
    for path, method, operation in operations():
        answers = set(operation["responses"])
        assert "default" not in answers, path  # a catch-all would make every status "documented"
        assert answers >= EVERY_OPERATION | {"200"}, path
        assert ("429" in answers) == (path not in limits.EXEMPT_PATHS), path
        if "{" in path:
            assert "404" in answers, path
        if method == "post":
            assert answers >= {"401", "403", "415"}, path


def test_retry_after_and_accept_are_documented_where_the_server_always_sends_them():
    for path, _, operation in operations():
        for status, answer in operation["responses"].items():
            headers = answer.get("headers", {})
            if status in ("429", "503"):
                assert headers["Retry-After"]["required"] is True, (path, status)
                assert headers["Retry-After"]["schema"]["type"] == "integer"
            if status == "415":
                assert headers["Accept"]["required"] is True, path


def _objects(schema: Any):
    if isinstance(schema, dict):
        if schema.get("type") == "object" or "properties" in schema:
            yield schema
        for value in schema.values():
            yield from _objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _objects(value)


def test_every_answer_is_strict_no_undocumented_field_and_null_means_only_null():
    components = document()["components"]["schemas"]
    for name, schema in components.items():
        for obj in _objects(schema):
            if obj.get("nullable") and "properties" not in obj:
                # apispec's nullable $ref is anyOf [{type: object, nullable}, $ref]: any object would match
                assert obj.get("enum") == [None], name
                continue
            extra = obj.get("additionalProperties")
            if name == "ErrorDetail" and "properties" not in obj:
                continue  # `fields`: one key per bad parameter, whatever its name
            if "properties" in obj:
                assert extra is False, name
            else:
                assert isinstance(extra, dict), name  # a map: its values are typed


def test_a_merchant_page_documents_every_field_of_the_stored_merchant():
    record = {
        "id": "m-1",
        "name": "Fromagerie",
        "address": {"city": "Montréal"},
        "location": {"lat": 45.5, "lon": -73.6},
        "updated_at": "2026-11-20T14:03:00Z",
    }
    answered = set(merchant_document(record, "2026-11-20T14:03:00Z")) - set(INTERNAL_FIELDS)
    assert set(document()["components"]["schemas"]["Merchant"]["properties"]) == answered


def test_search_answers_pre_declare_the_dead_end_fields_as_optional():
    components = document()["components"]["schemas"]
    for name in ("MerchantResults", "ProductResults"):
        schema = components[name]
        assert schema["properties"]["did_you_mean"]["items"] == {"type": "string"}
        assert schema["properties"]["nearest_merchants"]["items"] == {
            "$ref": "#/components/schemas/MerchantHit"
        }
        assert not {"did_you_mean", "nearest_merchants"} & set(schema["required"])


def _parameter(path: str, name: str) -> dict[str, Any]:
    (found,) = (p for p in document()["paths"][path]["get"]["parameters"] if p["name"] == name)
    return found


def test_the_documented_bounds_are_the_servers():
    for path in ("/v1/merchants", "/v1/products", "/v1/products/{listing_id}"):
        radius = _parameter(path, "radius_km")["schema"]
        assert (radius["minimum"], radius["maximum"]) == (schemas.MIN_RADIUS_KM, schemas.MAX_RADIUS_KM)
        assert "lon" in _parameter(path, "lat")["description"]
    for path in ("/v1/merchants", "/v1/products"):
        assert _parameter(path, "per_page")["schema"]["maximum"] == schemas.MAX_PER_PAGE
        assert _parameter(path, "page")["schema"]["maximum"] == schemas.MAX_WINDOW
        assert _parameter(path, "q")["schema"]["maxLength"] == schemas.MAX_QUERY_CHARS
    assert _parameter("/v1/products", "min_price")["schema"]["minimum"] == 0
    assert _parameter("/v1/products", "stores")["schema"]["maximum"] == schemas.MAX_STORES


@pytest.mark.parametrize(
    ("bbox", "shape_ok"),
    [
        ("-73.7,45.4,-73.5,45.6", True),
        ("-180,-90,180,90", True),
        ("", False),
        ("1,2,3", False),
        ("1,2,3,4,5", False),
        (" -73.7,45.4,-73.5,45.6", False),
        ("1e1,2,3,4", False),
        ("nan,2,3,4", False),
        ("inf,2,3,4", False),
        ("+1,2,3,4", False),
        ("1_0,2,3,4", False),
        ("1.,2,3,4", False),
    ],
)
def test_the_bbox_pattern_refuses_exactly_what_the_server_refuses_for_its_shape(bbox, shape_ok):
    pattern = _parameter("/v1/merchants", "bbox")["schema"]["pattern"]
    assert bool(re.search(pattern, bbox)) is shape_ok
    try:
        schemas.MERCHANT_SEARCH.load({"bbox": bbox})
    except ValidationError as e:
        assert not shape_ok or "out of range" in str(e.messages)
    else:
        assert shape_ok


@pytest.mark.parametrize(
    "q",
    ["fromage", "  pain  ", "pain\tblanc", "été", "", " ", "\t", "a\nb", "a\x00", "a\x7f", "a\x85", "a\xa0b"],
)
def test_the_q_pattern_refuses_what_the_server_refuses(q):
    pattern = _parameter("/v1/merchants", "q")["schema"]["pattern"]
    try:
        schemas.MERCHANT_SEARCH.load({"q": q})
        accepted = True
    except ValidationError:
        accepted = False
    assert bool(re.search(pattern, q)) is accepted


def test_the_document_is_the_same_whichever_parts_a_process_serves():
    ingest_only = create_app(Settings(index_prefix="doc-", api_parts=("ingest",))).test_client()
    assert ingest_only.get(PATH).status_code == 404  # served with the shoppers' part, as before
    search_only = create_app(Settings(index_prefix="doc-", api_parts=("search",))).test_client()
    assert search_only.get(PATH).get_json() == document()
    assert "/v1/ingest/stock" in document()["paths"]
