"""Hand-made bad inputs, parameter by parameter, on every shopper endpoint (issue 13): each is a 400
in the one error shape that names the parameter, never a 500 (tests/conftest.py fails any test
during which the app answers one) and never a 200 that ignored it."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from . import corpus

AT = f"lat={corpus.TROIS_RIVIERES[0]}&lon={corpus.TROIS_RIVIERES[1]}"

NOT_A_NUMBER = [
    "",
    "abc",
    "NaN",
    "nan",
    "Infinity",
    "inf",
    "-inf",
    "1e400",
    "true",
    "4 5",
    "45..5",
    "--45",
    "0x1A",
]
NOT_AN_INTEGER = ["", "abc", "1.5", "NaN", "inf", "true", "1e3", "--1", "9" * 40]
NOT_A_BOOLEAN = ["", "maybe", "2", "-1", "oui!", "truee", "null"]
CONTROL = ["%00", "%01", "%07", "%0B", "%1B", "%7F", "%C2%85", "%C2%9F"]  # C0, DEL, C1

# (parameter, bad values, what else the request needs): shared by /v1/products and /v1/merchants
SEARCH_CASES: list[tuple[str, list[str], str]] = [
    ("lat", [*NOT_A_NUMBER, "90.0001", "-91", "1000"], "lon=-72.5"),
    ("lon", [*NOT_A_NUMBER, "180.0001", "-181", "1000"], "lat=46.3"),
    ("radius_km", [*NOT_A_NUMBER, "0", "-1", "0.009", "500.01", "1e9"], AT),
    ("near", ["", "x" * 101, "zzqxv", "Atlantide", "H0H"], ""),
    ("page", [*NOT_AN_INTEGER, "0", "-1", "1001"], ""),
    ("per_page", [*NOT_AN_INTEGER, "0", "-5", "101"], ""),
    ("zoom", [*NOT_AN_INTEGER, "-1", "21"], ""),
    (
        "bbox",
        [
            "",
            "1,2,3",
            "a,b,c,d",
            "1,2,3,4,5",
            "NaN,1,2,3",
            "inf,0,1,1",
            "1;2;3;4",
            ",,,",
            "0,91,1,92",
            "0,2,1,1",
            "181,0,182,1",
        ],
        "",
    ),
    ("sort", ["", "random", "DISTANCE", "asc", "score"], ""),
    ("literal", NOT_A_BOOLEAN, "q=miel"),
    ("q", [f"miel{c}" for c in CONTROL] + ["x" * 201], ""),
    ("category", ["", "x" * 101], ""),
    ("unknown", ["1"], ""),  # an unknown parameter, named as sent
]
PRODUCT_CASES: list[tuple[str, list[str], str]] = [
    ("in_stock", NOT_A_BOOLEAN, ""),
    ("quebec", NOT_A_BOOLEAN, ""),
    ("brand", ["", "x" * 201], ""),
    ("min_price", [*NOT_A_NUMBER, "-1", "-0.01"], ""),
    ("max_price", [*NOT_A_NUMBER, "-1", "-0.01"], ""),
    ("stores", [*NOT_AN_INTEGER, "0", "11"], ""),
]
MERCHANT_CASES: list[tuple[str, list[str], str]] = [
    ("service", ["", "teleportation", "LIVRAISON", "livraison,cueillette"], ""),
    ("region", ["", "x" * 101], ""),
    ("cursor", ["", "!!!", "abc", "WzQyLjI1ODM0XQ", "x" * 2_000], ""),
]
SUGGEST_CASES: list[tuple[str, list[str], str]] = [
    ("q", ["", *[f"fro{c}" for c in CONTROL], "x" * 51], ""),
    ("size", [*NOT_AN_INTEGER, "0", "21"], "q=fro"),
    ("lat", [*NOT_A_NUMBER, "91"], "q=fro&lon=-72.5"),
    ("lon", [*NOT_A_NUMBER, "181"], "q=fro&lat=46.3"),
    ("unknown", ["1"], "q=fro"),
]
LOOKUP_CASES: list[tuple[str, list[str], str]] = [
    ("stores", [*NOT_AN_INTEGER, "0", "101"], ""),
    ("lat", [*NOT_A_NUMBER, "91"], "lon=-72.5"),
    ("radius_km", [*NOT_A_NUMBER, "0", "501"], AT),
    ("unknown", ["1"], ""),
]

# Pairs of parameters that each pass alone but not together: (query, the parameter named)
PAIRINGS = [
    ("/v1/products?lat=46.3", "lon"),
    ("/v1/products?lon=-72.5", "lat"),
    ("/v1/merchants?lat=46.3", "lon"),
    ("/v1/products?sort=distance", "sort"),
    ("/v1/merchants?sort=distance", "sort"),
    ("/v1/products?min_price=10&max_price=5", "min_price"),
    ("/v1/products?page=11&per_page=100", "page"),
    ("/v1/merchants?page=2&cursor=abc", "cursor"),
    ("/v1/products?q=a&q=b", "q"),
    ("/v1/merchants?page=1&page=2", "page"),
    ("/v1/products?lat=46.3&lat=46.4&lon=-72.5", "lat"),
    ("/v1/suggest?q=fro&lat=46.3", "lon"),
    (f"/v1/products?near=Trois-Rivi%C3%A8res&{AT}", "near"),
]


def cases(endpoints: list[str], table: list[tuple[str, list[str], str]]) -> list[Any]:
    out = []
    for endpoint in endpoints:
        for name, values, needs in table:
            for value in values:
                parameter = "not_a_parameter" if name == "unknown" else name
                query = "&".join(p for p in (needs, f"{parameter}={value}") if p)
                label = f"{endpoint} {parameter}={value[:20]!r}"
                out.append(pytest.param(f"{endpoint}?{query}", parameter, id=label))
    return out


ALL = (
    cases(["/v1/products", "/v1/merchants"], SEARCH_CASES)
    + cases(["/v1/products"], PRODUCT_CASES)
    + cases(["/v1/merchants"], MERCHANT_CASES)
    + cases(["/v1/suggest"], SUGGEST_CASES)
    + cases(["/v1/products/p-01"], LOOKUP_CASES)
    + [pytest.param(url, name, id=f"pairing {url}") for url, name in PAIRINGS]
)


@pytest.mark.parametrize(("url", "parameter"), ALL)
def test_a_bad_parameter_is_a_400_that_names_it(client: FlaskClient, url: str, parameter: str):
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code, response.get_data(as_text=True)[:300])
    assert response.content_type == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == 400 and error["message"]
    named = set(error.get("fields", {})) | ({"_query"} if "fields" not in error else set())
    assert parameter in named or parameter in error["message"], (url, error)
