"""Merchants push stock through POST /v1/ingest/*: their own key, their own listings only."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
from indexer.changes import merchant_keys
from panier_core.settings import Settings
from query_api import create_app

from .changes_helpers import at, load_catalogue, state, upsert_product

# load_catalogue spreads listings over merchants: p-000001 -> m-000001, p-000002 -> m-000002, …


@pytest.fixture
def catalogue(es, settings, tmp_path):
    load_catalogue(es, settings, tmp_path)
    return settings


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey {key}"}


def test_a_stock_change_sent_by_its_merchant_is_searchable_after_the_refresh(es, catalogue):
    key = merchant_keys.create(es, catalogue, "m-000001")
    client = create_app(catalogue).test_client()
    response = client.post(
        "/v1/ingest/stock", json=[{"id": "p-000001", "quantity": 37, "price": 8.5, "updated_at": at(10)}],
        headers=auth(key),
    )  # fmt: skip
    assert response.status_code == 200
    body = response.get_json()
    assert body["results"] == [{"index": 0, "id": "p-000001", "status": "applied", "code": 200}]
    es.indices.refresh(index=catalogue.alias("products"))
    page = client.get("/v1/products/p-000001").get_json()
    store = next(s for s in page["stores"] if s["listing_id"] == "p-000001")
    assert (store["quantity"], store["price"], store["in_stock"]) == (37, 8.5, True)


def test_a_merchant_cannot_touch_another_merchants_listing_and_gets_a_result_per_item(es, catalogue):
    key = merchant_keys.create(es, catalogue, "m-000001")
    client = create_app(catalogue).test_client()
    items = [
        {"id": "p-000001", "quantity": 5, "updated_at": at(10)},  # its own
        {"id": "p-000002", "quantity": 0, "updated_at": at(10)},  # m-000002's
        {"id": "p-999999", "quantity": 1, "updated_at": at(10)},  # nobody's
        {"id": "p-000004", "quantity": -3, "updated_at": at(10)},  # invalid
        {"id": "p-000001", "quantity": 4, "updated_at": at(5)},  # older than the first item
    ]
    body = client.post("/v1/ingest/stock", json={"items": items}, headers=auth(key)).get_json()
    assert [(r["status"], r["code"]) for r in body["results"]] == [
        ("applied", 200), ("forbidden", 403), ("not_found", 404), ("invalid", 400), ("stale", 200),
    ]  # fmt: skip
    assert body["counts"]["applied"] == 1 and body["counts"]["forbidden"] == 1
    assert "quantity" in body["results"][3]["reasons"][0]
    listings = state(es, catalogue, ["p-000001", "p-000002"])
    assert listings["p-000001"]["stock"]["quantity"] == 5
    assert listings["p-000002"]["stock"]["quantity"] == 2  # untouched (from the catalogue: 2 % 5)


def test_change_lines_are_accepted_as_ndjson_for_the_merchants_own_records(es, catalogue):
    key = merchant_keys.create(es, catalogue, "m-000001")
    client = create_app(catalogue).test_client()
    lines = [
        upsert_product(100, 10, merchant_id="m-000001", name="Cretons maison"),
        upsert_product(101, 10, merchant_id="m-000002", name="Cretons d'un autre"),
        {"op": "delete", "type": "product", "id": "p-000004", "updated_at": at(10)},  # m-000001's
    ]
    body = "\n".join(json.dumps(line) for line in lines)
    response = client.post(
        "/v1/ingest/changes", data=body, content_type="application/x-ndjson", headers=auth(key)
    )
    assert response.status_code == 200
    assert [r["status"] for r in response.get_json()["results"]] == ["applied", "forbidden", "applied"]
    docs = state(es, catalogue, ["p-000100", "p-000101", "p-000004"])
    assert docs["p-000100"]["name"] == "Cretons maison" and docs["p-000101"] is None
    assert docs["p-000004"]["deleted"] is True


def test_missing_unknown_and_revoked_keys_are_refused(es, catalogue):
    client = create_app(catalogue).test_client()
    item = [{"id": "p-000001", "quantity": 1, "updated_at": at(10)}]
    assert client.post("/v1/ingest/stock", json=item).status_code == 401
    assert client.post("/v1/ingest/stock", json=item, headers=auth("pk_0000_nope")).status_code == 401
    key = merchant_keys.create(es, catalogue, "m-000001")
    assert client.post("/v1/ingest/stock", json=item, headers={"X-Api-Key": key}).status_code == 200
    merchant_keys.revoke(es, catalogue, key)
    refused = client.post("/v1/ingest/stock", json=item, headers=auth(key))
    assert refused.status_code == 401
    assert refused.get_json()["error"]["message"] == "unknown or revoked API key"


def test_bad_bodies_get_clear_errors_not_500s(es, catalogue):
    key = merchant_keys.create(es, catalogue, "m-000001")
    client = create_app(catalogue).test_client()
    cases = [
        (b"", "application/json", 400),
        (b"{not json", "application/json", 400),
        (b'{"id": "p-000001"}', "application/json", 400),
        (
            json.dumps([{"id": "p", "quantity": 1, "updated_at": at(1)}] * 1001).encode(),
            "application/json",
            413,
        ),
        (b"x" * (1024 * 1024 + 1), "application/json", 413),
    ]
    for body, mimetype, status in cases:
        response = client.post("/v1/ingest/stock", data=body, content_type=mimetype, headers=auth(key))
        assert response.status_code == status, (body[:40], response.get_json())
        assert "message" in response.get_json()["error"]


@pytest.mark.parametrize(
    ("endpoint", "content_type", "accepted"),
    [
        ("/v1/ingest/stock", "text/plain", "application/json"),
        ("/v1/ingest/stock", None, "application/json"),  # unlabelled
        ("/v1/ingest/stock", "application/x-www-form-urlencoded", "application/json"),
        ("/v1/ingest/stock", "application/x-ndjson", "application/json"),
        ("/v1/ingest/stock", "application/json; charset=latin-1", "application/json"),
        ("/v1/ingest/changes", "text/plain", "application/x-ndjson, application/json"),
        ("/v1/ingest/changes", None, "application/x-ndjson, application/json"),
    ],
)
def test_a_body_of_another_media_type_is_a_415_that_names_the_accepted_ones(
    es, catalogue, endpoint, content_type, accepted
):
    # These bodies are valid JSON: they used to be read as such whatever their label.
    key = merchant_keys.create(es, catalogue, "m-000001")
    client = create_app(catalogue).test_client()
    body = json.dumps([{"id": "p-000001", "quantity": 1, "updated_at": at(10)}]).encode()
    headers = {**auth(key), **({"Content-Type": content_type} if content_type else {})}
    response = client.post(endpoint, data=body, headers=headers)
    assert response.status_code == 415, response.get_json()
    assert response.headers["Accept"] == accepted
    error = response.get_json()["error"]
    assert error["status"] == 415 and f"got Content-Type: {content_type or '(none)'}" in error["message"]
    assert state(es, catalogue, ["p-000001"])["p-000001"]["stock"]["quantity"] == 1  # unchanged (1 % 5)


def test_the_accepted_media_types_with_a_utf8_charset_are_read(es, catalogue):
    key = merchant_keys.create(es, catalogue, "m-000001")
    client = create_app(catalogue).test_client()
    item = {"id": "p-000001", "quantity": 7, "updated_at": at(10)}
    for endpoint, content_type, body in [
        ("/v1/ingest/stock", "application/json; charset=UTF-8", json.dumps([item])),
        ("/v1/ingest/changes", "application/x-ndjson; charset=utf-8", json.dumps({"op": "stock", **item})),
        ("/v1/ingest/changes", "application/json", json.dumps([{"op": "stock", **item}])),
    ]:
        response = client.post(endpoint, data=body, headers={**auth(key), "Content-Type": content_type})
        assert response.status_code == 200, (endpoint, content_type, response.get_json())


def test_an_updated_at_without_a_time_zone_is_invalid_and_says_so(es, catalogue):
    # Which instant 2026-11-20T14:03:00 names depends on the writer's time zone, and updated_at orders
    # every change to a listing: a guess (UTC) could put a change before one it followed.
    key = merchant_keys.create(es, catalogue, "m-000001")
    client = create_app(catalogue).test_client()
    items = [
        {"id": "p-000001", "quantity": 9, "updated_at": "2026-11-20T14:03:00"},
        {"id": "p-000004", "quantity": 9, "updated_at": "2026-11-20T09:03:00-05:00"},
    ]
    body = client.post("/v1/ingest/stock", json=items, headers=auth(key)).get_json()
    assert [(r["status"], r["code"]) for r in body["results"]] == [("invalid", 400), ("applied", 200)]
    assert body["results"][0]["reasons"] == [
        "updated_at: needs a time zone (Z or an offset such as -05:00), e.g. 2026-11-20T14:03:00Z"
    ]
    lines = "\n".join(json.dumps(line) for line in [
        {"op": "stock", "id": "p-000001", "quantity": 9, "updated_at": "2026-11-20T14:03:00"},
        {"op": "delete", "type": "product", "id": "p-000001", "updated_at": "2026-11-20T14:03:00.123"},
    ])  # fmt: skip
    body = client.post(
        "/v1/ingest/changes", data=lines, content_type="application/x-ndjson", headers=auth(key)
    ).get_json()
    assert [r["status"] for r in body["results"]] == ["invalid", "invalid"]
    assert all("needs a time zone" in r["reasons"][0] for r in body["results"])
    assert state(es, catalogue, ["p-000001"])["p-000001"]["stock"]["quantity"] == 1


def test_the_ingest_blueprint_can_be_served_apart_from_the_search_api(catalogue):
    search_only = create_app(Settings(es_url=catalogue.es_url, index_prefix=catalogue.index_prefix,
                                      api_parts=("search",))).test_client()  # fmt: skip
    assert search_only.post("/v1/ingest/stock", json=[]).status_code == 404
    ingest_only = create_app(Settings(es_url=catalogue.es_url, index_prefix=catalogue.index_prefix,
                                      api_parts=("ingest",))).test_client()  # fmt: skip
    assert ingest_only.get("/v1/products").status_code == 404
    assert ingest_only.post("/v1/ingest/stock", json=[]).status_code == 401


def test_keys_cli_creates_lists_and_revokes_without_showing_secrets(es, env, tmp_path):
    load_catalogue(es, env, tmp_path)
    runner = CliRunner()
    created = runner.invoke(main, ["keys", "create", "--merchant", "m-000002", "--label", "caisse"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[0]
    assert key.startswith("pk_") and merchant_keys.verify(es, env, key) == "m-000002"
    listed = runner.invoke(main, ["keys", "list"])
    key_id = key.split("_")[1]
    assert key_id in listed.output and "m-000002" in listed.output and key not in listed.output
    assert "active" in listed.output
    revoked = runner.invoke(main, ["keys", "revoke", key_id])
    assert revoked.exit_code == 0 and merchant_keys.verify(es, env, key) is None
    unknown = runner.invoke(main, ["keys", "create", "--merchant", "m-424242"])
    assert unknown.exit_code == 1 and "no merchant 'm-424242'" in unknown.output


def test_merchant_records_are_not_changed_through_ingest_and_an_inactive_merchants_key_stops_working(
    es, catalogue
):
    from indexer.changes.applier import Applier
    from indexer.records.change_lines import parse

    from .changes_helpers import upsert_merchant

    key = merchant_keys.create(es, catalogue, "m-000001")
    client = create_app(catalogue).test_client()
    reactivate = [upsert_merchant(1, 10, name="Fromagerie renommée par elle-même")]
    body = client.post("/v1/ingest/changes", json=reactivate, headers=auth(key)).get_json()
    assert body["results"][0]["status"] == "forbidden"

    Applier(es, catalogue).apply([parse(upsert_merchant(1, 20, active=False))])  # the admin deactivates it
    item = [{"id": "p-000001", "quantity": 1, "updated_at": at(30)}]
    refused = client.post("/v1/ingest/stock", json=item, headers=auth(key))
    assert refused.status_code == 403 and "not active" in refused.get_json()["error"]["message"]


def test_the_openapi_document_describes_the_ingest_endpoints_and_real_answers_fit_it(es, catalogue):
    from openapi_spec_validator import validate

    from query_api.ingest import IngestAnswer

    client = create_app(catalogue).test_client()
    document = client.get("/v1/openapi.json").get_json()
    validate(document)
    stock = document["paths"]["/v1/ingest/stock"]["post"]
    assert stock["security"] == [{"MerchantKey": []}]
    item_schema = stock["requestBody"]["content"]["application/json"]["schema"]["items"]
    assert "quantity" in document["components"]["schemas"][item_schema["$ref"].split("/")[-1]]["properties"]
    assert "/v1/ingest/changes" in document["paths"]

    key = merchant_keys.create(es, catalogue, "m-000001")
    answer = client.post("/v1/ingest/stock", json=[{"id": "p-000001", "quantity": 2, "updated_at": at(9)},
                                                   {"id": "p-000002", "quantity": -1}], headers=auth(key))  # fmt: skip
    IngestAnswer().load(answer.get_json())  # raises if the answer strays from the documented shape
