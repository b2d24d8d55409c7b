"""The stores of a product: which listing fields they need, their order, and how a store reads."""

from __future__ import annotations

from typing import Any

from query_api.queries.common import Location, distance_km, geo_sort

STORE_SOURCE = [
    "id", "price", "stock", "in_stock", "merchant.id", "merchant.name", "merchant.city", "merchant.location",
]  # fmt: skip


def store_sort(location: Location | None) -> list[Any]:
    """In stock first, then nearest (when located), then cheapest."""
    sort: list[Any] = [{"in_stock": "desc"}]
    if location:
        sort.append(geo_sort("merchant.location", location))
    sort.append({"price": "asc"})
    return sort


def store(hit: dict[str, Any], position: int | None) -> dict[str, Any]:
    """A store as answered, from a listing hit (its distance at ``position`` in its sort values)."""
    source = hit["_source"]
    answer = {
        "listing_id": source["id"],
        "merchant_id": source["merchant"]["id"],
        "name": source["merchant"]["name"],
        "city": source["merchant"].get("city"),
        "location": source["merchant"].get("location"),  # for a map: no lookup of the merchant
        "distance_km": distance_km(hit, position),
        "quantity": source["stock"]["quantity"],
        "in_stock": source["in_stock"],
        "price": source["price"],
    }
    if position is None:
        del answer["distance_km"]
    return answer
