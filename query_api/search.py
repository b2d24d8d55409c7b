"""Routes only: each declares its parameters and answer, resolves the place, and hands the rest
to its search object (``query_api.queries``), which builds the engine requests and reads the answers."""

from __future__ import annotations

from typing import Any

import elasticsearch
from flask import Response, g, jsonify

from indexer.engine.aliases import indices_of
from query_api import analytics, places, responses
from query_api.cursors import CursorError, Cursors
from query_api.dead_end import DeadEnd
from query_api.engine import get_engine, get_settings
from query_api.errors import CATALOGUE_RETRY_AFTER_SECONDS, ApiError
from query_api.openapi import Blueprint
from query_api.queries import MerchantLookup, MerchantSearch, ProductPage, ProductSearch, Suggestions, Where
from query_api.relaxation import relax
from query_api.responses import json_response
from query_api.schemas import DEFAULT_RADIUS_KM, LOOKUP, MERCHANT_SEARCH, NO_PARAMS, PRODUCT_SEARCH, SUGGEST
from query_api.understanding import Understood, understand

bp = Blueprint("search", __name__, url_prefix="/v1", description="The shoppers' searches and pages")


def _where(params: dict[str, Any]) -> Where:
    """The search's own place: ``near=`` resolved (an unknown name is a 400 with close ones), or
    lat/lon, or none."""
    radius = params.get("radius_km", DEFAULT_RADIUS_KM)
    if "near" in params:
        try:
            place = places.resolve(params["near"])
        except places.UnknownPlace as e:
            raise ApiError(400, str(e), {"near": [str(e)], "suggestions": e.suggestions}) from None
        except ValueError as e:
            raise ApiError(400, str(e), {"near": [str(e)]}) from None
        return _at(place, radius)
    if "lat" in params:
        echo = {"lat": params["lat"], "lon": params["lon"], "radius_km": radius}
        return Where((params["lat"], params["lon"]), radius, echo)
    return Where()


def _at(place: places.Place, radius_km: float) -> Where:
    echo = {"near": place.name, "lat": place.lat, "lon": place.lon, "radius_km": radius_km}
    return Where((place.lat, place.lon), radius_km, echo)


def _understood(params: dict[str, Any], *, intents: bool) -> tuple[Understood | None, Where]:
    """The interpretation step (``query_api.understanding``), unless literal=true or without q, and
    the search's place: its own, or one the step found in the words (with the radius that suits it)."""
    where = _where(params)
    if params["literal"] or not params.get("q"):
        return None, where
    at = where.location
    understood = understand(params["q"], located=at is not None, intents=intents, at=at)
    if understood.place:
        where = _at(understood.place.place, understood.place.place.radius_km)
    return understood, where


def _answer(search: Suggestions) -> Response:
    """Runs a shopper search and hands its event to analytics (sent after the answer)."""
    found = search.run(get_engine())
    g.search_event = analytics.Search(
        search.endpoint, search.params, search.where.echo, found.total, found.took
    )
    return json_response(found.answer)


@bp.get("/merchants")
@bp.arguments(MERCHANT_SEARCH, location="query")
@bp.response(200, responses.MerchantResults)
@bp.errors(400, 503)
def merchants(params: dict[str, Any]) -> Response:
    """Search merchants: French full text, geo, filters, facets"""
    understood, where = _understood(params, intents=False)
    words = {"q": understood.words} if understood else {}
    settings = get_settings()
    search = MerchantSearch({**params, **words}, where, settings)
    cursors = Cursors(settings.cursor_secret, params)  # bound to the shopper's own parameters
    if "cursor" in params:
        try:
            after = cursors.open(params["cursor"], search.sort())
        except CursorError as e:
            raise ApiError(400, "invalid parameters", {"cursor": [str(e)]}) from None
        search = MerchantSearch({**params, **words, "cursor": after}, where, settings)
    answer = _relaxed_answer(search, params, understood)
    if answer["next_cursor"] is not None:
        answer["next_cursor"] = cursors.seal(answer["next_cursor"])
    return json_response(answer)


def _relaxed_answer(
    search: MerchantSearch | ProductSearch, params: dict[str, Any], understood: Understood | None
) -> dict[str, Any]:
    """Runs a search and, when it found nothing, its relaxed search (``query_api.relaxation``)."""
    found = search.run(get_engine())
    answer = found.answer | {"understood": understood.echo() if understood else None, "relaxed": None}
    relaxed = relax(get_engine(), search) if found.total == 0 and not params["literal"] else None
    if relaxed is not None:
        looser, what = relaxed
        answer = answer | looser.run(get_engine()).answer | {"relaxed": what.echo()}
    elif found.total == 0 and not params["literal"] and search.params.get("q"):
        where = search.where.location
        answer |= DeadEnd(search.endpoint, search.params["q"], where, get_settings()).run(get_engine())
    # The event keeps the shopper's own words and what the strict search found (0 when relaxed).
    g.search_event = analytics.Search(
        search.endpoint, params, search.where.echo, found.total, found.took,
        answer["understood"], answer["relaxed"],
    )  # fmt: skip
    return answer


@bp.get("/products")
@bp.arguments(PRODUCT_SEARCH, location="query")
@bp.response(200, responses.ProductResults)
@bp.errors(400, 503)
def products(params: dict[str, Any]) -> Response:
    """Search products in stock near a place, one hit per product"""
    understood, where = _understood(params, intents=True)
    words = {"q": understood.words} if understood else {}
    search = ProductSearch({**params, **words}, where, get_settings(), understood)
    return json_response(_relaxed_answer(search, params, understood))


@bp.get("/suggest")
@bp.arguments(SUGGEST, location="query")
@bp.response(200, responses.Suggestions)
@bp.errors(400, 503)
def suggest(params: dict[str, Any]) -> Response:
    """Type-ahead over merchant names, products, brands and categories"""
    return _answer(Suggestions(params, get_settings()))


@bp.get("/merchants/<merchant_id>")
@bp.arguments(NO_PARAMS, location="query")
@bp.response(200, responses.Merchant)
@bp.errors(400, 404, 503)
def merchant(_params: dict[str, Any], merchant_id: str) -> Response:
    """One merchant, as stored"""
    return json_response(MerchantLookup(merchant_id, get_settings()).run(get_engine()).answer)


@bp.get("/products/<listing_id>")
@bp.arguments(LOOKUP, location="query")
@bp.response(200, responses.ProductPage)
@bp.errors(400, 404, 503)
def product(params: dict[str, Any], listing_id: str) -> Response:
    """A product page: the product and the stores carrying it"""
    page = ProductPage(listing_id, params, _where(params), get_settings())
    return json_response(page.run(get_engine()).answer)


@bp.get("/health")
@bp.response(200, responses.Health)
@bp.errors(503)
def health() -> Response | tuple[Response, int, dict[str, str]]:
    """Engine reachable and aliases present

    200 when the engine answers and both aliases exist; 503 with Retry-After (and the reason) otherwise.
    """
    settings = get_settings()
    es = get_engine()
    try:
        info = es.info()
        aliases = {name: indices_of(es, settings.alias(name)) for name in ("merchants", "products")}
    except (elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout):
        raise ApiError(503, "the search engine is unreachable") from None
    missing = [name for name, indices in aliases.items() if not indices]
    body = {
        "status": "ok" if not missing else "degraded",
        "engine": info["version"]["number"],
        "aliases": aliases,
    }
    if missing:
        body["message"] = f"missing aliases: {', '.join(missing)} (run `panier init` or a reindex)"
        return jsonify(body), 503, {"Retry-After": str(CATALOGUE_RETRY_AFTER_SECONDS)}
    return jsonify(body)
