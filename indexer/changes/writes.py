"""The changes path's engine I/O: documents read with their seq_no, and written back with
compare-and-set until no write conflicts.

``read`` fetches documents by id (``mget``) with their seq_no, primary term and the concrete index
that holds them; ``converge`` merges and writes records (``if_seq_no``/``if_primary_term``,
``create`` for a new id) and, for those a concurrent writer changed meanwhile (409) or the engine
refused (429), reads, merges and writes again. Both take the client as their first argument.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch

from indexer.changes.mergers import Merged, Merger
from indexer.engine import aliases, bulk_items
from indexer.engine.bulk_items import EngineUnavailable, action_line, backoff_seconds, source_line

Doc = dict[str, Any]
# id -> the document as the engine holds it (None: absent), its seq_no, primary term and concrete index
Current = dict[str, tuple[Doc | None, int | None, int | None, str]]


@dataclass
class ApplyStats:
    written: int = 0  # documents written (the coalescing gain is changes / written)
    conflicts: int = 0  # compare-and-set retries
    requests: int = 0

    def add(self, other: ApplyStats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class TargetGone(aliases.AliasError):
    """An alias the batch was writing to no longer exists (a reindex just went live and removed
    its ``-next`` alias): writes through the live alias reach that index now."""


class Contention(EngineUnavailable):
    """Writes kept conflicting or being refused with 429: send the batch again (it is idempotent)."""


def read(es: Elasticsearch, index: str, ids: Iterable[str]) -> Current:
    """Documents by id from ``index`` (an alias or an index), with their seq_no and the concrete
    index that holds them, so that a write goes exactly where the read came from."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    response = es.mget(index=index, ids=ids)
    out: Current = {}
    for doc in response["docs"]:
        if doc.get("found"):
            out[doc["_id"]] = (doc["_source"], doc["_seq_no"], doc["_primary_term"], doc["_index"])
        elif "error" in doc:
            if doc["error"].get("type") == "index_not_found_exception":
                raise TargetGone(f"{index} does not exist (run `panier init`?)")
            raise RuntimeError(f"cannot read {doc['_id']} from {index}: {doc['error']}")
        else:
            out[doc["_id"]] = (None, None, None, doc.get("_index", index))
    return out


def converge(
    es: Elasticsearch,
    index: str,
    groups: dict[str, list[int]],
    merger: Merger,
    current: Current | None,
    stats: ApplyStats,
    *,
    max_attempts: int,
) -> dict[str, Merged]:
    """Merge and write each record of ``groups`` into ``index`` until no write conflicts.

    Each write goes to the concrete index its document was read from, with that read's seq_no:
    if the alias moves in between, the write fails (409) and the record is read again.
    ``current``: the documents as just read (None: read them first).
    """
    merged_of: dict[str, Merged] = {}
    pending = dict(groups)
    attempt = 0
    while pending:
        attempt += 1
        if current is None or attempt > 1:
            current = {**(current or {}), **read(es, index, pending)}
        lines: list[bytes] = []
        order: list[str] = []
        for key, positions in pending.items():
            doc, seq_no, term, concrete = current[key]
            merged = merger(doc, key, positions)
            merged_of[key] = merged
            if merged.doc is None:
                continue
            if seq_no is None:
                header = action_line("create", {"_index": concrete, "_id": key})
            else:
                meta = {"_index": concrete, "_id": key, "if_seq_no": seq_no, "if_primary_term": term}
                header = action_line("index", meta)
            lines += [header, source_line(merged.doc)]
            order.append(key)
        pending = {}
        if not lines:
            break
        response = es.bulk(operations=b"".join(lines), filter_path=bulk_items.FILTER_PATH)
        stats.requests += 1
        retry: dict[str, list[int]] = {}
        for key, result in zip(order, bulk_items.results(response), strict=True):
            if result.ok:
                stats.written += 1
            elif result.status == 404 and result.error_type == "index_not_found_exception":
                raise TargetGone(f"{index} does not exist")
            elif result.status == 409 or result.retryable:
                stats.conflicts += result.status == 409
                retry[key] = groups[key]
            else:
                merged_of[key] = Merged(error=result.describe(), flags=merged_of[key].flags)
        if retry:
            if attempt >= max_attempts:
                # Not the change's fault: the caller retries the batch (nothing of it is lost).
                raise Contention(
                    f"{len(retry)} records still conflicting or refused (429) after {attempt} attempts"
                )
            time.sleep(backoff_seconds(attempt + 1, base=0.02, cap=2.0))
            pending = retry
    return merged_of
