"""The merge rules that make change delivery order irrelevant (pure: no engine)."""

from __future__ import annotations

import itertools
import random

from indexer.records import documents, merge
from indexer.records.merge import StockChange

MERCHANT = {"id": "m-1", "name": "Fromagerie", "city": "Montréal", "region": "Montréal", "services": [],
            "location": {"lat": 45.5, "lon": -73.6}, "active": True, "updated_at": "2026-11-20T00:00:00Z"}  # fmt: skip


def product(ms: int, name: str, quantity: int, price: float) -> dict:
    record = {"id": "p-1", "merchant_id": "m-1", "name": name, "categories": [], "price": price,
              "stock": {"quantity": quantity}, "updated_at": documents.from_millis(ms)}  # fmt: skip
    return documents.product_document(record, MERCHANT, "2026-11-25T00:00:00Z")


def step(doc, change):
    kind, ms, *args = change
    if kind == "upsert":
        new = merge.upsert_product(doc, product(ms, *args))
    elif kind == "stock":
        new = merge.stock(doc, "p-1", StockChange(args[0], args[1], ms))
    else:
        new = merge.delete_product(doc, "p-1", ms)
    return new or doc


def final(changes) -> dict:
    doc = None
    for change in changes:
        doc = step(doc, change)
    return {k: v for k, v in doc.items() if k != "indexed_at"}  # the applier stamps it on each write


CHANGES = [
    ("upsert", 1_000, "Sirop", 5, 10.0),
    ("stock", 2_000, 0, None),
    ("upsert", 3_000, "Sirop d'érable", 7, 12.0),
    ("stock", 4_000, 3, 11.0),
    ("delete", 5_000),
    ("upsert", 6_000, "Sirop d'érable ambré", 2, 13.0),
]


def test_every_delivery_order_ends_in_the_in_order_document():
    for n in range(1, len(CHANGES) + 1):
        expected = final(CHANGES[:n])
        for order in itertools.permutations(CHANGES[:n]):
            assert final(order) == expected, order


def test_duplicates_and_replays_change_nothing():
    expected = final(CHANGES)
    rng = random.Random(4)
    for _ in range(200):
        stream = CHANGES + rng.choices(CHANGES, k=8)
        rng.shuffle(stream)
        assert final(stream) == expected


def test_a_stock_change_only_touches_quantity_and_price():
    doc = final(CHANGES[:3])
    after = step(doc, ("stock", 9_000, 0, None))
    assert (after["name"], after["price"], after["stock"], after["in_stock"]) == (
        "Sirop d'érable",
        12.0,
        {"quantity": 0},
        False,
    )


def test_a_delete_keeps_a_tombstone_without_type_ahead_inputs_and_an_older_upsert_does_not_revive_it():
    doc = final(CHANGES[:5])
    assert doc["deleted"] is True and "suggest" not in doc
    assert step(doc, ("upsert", 4_500, "Vieux sirop", 1, 1.0))["deleted"] is True
    revived = step(doc, ("upsert", 7_000, "Sirop neuf", 1, 1.0))
    assert revived["deleted"] is False and revived["suggest"]["input"] == ["Sirop neuf"]


def test_a_listing_takes_its_merchants_fields_only_when_they_are_newer():
    doc = final(CHANGES[:1])
    newer = dict(MERCHANT, name="Fromagerie (déménagée)", updated_at="2026-11-22T00:00:00Z")
    moved = merge.merchant_on_listing(doc, newer)
    assert moved["merchant"]["name"] == "Fromagerie (déménagée)"
    assert merge.merchant_on_listing(moved, MERCHANT) is None  # the older merchant loses
    inactive = dict(newer, active=False, updated_at="2026-11-23T00:00:00Z")
    hidden = merge.merchant_on_listing(moved, inactive)
    assert "suggest" not in hidden  # an inactive merchant's listings are not suggested


def test_two_changes_of_the_same_instant_end_the_same_whichever_arrives_first():
    same_instant = [("stock", 2_000, 5, None), ("stock", 2_000, 0, None), ("stock", 2_000, 3, 9.5)]
    base = CHANGES[:1]
    results = {str(final(base + list(order))) for order in itertools.permutations(same_instant)}
    assert len(results) == 1


def test_a_renamed_listing_takes_the_head_of_its_new_name():
    doc = product(1_000, "Épices à steak", 3, 4.99)
    renamed = merge.upsert_product(doc, product(2_000, "Bifteck de surlonge", 3, 14.99))
    assert (doc["name_head"], renamed["name_head"]) == ("Épices", "Bifteck")
