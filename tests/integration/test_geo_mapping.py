"""Locations are geo_points: searchable by distance, and the mapping refuses impossible ones."""

from __future__ import annotations

import pytest
from elasticsearch import BadRequestError

from indexer.engine import aliases

MONTREAL = {"lat": 45.5088, "lon": -73.5878}
LONGUEUIL = {"lat": 45.5312, "lon": -73.5181}  # ~6 km from Montreal's centre
QUEBEC = {"lat": 46.8139, "lon": -71.2080}  # ~233 km away


@pytest.fixture
def merchants(es, settings) -> str:
    aliases.ensure_aliases(es, settings)
    alias = settings.alias("merchants")
    for mid, loc in (("m-mtl", MONTREAL), ("m-lgl", LONGUEUIL), ("m-qc", QUEBEC)):
        es.index(index=alias, id=mid, document={"id": mid, "name": mid, "location": loc})
    es.indices.refresh(index=alias)
    return alias


def test_geo_distance_finds_merchants_inside_the_radius_and_none_outside(es, merchants):
    result = es.search(
        index=merchants,
        query={"bool": {"filter": {"geo_distance": {"distance": "10km", "location": MONTREAL}}}},
        sort=[{"_geo_distance": {"location": MONTREAL, "order": "asc", "unit": "km"}}],
    )
    hits = result["hits"]["hits"]
    assert [h["_id"] for h in hits] == ["m-mtl", "m-lgl"]
    assert hits[0]["sort"][0] < 0.01
    assert 4 < hits[1]["sort"][0] < 8


def test_products_carry_the_merchant_location_as_a_geo_point(es, settings):
    aliases.ensure_aliases(es, settings)
    products = settings.alias("products")
    es.index(
        index=products,
        id="p-1",
        document={"id": "p-1", "name": "Sirop d'érable", "merchant": {"id": "m-qc", "location": QUEBEC}},
        refresh=True,
    )
    near_quebec = {"geo_distance": {"distance": "5km", "merchant.location": QUEBEC}}
    near_montreal = {"geo_distance": {"distance": "5km", "merchant.location": MONTREAL}}
    assert es.count(index=products, query=near_quebec)["count"] == 1
    assert es.count(index=products, query=near_montreal)["count"] == 0


@pytest.mark.parametrize("location", [{"lat": 95.0, "lon": -73.0}, {"lat": 45.0, "lon": -190.0}])
def test_out_of_range_coordinates_are_refused_by_the_mapping(es, settings, location):
    aliases.ensure_aliases(es, settings)
    with pytest.raises(BadRequestError, match=r"illegal (latitude|longitude)"):
        es.index(index=settings.alias("merchants"), id="bad", document={"id": "bad", "location": location})


def test_unknown_fields_are_refused_so_schema_drift_is_caught(es, settings):
    aliases.ensure_aliases(es, settings)
    with pytest.raises(BadRequestError, match="strict"):
        es.index(index=settings.alias("merchants"), id="x", document={"id": "x", "nmae": "typo"})
