"""Records files -> bulk actions: read, validate, build the engine document; rejects on the way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch, helpers
from marshmallow import ValidationError

from indexer.batch.loader import Action
from indexer.batch.report import LoadReport
from indexer.engine import aliases
from indexer.files.rejects import Origin, RejectsFile
from indexer.files.sources import read_records
from indexer.records import documents, schemas
from panier_core.settings import Settings

Progress = Callable[[int], None]


def merchants_from_alias(es: Elasticsearch, settings: Settings) -> dict[str, dict[str, Any]]:
    """The denormalized fields of every indexed merchant, for a products-only reindex."""
    alias = settings.alias("merchants")
    if not aliases.indices_of(es, alias):
        return {}
    hits = helpers.scan(
        es,
        index=alias,
        _source=documents.MERCHANT_FIELDS_SOURCE,
    )
    return {hit["_source"]["id"]: documents.merchant_fields(hit["_source"]) for hit in hits}


def record_actions(
    kind: str,
    path: Path,
    report: LoadReport,
    rejects: RejectsFile,
    merchants: dict[str, dict[str, Any]] | None,
    on_progress: Progress | None,
) -> Iterator[Action]:
    """The actions of ``path``'s valid records; each invalid one is written to ``rejects`` and counted.

    Products take their merchant's fields from ``merchants``; a merchants load fills
    ``report.merchants`` with them.
    """
    schema = schemas.MERCHANT if kind == "merchants" else schemas.PRODUCT
    record_type = kind[:-1]
    indexed_at = documents.iso_utc(datetime.now(UTC))

    def reject(stage: str, origin: Origin, reasons: list[str], record_id: str | None = None) -> None:
        rejects.write(record_type, stage, origin, reasons, record_id)
        report.rejected += 1
        if on_progress:
            on_progress(1)

    for raw in read_records(path):
        report.read += 1
        origin = Origin(raw.source, raw.line, raw.raw)
        if raw.error:
            reject("read", origin, [raw.error])
            continue
        try:
            record = schema.load(raw.data)
        except ValidationError as e:
            rid = raw.data.get("id") if isinstance(raw.data.get("id"), str) else None
            reject("validation", origin, schemas.flatten_errors(e.messages), rid)
            continue
        if kind == "merchants":
            document = documents.merchant_document(record, indexed_at)
            # First occurrence wins, as with op_type=create: a later duplicate is rejected.
            report.merchants.setdefault(record["id"], documents.merchant_fields(document))
        else:
            merchant = (merchants or {}).get(record["merchant_id"])
            if merchant is None:
                reason = f"merchant_id {record['merchant_id']!r} is not among the merchants loaded or indexed"
                reject("validation", origin, [reason], record["id"])
                continue
            document = documents.product_document(record, merchant, indexed_at)
        yield Action(record["id"], document, origin)
