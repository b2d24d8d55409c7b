"""Real answers, on the test corpus in a real engine, are what the OpenAPI document says they are:
each status is listed for its operation, the headers the document marks required are there, and the
body validates against the document's own schema for that status (OpenAPI 3.0 semantics: nullable,
``additionalProperties: false``, formats), so an undocumented field, a missing one or a status the
document does not list fails here. test_api_search.py checks the same answers against the
marshmallow schemas the document is generated from; this checks the generated document itself."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from indexer.changes import merchant_keys
from query_api.openapi import PATH, document

from . import corpus

AT_TR = f"lat={corpus.TROIS_RIVIERES[0]}&lon={corpus.TROIS_RIVIERES[1]}"


def documented_answer(method: str, url: str, status: int) -> dict[str, Any]:
    """The document's answer for this request and status (fails when the status is not listed)."""
    doc = document()
    path = url.split("?", 1)[0]
    for template, operations in doc["paths"].items():
        if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", template), path):
            answers = operations[method.lower()]["responses"]
            assert str(status) in answers, f"{method} {template} answered {status}, not in {sorted(answers)}"
            return answers[str(status)]
    raise AssertionError(f"{path} is not in the document")


def assert_conforms(method: str, url: str, response: Any) -> dict[str, Any]:
    answer = documented_answer(method, url, response.status_code)
    for name, header in answer.get("headers", {}).items():
        if header.get("required"):
            assert name in response.headers, f"{url}: {response.status_code} without {name}"
    assert response.mimetype == "application/json", url
    body = response.get_json()
    schema = {"allOf": [answer["content"]["application/json"]["schema"]], **document()}
    errors = sorted(
        OAS30Validator(schema, format_checker=oas30_format_checker).iter_errors(body), key=str
    )  # fmt: skip
    assert not errors, f"{url} ({response.status_code}): " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]
    )
    return body


SHOPPERS = [
    # searches: located or not, with words, facets, clusters, relaxed, cursors
    f"/v1/merchants?q=fromagerie&{AT_TR}&zoom=7",
    f"/v1/merchants?{AT_TR}&sort=distance&per_page=2",
    "/v1/merchants?near=Trois-Rivi%C3%A8res&service=cueillette",
    "/v1/merchants",
    "/v1/merchants?q=cretons",
    "/v1/merchants?q=fromagerie%20sherbrooke&bbox=-80,44,-60,50",
    f"/v1/products?q=sirop&{AT_TR}&zoom=7&in_stock=true",
    "/v1/products?q=miel%20local&near=Trois-Rivi%C3%A8res",
    "/v1/products?q=miel%20maison",
    "/v1/merchants?q=fromagerie%20maison",
    "/v1/products?q=xyzzyqwv",
    "/v1/products?sort=price&quebec=true&min_price=1&max_price=20",
    f"/v1/products?{AT_TR}&radius_km=0.01",
    # pages, type-ahead, health
    f"/v1/products/p-01?{AT_TR}",
    "/v1/products/p-01",
    "/v1/merchants/m-tr-05",
    "/v1/merchants/m-mtl-1",
    f"/v1/suggest?q=fr&{AT_TR}",
    "/v1/suggest?q=%C3%A9",
    "/v1/health",
    # errors: 400 (a field, a pairing, the window, not UTF-8, unknown place), 404
    "/v1/merchants?lat=46",
    "/v1/merchants?radius_km=0.001&lat=46&lon=-72",
    "/v1/merchants?page=60&per_page=20",
    "/v1/products?bbox=",
    "/v1/products?min_price=5&max_price=1",
    "/v1/merchants?q=%FF",
    "/v1/merchants?near=Nulle-Part-Ville",
    "/v1/merchants?cursor=WzQyLjI1ODM0XQ",
    "/v1/suggest",
    "/v1/health?x=%FF",
    "/v1/merchants/m-nobody",
    "/v1/products/p-nothing",
]


@pytest.mark.parametrize("url", SHOPPERS)
def test_the_shoppers_answers_are_as_documented(client: FlaskClient, url: str):
    assert_conforms("GET", url, client.get(url))


def test_a_relaxed_search_and_a_deep_page_are_as_documented(client: FlaskClient):
    for url in ("/v1/products?q=miel%20maison", "/v1/products?q=miel&lat=46.62&lon=-72.54&radius_km=6"):
        relaxed = assert_conforms("GET", url, client.get(url))
        assert relaxed["relaxed"] is not None  # the object branch of a nullable answer, seen
    url = f"/v1/merchants?{AT_TR}&radius_km=200&sort=distance&per_page=3"
    first = assert_conforms("GET", url, client.get(url))
    after = f"{url}&cursor={first['next_cursor']}"
    assert_conforms("GET", after, client.get(after))


def test_errors_outside_the_routes_are_as_documented(client: FlaskClient):
    big = "x" * (65 * 1024)
    assert_conforms("GET", "/v1/merchants", client.get("/v1/merchants", data=big))  # 413
    response = client.post("/v1/merchants")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    assert set(response.get_json()) == {"error"}  # documented once for every path (info.description)


@pytest.fixture(scope="module")
def merchant_key(es, api_settings) -> str:
    return merchant_keys.create(es, api_settings, "m-tr-05")


def test_the_merchants_answers_are_as_documented(client: FlaskClient, merchant_key: str):
    auth = {"Authorization": f"ApiKey {merchant_key}"}
    stock = "/v1/ingest/stock"
    item = {"id": "p-05", "quantity": 4, "updated_at": "2027-01-01T00:00:00Z"}
    other = {"id": "p-01", "quantity": 1, "updated_at": "2027-01-01T00:00:00Z"}  # another merchant's
    for body, headers, kwargs in [
        ([item, other, {"id": "p-05"}], auth, {}),  # applied, forbidden, invalid
        ([item], {}, {}),  # 401
        ([item], auth, {"data": "[]", "content_type": "text/plain"}),  # 415
        ([], auth, {"data": " ", "content_type": "application/json"}),  # 400
        ([item] * 1001, auth, {}),  # 413
    ]:
        response = client.post(stock, json=None if kwargs else body, headers=headers, **kwargs)
        assert_conforms("POST", stock, response)
    lines = '{"op": "stock", "id": "p-06", "quantity": 2, "updated_at": "2027-01-01T00:00:00Z"}\n[1]\n'
    changes = client.post("/v1/ingest/changes", data=lines, content_type="application/x-ndjson", headers=auth)
    assert changes.status_code == 200
    assert_conforms("POST", "/v1/ingest/changes", changes)


def test_the_document_itself_is_served_as_built(client: FlaskClient):
    assert client.get(PATH).get_json() == document()
