"""Each search route, end to end against a recording fake engine: the engine requests it sends (in
order), the answer it builds from the engine's, and the search event it hands to analytics, all
compared with golden files (``pytest --update-golden`` rewrites them)."""

from __future__ import annotations

import pytest
from flask import g

from panier_core.settings import Settings
from query_api import create_app

from .fake_engine import FakeEngine

AT_TR = "lat=46.3432&lon=-72.5418"

ROUTES = {
    "merchants-words-near-map": f"/v1/merchants?q=fromagerie&{AT_TR}&radius_km=10&zoom=7",
    "merchants-near-by-distance": "/v1/merchants?near=Trois-Rivi%C3%A8res&sort=distance&per_page=2",
    "merchants-filters": "/v1/merchants?category=Fromagerie&service=cueillette&page=2&per_page=5",
    "merchants-cursor": f"/v1/merchants?{AT_TR}&sort=distance&per_page=2&cursor=WzEuMjUsICJtLTEiXQ",
    "products-words-near-map": f"/v1/products?q=sirop&{AT_TR}&radius_km=30&zoom=7&stores=2",
    "products-no-words-near": "/v1/products?near=G9A&in_stock=true&per_page=2",
    "products-by-price": "/v1/products?sort=price&quebec=true",
    "products-words-by-distance": f"/v1/products?q=miel&{AT_TR}&sort=distance",
    "suggest-near": f"/v1/suggest?q=froma&{AT_TR}",
    "suggest": "/v1/suggest?q=fr&size=3",
    "merchant": "/v1/merchants/m-tr-01",
    "product-page-near": f"/v1/products/p-01?{AT_TR}&stores=5",
    "product-page": "/v1/products/p-01",
}
EMPTY_ROUTES = {
    "products-nothing-found": "/v1/products?q=trottinette",
    "products-no-words-nothing-found": "/v1/products?in_stock=true",
    "merchants-nothing-found": "/v1/merchants?q=trottinette",
    "suggest-nothing-found": "/v1/suggest?q=zz",
}


def _exchange(url: str, engine: FakeEngine) -> dict:
    app = create_app(Settings(index_prefix="g-"), client=engine)
    events: list = []

    @app.after_request
    def keep_event(response):
        if "search_event" in g:
            events.append(g.search_event._asdict())
        return response

    response = app.test_client().get(url)
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/json"
    return {"url": url, "requests": engine.requests, "answer": response.get_json(), "events": events}


@pytest.mark.parametrize("case", sorted(ROUTES))
def test_a_route_sends_and_answers_exactly_its_golden_file(golden, case):
    golden(f"routes/{case}", _exchange(ROUTES[case], FakeEngine()))


@pytest.mark.parametrize("case", sorted(EMPTY_ROUTES))
def test_a_route_that_finds_nothing_sends_and_answers_exactly_its_golden_file(golden, case):
    golden(f"routes/{case}", _exchange(EMPTY_ROUTES[case], FakeEngine(empty=True)))
