"""The Kibana saved objects under kibana/ read as data.

Kibana cannot run where Panier is developed, so these tests hold the NDJSON files to what Kibana's
import needs (one JSON object per line, unique ids, references that resolve, migration versions
that tell Kibana which migrations to run) and to what our engine can answer: every field a data
view, a Lens column, a filter or a map layer names exists in our mappings with a type that supports
its use (aggregations need keyword, numeric, boolean or date fields; map layers need geo_point).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

import kibana

REPO = Path(__file__).resolve().parents[2]
MAPPINGS = REPO / "mappings"
FILES = kibana.files()
OBJECTS = kibana.load()
BY_KEY = {(o["type"], o["id"]): o for o in OBJECTS}
DATA_VIEWS = {o["id"]: o for o in OBJECTS if o["type"] == "index-pattern"}
LENSES = [o for o in OBJECTS if o["type"] == "lens"]
MAPS = [o for o in OBJECTS if o["type"] == "map"]
DASHBOARDS = [o for o in OBJECTS if o["type"] == "dashboard"]

NUMERIC = {
    "long",
    "integer",
    "short",
    "byte",
    "double",
    "float",
    "half_float",
    "scaled_float",
    "unsigned_long",
}
AGGREGATABLE = NUMERIC | {"keyword", "boolean", "date", "date_nanos", "ip", "constant_keyword"}
# Layer types since Kibana 8.1. Maps declare typeMigrationVersion >= 8.1.0, so the migration that
# renamed the 7.x types (VECTOR, VECTOR_TILE, TILE, TILED_VECTOR) does not run on them.
MAP_LAYER_TYPES = {
    "EMS_VECTOR_TILE",
    "GEOJSON_VECTOR",
    "MVT_VECTOR",
    "HEATMAP",
    "BLENDED_VECTOR",
    "RASTER_TILE",
}
KIBANA_VERSION = (8, 19, 21)

# The search events' fields, as the analytics mapping declares them; used when the file is absent.
SEARCH_EVENT_FIELDS = {
    "@timestamp": "date", "endpoint": "keyword", "query": "keyword", "filters.category": "keyword",
    "filters.brand": "keyword", "filters.service": "keyword", "filters.region": "keyword",
    "filters.sort": "keyword", "filters.near": "keyword", "filters.in_stock": "boolean",
    "filters.quebec": "boolean", "filters.radius_km": "float", "location": "geo_point",
    "geohash": "keyword", "total": "long", "zero_results": "boolean", "took_ms": "long",
    "latency_ms": "float", "page": "integer",
}  # fmt: skip


def mapped_fields(properties: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Every field path of a mapping -> its type, multi-fields (``name.exact``) included."""
    fields: dict[str, str] = {}
    for name, spec in properties.items():
        path = f"{prefix}{name}"
        if "properties" in spec:
            fields.update(mapped_fields(spec["properties"], f"{path}."))
            continue
        fields[path] = spec.get("type", "object")
        for sub, sub_spec in (spec.get("fields") or {}).items():
            fields[f"{path}.{sub}"] = sub_spec["type"]
    return fields


def _mapping_properties(path: Path) -> dict[str, Any]:
    body = json.loads(path.read_text(encoding="utf-8"))
    mappings = body.get("mappings") or body.get("template", {}).get("mappings")
    return mappings["properties"]


def _search_event_fields() -> dict[str, str]:
    path = MAPPINGS / "search_events.json"
    return mapped_fields(_mapping_properties(path)) if path.is_file() else SEARCH_EVENT_FIELDS


FIELDS_BY_TITLE = {
    "merchants": mapped_fields(_mapping_properties(MAPPINGS / "merchants.json")),
    "products": mapped_fields(_mapping_properties(MAPPINGS / "products.json")),
    "logs-panier.search-*": _search_event_fields(),
}


def fields_of(data_view_id: str) -> dict[str, str]:
    return FIELDS_BY_TITLE[DATA_VIEWS[data_view_id]["attributes"]["title"]]


def kql_fields(query: str) -> list[str]:
    """Field names in a simple KQL query (``field : value and other : value``)."""
    return re.findall(r"([A-Za-z_@][\w.@]*)\s*:", query)


def reference(obj: dict[str, Any], name: str) -> dict[str, Any]:
    matches = [r for r in obj["references"] if r["name"] == name]
    assert len(matches) == 1, f"{obj['type']} {obj['id']}: {len(matches)} references named {name!r}"
    return matches[0]


def lens_layers(lens: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return lens["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]


def map_layers(map_object: dict[str, Any]) -> list[dict[str, Any]]:
    return json.loads(map_object["attributes"]["layerListJSON"])


def panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return json.loads(dashboard["attributes"]["panelsJSON"])


def lens_field_uses(lens: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(data view id, field, use) for every field the Lens object names; use says what it needs."""
    state = lens["attributes"]["state"]
    for layer_id, layer in lens_layers(lens).items():
        data_view = reference(lens, f"indexpattern-datasource-layer-{layer_id}")["id"]
        for field in kql_fields(state["query"]["query"]):
            yield data_view, field, "filter"
        for column in layer["columns"].values():
            op, field = column["operationType"], column.get("sourceField")
            if op == "count":
                assert field == "___records___", (
                    f"{lens['id']}: count of a field counts values, not documents"
                )
            elif op in ("terms", "unique_count"):
                yield data_view, field, "aggregation"
            elif op == "date_histogram":
                yield data_view, field, "date"
            elif op in ("sum", "average", "median", "min", "max", "percentile", "standard_deviation"):
                yield data_view, field, "numeric"
            elif op == "filters":
                for item in column["params"]["filters"]:
                    for name in kql_fields(item["input"]["query"]):
                        yield data_view, name, "filter"
            else:
                pytest.fail(f"{lens['id']}: operation {op!r} not covered by this test")
            for name in kql_fields((column.get("filter") or {}).get("query", "")):
                yield data_view, name, "filter"


def check_use(where: str, fields: dict[str, str], field: str, use: str) -> None:
    assert field in fields, f"{where}: field {field!r} is not in the mapping"
    kind = fields[field]
    if use == "aggregation":
        assert kind in AGGREGATABLE, f"{where}: {field} is {kind}, which cannot be aggregated"
    elif use == "numeric":
        assert kind in NUMERIC, f"{where}: {field} is {kind}, not a number"
    elif use == "date":
        assert kind in ("date", "date_nanos"), f"{where}: {field} is {kind}, not a date"
    elif use == "geo":
        assert kind == "geo_point", f"{where}: {field} is {kind}, not a geo_point"
    else:
        assert kind not in ("object", "completion"), f"{where}: {field} is {kind}, which cannot be searched"


# -- the files --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_line_of_every_file_is_one_saved_object(path: Path):
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    for number, line in enumerate(text.splitlines(), start=1):
        obj = json.loads(line)  # fails with the line if it is not JSON
        assert {"type", "id", "attributes", "references"} <= obj.keys(), f"{path.name}:{number}"
        assert isinstance(obj["attributes"].get("title"), str) and obj["attributes"]["title"], (
            f"{path.name}:{number}"
        )


def test_every_ndjson_file_in_the_folder_is_shipped():
    assert sorted(p.name for p in (REPO / "kibana").glob("*.ndjson")) == sorted(p.name for p in FILES)


def test_ids_are_unique_across_all_files():
    ids = [o["id"] for o in OBJECTS]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_every_object_says_which_kibana_migrations_it_has_been_through():
    """Kibana runs the migrations newer than typeMigrationVersion; a version newer than our Kibana's
    would make the import fail, and a missing one would replay every migration since 7.0."""
    for obj in OBJECTS:
        for key in ("coreMigrationVersion", "typeMigrationVersion"):
            version = tuple(int(n) for n in obj[key].split("."))
            assert version <= KIBANA_VERSION, f"{obj['id']}: {key} {obj[key]} is newer than Kibana 8.19"


def test_every_reference_resolves_to_an_object_in_the_files():
    for obj in OBJECTS:
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in BY_KEY, f"{obj['type']} {obj['id']} -> {ref} is not in kibana/"
        names = [r["name"] for r in obj["references"]]
        assert len(names) == len(set(names)), f"{obj['id']}: duplicate reference names"


# -- data views -----------------------------------------------------------------------------------


def test_data_views_cover_the_two_aliases_and_the_search_events_stream():
    assert {dv["attributes"]["title"] for dv in DATA_VIEWS.values()} == set(FIELDS_BY_TITLE)
    searches = next(dv for dv in DATA_VIEWS.values() if dv["attributes"]["title"] == "logs-panier.search-*")
    assert searches["attributes"]["timeFieldName"] == "@timestamp"


def test_data_views_name_only_mapped_fields_and_each_has_its_geo_point_fields():
    for dv in DATA_VIEWS.values():
        fields = FIELDS_BY_TITLE[dv["attributes"]["title"]]
        if "timeFieldName" in dv["attributes"]:
            check_use(dv["id"], fields, dv["attributes"]["timeFieldName"], "date")
        attrs = json.loads(dv["attributes"]["fieldAttrs"])
        for field in attrs:
            check_use(dv["id"], fields, field, "any")
        geo = {f for f, kind in fields.items() if kind == "geo_point"}
        assert geo and geo <= attrs.keys(), f"{dv['id']}: label every geo_point field {sorted(geo)}"


# -- Lens -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lens", LENSES, ids=lambda o: o["id"])
def test_lens_fields_exist_with_a_type_that_supports_their_use(lens):
    uses = list(lens_field_uses(lens))
    assert uses or lens_layers(lens), lens["id"]
    for data_view, field, use in uses:
        check_use(lens["id"], fields_of(data_view), field, use)


@pytest.mark.parametrize("lens", LENSES, ids=lambda o: o["id"])
def test_lens_visualization_refers_to_its_own_layer_and_columns(lens):
    layers = lens_layers(lens)
    vis = lens["attributes"]["state"]["visualization"]
    vis_layers = vis.get("layers") or [vis]
    for vis_layer in vis_layers:
        layer = layers[vis_layer["layerId"]]
        columns = layer["columns"]
        assert sorted(layer["columnOrder"]) == sorted(columns)
        accessors = [
            *vis_layer.get("accessors", []),
            *(vis_layer.get(k) for k in ("xAccessor", "splitAccessor", "metricAccessor") if vis_layer.get(k)),
            *(c["columnId"] for c in vis_layer.get("columns", [])),
        ]
        assert accessors and set(accessors) <= columns.keys(), lens["id"]
        for column in columns.values():
            order = (column.get("params") or {}).get("orderBy") or {}
            if order.get("type") == "column":
                assert order["columnId"] in columns, lens["id"]
    assert lens["attributes"]["visualizationType"] in ("lnsXY", "lnsMetric", "lnsDatatable")


# -- maps -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("map_object", MAPS, ids=lambda o: o["id"])
def test_map_layers_use_geo_point_fields_and_mapped_tooltips(map_object):
    data_layers = 0
    for index, layer in enumerate(map_layers(map_object)):
        assert layer["type"] in MAP_LAYER_TYPES, f"{map_object['id']}: layer type {layer['type']}"
        source = layer["sourceDescriptor"]
        if source["type"] not in ("ES_SEARCH", "ES_GEO_GRID"):
            continue
        data_layers += 1
        # Saved (not in-memory) form: the data view is a reference, named after the layer's position.
        assert "indexPatternId" not in source
        assert source["indexPatternRefName"] == f"layer_{index}_source_index_pattern"
        fields = fields_of(reference(map_object, source["indexPatternRefName"])["id"])
        where = f"{map_object['id']} layer {layer['id']}"
        check_use(where, fields, source["geoField"], "geo")
        for field in source.get("tooltipProperties", []):
            check_use(where, fields, field, "any")
        for metric in source.get("metrics", []):
            if "field" in metric:
                check_use(where, fields, metric["field"], "numeric")
    assert data_layers, f"{map_object['id']} shows no data"
    state = json.loads(map_object["attributes"]["mapStateJSON"])
    assert 44 < state["center"]["lat"] < 63 and -80 < state["center"]["lon"] < -57, "centred on Quebec"


# -- dashboards -----------------------------------------------------------------------------------


@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=lambda o: o["id"])
def test_dashboard_panels_resolve_and_fit_the_grid_without_overlapping(dashboard):
    found = panels(dashboard)
    assert found
    assert len({p["panelIndex"] for p in found}) == len(found)
    for panel in found:
        ref = reference(dashboard, f"{panel['panelIndex']}:{panel['panelRefName']}")
        assert ref["type"] == panel["type"]
        grid = panel["gridData"]
        assert grid["i"] == panel["panelIndex"]
        assert grid["x"] >= 0 and grid["x"] + grid["w"] <= 48 and grid["w"] > 0 and grid["h"] > 0
    for a, b in combinations([p["gridData"] for p in found], 2):
        apart = (
            a["x"] + a["w"] <= b["x"]
            or b["x"] + b["w"] <= a["x"]
            or a["y"] + a["h"] <= b["y"]
            or b["y"] + b["h"] <= a["y"]
        )
        assert apart, f"{dashboard['id']}: panels {a['i']} and {b['i']} overlap"


def dashboard_uses(dashboard_id: str) -> set[tuple[str, str]]:
    """(field, how) pairs the dashboard's panels use: `terms`, `filter`, `date_histogram`, `map`…"""
    uses: set[tuple[str, str]] = set()
    dashboard = BY_KEY[("dashboard", dashboard_id)]
    for ref in dashboard["references"]:
        obj = BY_KEY[(ref["type"], ref["id"])]
        if obj["type"] == "map":
            for layer in map_layers(obj):
                if "geoField" in layer["sourceDescriptor"]:
                    uses.add((layer["sourceDescriptor"]["geoField"], "map"))
            continue
        state = obj["attributes"]["state"]
        uses.update((f, "filter") for f in kql_fields(state["query"]["query"]))
        for layer in lens_layers(obj).values():
            for column in layer["columns"].values():
                if column.get("sourceField"):
                    uses.add((column["sourceField"], column["operationType"]))
                for item in (column.get("params") or {}).get("filters", []):
                    uses.update((f, "filter") for f in kql_fields(item["input"]["query"]))
                uses.update((f, "filter") for f in kql_fields((column.get("filter") or {}).get("query", "")))
    return uses


def test_merchants_dashboard_shows_merchants_by_region_and_on_a_map():
    uses = dashboard_uses("panier-dashboard-merchants")
    assert {("address.region", "terms"), ("location", "map")} <= uses


def test_products_dashboard_shows_stock_and_certified_quebec_share_by_category_and_region():
    uses = dashboard_uses("panier-dashboard-products")
    assert {("categories", "terms"), ("in_stock", "filter"), ("quebec_product", "filter")} <= uses
    assert ("merchant.region", "terms") in uses


def test_searches_dashboard_shows_top_and_zero_result_searches_over_time_and_on_a_map():
    uses = dashboard_uses("panier-dashboard-searches")
    assert {("query", "terms"), ("zero_results", "filter"), ("@timestamp", "date_histogram")} <= uses
    assert ("location", "map") in uses
