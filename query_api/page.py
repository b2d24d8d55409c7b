"""The shopper search page at ``/``: one HTML page, its plain JavaScript modules and CSS
(``query_api/static/``), and what the page needs besides the public ``/v1`` endpoints it is built on:
its map's settings and the municipalities it names on a map without tiles (``/page/config.json``),
and Leaflet's files.

Leaflet comes from the npm registry (``package.json`` at the top of the repository; ``scripts/up`` and
``scripts/test`` run ``npm ci``) and is served from ``node_modules/leaflet/dist``, never from a CDN.
Without it the page still searches; only the map says it is missing.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, jsonify, send_from_directory

from query_api.engine import get_settings

bp = Blueprint("page", __name__, static_folder="static", static_url_path="/assets")

STATIC = Path(__file__).parent / "static"
LEAFLET_DIST = Path(__file__).resolve().parent.parent / "node_modules" / "leaflet" / "dist"
# Municipalities a map without tiles names (the labels thin out as it zooms out, by population).
LABELLED_MIN_POPULATION = 1500


@bp.get("/")
@bp.get("/produits/<path:listing_id>")
@bp.get("/commerces/<path:merchant_id>")
def page(**_ids: str) -> Response:
    """The same page for every view: the script reads the view and its state from the URL."""
    html = _html().replace("{{tiles}}", escape(get_settings().map_tiles, quote=True))
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CSP
    return response


@bp.get("/page/config.json")
def config() -> Response:
    """The map's settings and the municipalities (name, lat, lon, population) it may label."""
    url, _, attribution = get_settings().map_tiles.strip().partition(" ")
    return jsonify({"tiles": url or None, "attribution": attribution.strip() or None, "places": _places()})


@bp.get("/vendor/leaflet/<path:filename>")
def leaflet(filename: str) -> Response:
    if not LEAFLET_DIST.is_dir():
        abort(404)
    return send_from_directory(LEAFLET_DIST, filename, max_age=86400)


# Everything from this origin; tiles from wherever PANIER_MAP_TILES points (an image source).
CSP = "default-src 'self'; img-src 'self' data: https: http:; style-src 'self' 'unsafe-inline'"


@cache
def _html() -> str:
    return (STATIC / "index.html").read_text(encoding="utf-8")


@cache
def _places() -> list[list[Any]]:
    data = json.loads(resources.files("query_api").joinpath("data/gazetteer.json").read_text("utf-8"))
    column = {name: i for i, name in enumerate(data["columns"])}
    name, kind, lat, lon, population = (column[c] for c in ("name", "kind", "lat", "lon", "population"))
    return [
        [row[name], row[lat], row[lon], row[population]]
        for row in data["places"]
        if row[kind] == "municipality" and (row[population] or 0) >= LABELLED_MIN_POPULATION
    ]
