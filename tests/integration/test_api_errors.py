"""Every way a request can go wrong answers one JSON error shape, with a status that says why.

Never a stack trace, never a 500.
"""

from __future__ import annotations

import pytest

from panier_core.settings import Settings
from query_api import create_app


@pytest.fixture(scope="module")
def api_settings(engine):
    """For conftest.py's client: an index prefix with no aliases behind it (no corpus), as parameter
    errors never reach the engine anyway."""
    return Settings(es_url=engine.url, index_prefix="errors-")


def assert_error(response, status: int, field: str | None = None, says: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status and isinstance(error["message"], str) and error["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    if field:
        assert field in error["fields"], error
        if says:
            assert says in " ".join(map(str, error["fields"][field])), error
    return error


@pytest.mark.parametrize(
    ("url", "field", "says"),
    [
        ("/v1/merchants?lat=abc&lon=-73", "lat", "Not a valid number"),
        ("/v1/merchants?lat=91&lon=-73", "lat", "less than or equal to 90"),
        ("/v1/merchants?lat=45&lon=-181", "lon", "greater than or equal to -180"),
        ("/v1/merchants?lat=45", "lon", "lat and lon go together"),
        ("/v1/merchants?lat=45&lon=-73&radius_km=0", "radius_km", "must be ≥ 0.01"),
        ("/v1/merchants?lat=45&lon=-73&radius_km=-5", "radius_km", "must be ≥ 0.01"),
        ("/v1/merchants?lat=45&lon=-73&radius_km=0.0001", "radius_km", "must be ≥ 0.01"),
        ("/v1/merchants?lat=45&lon=-73&radius_km=5000", "radius_km", "≤ 500.0 km"),
        ("/v1/merchants?radius_km=5", "radius_km", "needs a location"),
        ("/v1/merchants?lat=45&lon=-73&radius_km=nan", "radius_km", "nan or infinity"),
        ("/v1/merchants?lat=45&lon=-73&radius_km=inf", "radius_km", "nan or infinity"),
        ("/v1/merchants?lat=nan&lon=-73", "lat", "nan or infinity"),
        ("/v1/merchants?lat=45&lon=-Infinity", "lon", "nan or infinity"),
        ("/v1/products?lat=inf&lon=-73", "lat", "nan or infinity"),
        ("/v1/products/p-1?lat=45&lon=NaN", "lon", "nan or infinity"),
        ("/v1/suggest?q=fro&lat=45&lon=nan", "lon", "nan or infinity"),
        ("/v1/merchants?bbox=nan,45,-72,46", "bbox", "finite numbers"),
        ("/v1/products?bbox=-74,45,inf,46", "bbox", "finite numbers"),
        ("/v1/merchants?bbox=-74,45,-72", "bbox", "four numbers"),
        ("/v1/merchants?bbox=", "bbox", "four numbers"),
        ("/v1/merchants?bbox=-74,46,-72,45", "bbox", "min_lat ≥ max_lat"),
        ("/v1/merchants?zoom=21", "zoom", None),
        ("/v1/merchants?page=99999999999999999999999", "page", "≤ 1000"),
        ("/v1/merchants?sort=popularity", "sort", "must be one of"),
        ("/v1/merchants?sort=distance", "sort", "needs a location"),
        ("/v1/merchants?page=0", "page", None),
        ("/v1/merchants?page=11&per_page=100", "page", "≤ 1000"),
        ("/v1/merchants?per_page=101", "per_page", None),
        ("/v1/merchants?page=1.5", "page", "Not a valid integer"),
        ("/v1/merchants?q=" + "a" * 201, "q", "Longer than maximum length 200"),
        ("/v1/merchants?q=" + "+".join(["mot"] * 21), "q", "at most 20 words"),
        ("/v1/merchants?q=%20%20", "q", "must not be blank"),
        ("/v1/merchants?q=caf%00e", "q", "control characters"),
        ("/v1/merchants?service=teleportation", "service", "must be one of"),
        ("/v1/merchants?colour=blue", "colour", "Unknown field"),
        ("/v1/merchants?q=a&q=b", "q", "give this parameter once"),
        ("/v1/merchants?near=Montr%C3%A9al&lat=45&lon=-73", "near", "either near or lat/lon"),
        ("/v1/products?min_price=-1", "min_price", None),
        ("/v1/products?min_price=nan", "min_price", "nan or infinity"),
        ("/v1/products?max_price=inf", "max_price", "nan or infinity"),
        ("/v1/products?min_price=20&max_price=10", "min_price", "≤ max_price"),
        ("/v1/products?in_stock=perhaps", "in_stock", "Not a valid boolean"),
        ("/v1/products?stores=0", "stores", None),
        ("/v1/products?sort=cheapest", "sort", "must be one of"),
        ("/v1/merchants/m-1?extra=1", "extra", "Unknown field"),
    ],
)
def test_invalid_parameters_answer_400_with_the_field_and_the_reason(client, url, field, says):
    error = assert_error(client.get(url), 400, field, says)
    assert error["message"] == "invalid parameters"


def test_query_syntax_in_the_text_is_searched_for_not_interpreted(client, es):
    # Lucene syntax would be an error or a different query; here it is plain text (and finds nothing).
    response = client.get("/v1/merchants?q=name:(a%20OR%20b)%20AND%20*%5B")
    assert response.status_code in (200, 503)  # 503 only because this prefix has no aliases
    if response.status_code == 503:
        assert_error(response, 503)


def test_unknown_ids_answer_404(engine, es):
    from indexer.engine import aliases

    settings = Settings(es_url=engine.url, index_prefix="errors404-")
    aliases.ensure_aliases(es, settings)
    try:
        client = create_app(settings).test_client()
        assert_error(client.get("/v1/merchants/m-does-not-exist"), 404)
        assert_error(client.get("/v1/products/p-does-not-exist"), 404)
    finally:
        es.indices.delete(index=",".join(es.indices.get(index="errors404-*").body))


def test_unknown_routes_wrong_methods_and_big_bodies_have_the_same_shape(client):
    assert_error(client.get("/v1/shops"), 404)
    assert_error(client.post("/v1/merchants"), 405)
    assert_error(client.get("/v1/merchants", data=b"x" * 100_000, content_type="application/json"), 413)


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("POST", "/v1/merchants", {"GET", "HEAD", "OPTIONS"}),
        ("DELETE", "/v1/products/p-1", {"GET", "HEAD", "OPTIONS"}),
        ("PUT", "/v1/health", {"GET", "HEAD", "OPTIONS"}),
        ("GET", "/v1/ingest/stock", {"POST", "OPTIONS"}),
        ("PATCH", "/v1/ingest/changes", {"POST", "OPTIONS"}),
    ],
)
def test_a_wrong_method_is_a_405_with_the_allowed_ones_in_allow(client, method, url, allowed):
    response = client.open(url, method=method)
    assert_error(response, 405)
    assert set(response.headers["Allow"].split(", ")) == allowed


def test_a_missing_catalogue_is_503_not_500(client):
    error = assert_error(client.get("/v1/merchants?q=fromage"), 503)
    assert "not loaded" in error["message"]


def test_an_unreachable_engine_answers_503_with_retry_after():
    client = create_app(Settings(es_url="http://127.0.0.1:1", max_retries=0)).test_client()
    for url in (
        "/v1/merchants?q=fromage",
        "/v1/products",
        "/v1/merchants/m-1",
        "/v1/suggest?q=f",
        "/v1/health",
    ):
        response = client.get(url)
        assert_error(response, 503)
        assert response.headers["Retry-After"] == "5", url
    ingest = client.post("/v1/ingest/stock", json=[], headers={"Authorization": "ApiKey pk_abc123_secret"})
    assert_error(ingest, 503)
    assert ingest.headers["Retry-After"] == "5"


def test_a_missing_catalogue_says_to_come_back_in_a_minute(client):
    for url in ("/v1/merchants?q=fromage", "/v1/products/p-1", "/v1/health"):
        assert client.get(url).headers["Retry-After"] == "60", url


def test_health_is_503_and_says_what_is_missing_when_aliases_are_absent(client):
    response = client.get("/v1/health")
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert response.get_json()["status"] == "degraded"
    assert "missing aliases: merchants, products" in response.get_json()["message"]


def test_cors_headers_only_for_configured_origins(engine):
    settings = Settings(es_url=engine.url, index_prefix="errors-", cors_origins=("https://panier.example",))
    client = create_app(settings).test_client()
    allowed = client.get("/v1/health", headers={"Origin": "https://panier.example"})
    assert allowed.headers.get("Access-Control-Allow-Origin") == "https://panier.example"
    other = client.get("/v1/health", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
