"""Building engine documents (pure) and cutting bulk requests by bytes."""

from datetime import UTC, datetime

import orjson

from indexer.batch.loader import Action, BulkOptions, chunk_actions
from indexer.records import documents
from indexer.records.schemas import MERCHANT, PRODUCT, flatten_errors

MERCHANT_RECORD = MERCHANT.load(
    {
        "id": "m-1",
        "name": "Fromagerie du Marché",
        "categories": ["Alimentation", "Fromagerie"],
        "address": {"city": "Montréal", "region": "Montréal", "postal_code": "H2R 1S7"},
        "location": {"lat": 45.5361, "lon": -73.6141},
        "services": ["livraison"],
        "updated_at": "2026-11-20T14:03:00Z",
    }
)


def product(**over):
    raw = {"id": "p-1", "merchant_id": "m-1", "name": "Sirop d'Érable PUR, 540 ml", "brand": "Érablière du Rang",
           "price": 12.99, "stock": {"quantity": 0}, "updated_at": "2026-11-20T14:03:00Z"}  # fmt: skip
    raw.update(over)
    return PRODUCT.load(raw)


def test_product_key_prefers_the_gtin_without_leading_zeros():
    assert documents.product_key(product(gtin="0627843000013")) == "gtin:627843000013"


def test_product_key_without_gtin_is_folded_name_and_brand_so_spelling_variants_group():
    a = documents.product_key(product())
    b = documents.product_key(product(name="sirop d’erable pur 540 ML", brand="Erabliere du rang"))
    assert a == b == "name:sirop d erable pur 540 ml|erabliere du rang"


def test_a_listing_carries_its_merchant_and_stock_state():
    merchant = documents.merchant_fields(documents.merchant_document(MERCHANT_RECORD, "2026-11-25T00:00:00Z"))
    doc = documents.product_document(product(), merchant, "2026-11-25T00:00:00Z")
    assert doc["merchant"]["name"] == "Fromagerie du Marché" and doc["merchant"]["city"] == "Montréal"
    assert doc["merchant"]["location"] == {"lat": 45.5361, "lon": -73.6141}
    assert doc["in_stock"] is False and doc["stock"] == {"quantity": 0}
    assert doc["updated_at"] == "2026-11-20T14:03:00Z"
    assert doc["suggest"]["input"] == ["Sirop d'Érable PUR, 540 ml", "Érablière du Rang"]


def test_merchant_document_suggests_its_name_and_separately_its_categories():
    doc = documents.merchant_document(MERCHANT_RECORD, datetime(2026, 11, 25, tzinfo=UTC).isoformat())
    assert doc["suggest"]["input"] == ["Fromagerie du Marché"]
    assert doc["category_suggest"]["input"] == ["Alimentation", "Fromagerie"]
    assert doc["address"] == {
        "city": "Montréal",
        "region": "Montréal",
        "postal_code": "H2R 1S7",
        "province": "QC",
    }


def test_chunks_are_bounded_by_bytes_and_keep_every_action_once():
    actions = [Action(f"p-{i}", {"name": "x" * 100}) for i in range(100)]
    chunks = list(chunk_actions(actions, BulkOptions(chunk_bytes=1_000, chunk_docs=1_000)))
    assert all(c.size <= 1_000 for c in chunks)
    assert [a.id for c in chunks for a in c.actions] == [f"p-{i}" for i in range(100)]
    first = chunks[0]
    assert orjson.loads(first.lines[0]) == {"create": {"_id": "p-0"}}
    assert orjson.loads(first.lines[1]) == {"name": "x" * 100}


def test_chunks_are_bounded_by_document_count_too():
    actions = [Action(str(i), {}) for i in range(25)]
    assert [len(c.actions) for c in chunk_actions(actions, BulkOptions(chunk_docs=10))] == [10, 10, 5]


def test_validation_errors_read_as_field_and_reason():
    errors = {
        "location": {"lat": ["Must be ≤ 90."]},
        "_schema": ["bad"],
        "services": {0: ["unknown service"]},
    }
    assert flatten_errors(errors) == ["location.lat: Must be ≤ 90.", "bad", "services.0: unknown service"]
