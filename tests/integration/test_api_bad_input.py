"""Never a 500 (issue 13), on the test corpus in a real engine: every number the engine sees is one it
takes, and a cursor is the server's own, for its own search, or a 400 that says which.

(tests/conftest.py fails any test during which the app answers a 500; these tests also say what
the answer is instead.)"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from panier_core.settings import Settings
from query_api import create_app
from query_api.cursors import Cursors
from query_api.schemas import MAX_RADIUS_KM, MERCHANT_SEARCH, MIN_RADIUS_KM

from . import corpus
from .api_helpers import get

AT_TR = f"lat={corpus.TROIS_RIVIERES[0]}&lon={corpus.TROIS_RIVIERES[1]}"
LOCATED = [
    f"/v1/merchants?{AT_TR}",
    f"/v1/merchants?q=fromagerie&{AT_TR}",
    f"/v1/merchants?{AT_TR}&sort=distance",
    f"/v1/products?{AT_TR}",
    f"/v1/products?q=sirop&{AT_TR}&sort=price",
    f"/v1/products/p-01?{AT_TR}",
    "/v1/merchants?near=Trois-Rivi%C3%A8res",
    "/v1/products?q=fromage&near=Trois-Rivi%C3%A8res",
]


def field_error(response: Any, field: str) -> str:
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["status"] == 400 and error["message"]
    return " ".join(error["fields"][field])


@pytest.mark.parametrize("url", LOCATED)
def test_every_radius_from_10_m_to_500_km_is_searched(client: FlaskClient, url: str):
    for radius in (MIN_RADIUS_KM, 0.0150001, 0.333333333333, 1, MAX_RADIUS_KM):
        get(client, f"{url}&radius_km={radius}")


@pytest.mark.parametrize("url", LOCATED)
@pytest.mark.parametrize("radius", ["0.0099", "0.0001", "0.00001", "1e-300", "0", "-0", "500.0001"])
def test_a_radius_the_engine_cannot_take_is_a_400_that_gives_the_bounds(
    client: FlaskClient, url: str, radius: str
):
    # Was a 500 below 1 m: half the radius, written with three decimals, reached the engine as 0.
    assert "must be ≥ 0.01 and ≤ 500.0 km" in field_error(
        client.get(f"{url}&radius_km={radius}"), "radius_km"
    )


# -- cursors -------------------------------------------------------------------------------------

PAGED = f"/v1/merchants?q=alimentation&{AT_TR}&radius_km=200&per_page=2"


def next_cursor(client: FlaskClient, url: str = PAGED) -> str:
    cursor = get(client, url)["next_cursor"]
    assert cursor
    return cursor


def signed(params: str, values: list[Any], secret: str = Settings().cursor_secret) -> str:
    """A cursor signed with ``secret`` for the search ``params``, holding ``values`` (what only the
    server, or someone who has its secret, can make)."""
    return Cursors(secret, MERCHANT_SEARCH.load(dict(p.split("=") for p in params.split("&")))).seal(values)


def test_a_signed_cursor_pages_through_every_merchant_of_a_relevance_search(client: FlaskClient):
    cursor, seen = next_cursor(client), get(client, PAGED)["items"]
    assert len(cursor.split(".")) == 2  # itsdangerous: payload.signature
    while cursor:
        body = get(client, f"{PAGED}&cursor={cursor}")
        seen, cursor = seen + body["items"], body["next_cursor"]
    total = get(client, PAGED)["total"]
    assert total > 4 and len({item["id"] for item in seen}) == len(seen) == total


def test_the_pages_of_a_relaxed_search_continue_the_relaxed_search(client: FlaskClient):
    url = PAGED.replace("q=alimentation", "q=alimentation+zzyzx")  # no merchant says zzyzx
    first = get(client, url)
    assert first["relaxed"]["dropped"] == ["zzyzx"]
    second = get(client, f"{url}&cursor={first['next_cursor']}")
    assert second["relaxed"] == first["relaxed"] and second["items"]
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_the_next_page_may_be_of_another_size(client: FlaskClient):
    cursor = next_cursor(client)
    assert len(get(client, f"{PAGED.replace('per_page=2', 'per_page=3')}&cursor={cursor}")["items"]) == 3


@pytest.mark.parametrize(
    "cursor",
    [
        # The issue's probes: the former cursors (unsigned base64 JSON) with one, three or four values,
        # a string, a boolean, NaN, 10^40 as the score, values swapped.
        "WzQyLjI1ODM0XQ",
        base64.urlsafe_b64encode(b'[1.0, 2.0, "m-tr-01"]').decode(),
        base64.urlsafe_b64encode(b'[1.0, 2.0, 3.0, "m-tr-01"]').decode(),
        base64.urlsafe_b64encode(b'["a", "m-tr-01"]').decode(),
        base64.urlsafe_b64encode(b'[true, "m-tr-01"]').decode(),
        base64.urlsafe_b64encode(b'[NaN, 1.0, "m-tr-01"]').decode(),
        base64.urlsafe_b64encode(b'[1e40, 1.0, "m-tr-01"]').decode(),
        base64.urlsafe_b64encode(b'["m-tr-01", 1.0, 2.0]').decode(),
        "bm90LWEtY3Vyc29y",
        "x",
        "a" * 2000,
        "%00",
    ],
)
def test_a_cursor_the_api_did_not_issue_is_a_400(client: FlaskClient, cursor: str):
    says = field_error(client.get(f"{PAGED}&cursor={cursor}"), "cursor")
    assert "not a cursor this API issued" in says or "Length must be between 1 and 500" in says


def test_an_altered_or_cut_cursor_is_a_400(client: FlaskClient):
    cursor = next_cursor(client)
    payload, signature = cursor.rsplit(".", 1)
    values = json.loads(base64.urlsafe_b64decode(payload + "=="))
    values[1][0] += 1  # a better score: the same length, a valid payload, the old signature
    altered = (
        base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")
    )
    for bad in (
        f"{altered}.{signature}",
        cursor[:-1],
        cursor[:-2] + ("A" if cursor[-2] != "A" else "B") + cursor[-1],
        payload,
    ):
        assert "not a cursor this API issued" in field_error(client.get(f"{PAGED}&cursor={bad}"), "cursor")


def test_a_cursor_signed_with_another_secret_is_a_400(client: FlaskClient):
    forged = signed(PAGED.split("?", 1)[1], [3.0, 10.0, "m-tr-01"], secret="not-the-server-secret")
    assert "not a cursor this API issued" in field_error(client.get(f"{PAGED}&cursor={forged}"), "cursor")


@pytest.mark.parametrize(
    "other",
    [
        PAGED.replace("q=alimentation", "q=fromagerie"),
        PAGED.replace("q=alimentation", "q=alimentation+fine"),
        PAGED + "&sort=distance",
        PAGED.replace("radius_km=200", "radius_km=100"),
        PAGED + "&service=cueillette",
        PAGED + "&literal=true",
        PAGED.replace(AT_TR, "near=Trois-Rivi%C3%A8res"),
    ],
)
def test_a_cursor_of_another_search_is_a_400(client: FlaskClient, other: str):
    says = field_error(client.get(f"{other}&cursor={next_cursor(client)}"), "cursor")
    assert "belongs to another search" in says


@pytest.mark.parametrize(
    "values",
    [
        [1.5, "m-tr-01"],  # one value short
        [1.5, 2.0, 3.0, "m-tr-01"],  # one too many
        [float("nan"), 2.0, "m-tr-01"],
        [float("inf"), 2.0, "m-tr-01"],
        [1.5, 10**40, "m-tr-01"],
        [True, 2.0, "m-tr-01"],
        ["1.5", 2.0, "m-tr-01"],
        ["m-tr-01", 1.5, 2.0],  # swapped
        [1.5, 2.0, None],
        [1.5, 2.0, ["m-tr-01"]],
    ],
)
def test_a_signed_cursor_that_does_not_fit_the_sort_is_a_400(client: FlaskClient, values: list[Any]):
    # Only with the server's secret (leaked, or an older version's cursor): checked all the same.
    cursor = signed(PAGED.split("?", 1)[1], values)
    assert "does not fit this search's sort" in field_error(client.get(f"{PAGED}&cursor={cursor}"), "cursor")


def test_the_cursor_secret_comes_from_the_settings(client: FlaskClient, api_settings: Settings):
    cursor = next_cursor(client)
    other = create_app(Settings(es_url=api_settings.es_url, index_prefix=api_settings.index_prefix,
                                cursor_secret="another-secret-of-this-deployment")).test_client()  # fmt: skip
    assert "not a cursor this API issued" in field_error(other.get(f"{PAGED}&cursor={cursor}"), "cursor")
    assert next_cursor(other) != cursor
    get(other, f"{PAGED}&cursor={next_cursor(other)}")


# -- the URL's text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/v1/merchants?q=%FF", "q"),
        ("/v1/products?q=fromage%C3", "q"),
        ("/v1/products?q=%ED%A0%80", "q"),  # a UTF-16 surrogate, which UTF-8 does not encode
        ("/v1/suggest?q=%C3%28", "q"),
        ("/v1/merchants?near=Trois-Rivi%E8res", "near"),  # latin-1, not UTF-8
        ("/v1/products?q=miel&category=%FF%FE", "category"),
        ("/v1/merchants?%FF=1", "\ufffd"),
    ],
)
def test_invalid_utf8_in_the_url_is_a_400_naming_the_parameter(client: FlaskClient, url: str, field: str):
    response = client.get(url)
    assert "not valid UTF-8" in field_error(response, field)
    assert response.get_json()["error"]["message"] == "the URL is not valid UTF-8"


@pytest.mark.parametrize("path", ["/v1/merchants/\xff", "/v1/products/p-\xc3", "/v1/\xed\xa0\x80"])
def test_invalid_utf8_in_the_path_is_a_400(client: FlaskClient, path: str):
    # As gunicorn passes /v1/merchants/%FF on: the decoded bytes, as latin-1 (the test client would
    # turn them into U+FFFD first).
    response = client.get("/v1/merchants/x", environ_overrides={"PATH_INFO": path})
    assert "not valid UTF-8" in field_error(response, "_path")


def test_utf8_text_is_searched_as_sent(client: FlaskClient):
    assert get(client, "/v1/merchants?q=%C3%A9rabli%C3%A8re")["items"][0]["id"] == "m-tr-04"
    get(client, "/v1/merchants?q=caf%C3%A9+%F0%9F%8D%81")  # an emoji too
