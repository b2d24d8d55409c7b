"""How one batch's changes to one record become its new document: the mergers the applier calls.

Each merger takes the document as the engine holds it (None: absent), the record's id and the
positions of its changes in the batch, and returns the merged document (None: nothing changed) with,
per change, whether it changed anything. The ordering rules themselves are ``indexer.records.merge``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from indexer.changes.outcomes import APPLIED, FORBIDDEN, REJECTED, STALE, Outcome
from indexer.records import documents, merge
from indexer.records.change_lines import Change

Doc = dict[str, Any]
Merger = Callable[[Doc | None, str, list[int]], "Merged"]


def listing_merger(fields: Doc) -> Callable[[Doc | None, str, list[int]], Merged]:
    def merger(doc: Doc | None, key: str, positions: list[int]) -> Merged:
        out = merge.merchant_on_listing(doc, fields) if doc else None
        return Merged(out, [out is not None])

    return merger


@dataclass(slots=True)
class Merged:
    doc: Doc | None = None
    flags: list[bool] = field(default_factory=list)  # per change: did it change the document
    error: str | None = None
    forbidden: str | None = None  # the record turned out to be another merchant's


def group(
    changes: list[Change], positions: list[int], outcomes: list[Outcome | None]
) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i in positions:
        if outcomes[i] is None:
            groups[changes[i].id].append(i)
    return dict(groups)


def record(outcomes: list[Outcome | None], positions: list[int], result: Merged) -> None:
    for n, i in enumerate(positions):
        if result.forbidden is not None:
            outcomes[i] = Outcome(FORBIDDEN, result.forbidden)
        elif result.error is not None:
            outcomes[i] = Outcome(REJECTED, result.error)
        elif n < len(result.flags) and result.flags[n]:
            outcomes[i] = Outcome(APPLIED)
        else:
            outcomes[i] = Outcome(STALE, "older than what is indexed")


def merchant_merger(changes: list[Change]) -> Callable[[Doc | None, str, list[int]], Merged]:
    indexed_at = documents.iso_utc(datetime.now(UTC))

    def merger(doc: Doc | None, key: str, positions: list[int]) -> Merged:
        flags = []
        for i in positions:
            change = changes[i]
            if change.op == "upsert":
                new = merge.upsert_merchant(doc, documents.merchant_document(change.record, indexed_at))
            else:
                new = merge.delete_merchant(doc, key, change.version)
            flags.append(new is not None)
            doc = new or doc
        return Merged(doc if any(flags) else None, flags)

    return merger


def product_merger(
    changes: list[Change], merchant_fields: dict[str, Doc], indexed_at: str, owner: str | None
) -> Callable[[Doc | None, str, list[int]], Merged]:
    def merger(doc: Doc | None, key: str, positions: list[int]) -> Merged:
        holder = ((doc or {}).get("merchant") or {}).get("id")
        if owner is not None and holder is not None and holder != owner:  # e.g. created meanwhile
            return Merged(forbidden=f"listing {key!r} belongs to another merchant")
        flags = []
        for i in positions:
            change = changes[i]
            if change.op == "upsert":
                merchant = merchant_fields[change.record["merchant_id"]]
                new = merge.upsert_product(
                    doc, documents.product_document(change.record, merchant, indexed_at)
                )
            elif change.op == "delete":
                new = merge.delete_product(doc, key, change.version)
            else:
                new = merge.stock(doc, key, change.stock)
            flags.append(new is not None)
            doc = new or doc
        if any(flags) and doc is not None:
            doc["indexed_at"] = indexed_at
        return Merged(doc if any(flags) else None, flags)

    return merger
