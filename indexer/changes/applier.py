"""Applying changes to the engine: coalesce, check ownership, log, merge, write with compare-and-set.

One ``Applier.apply(batch)`` call:

1. for the ingest endpoint, reads the listings concerned and refuses the changes a merchant does
   not own; reads the merchants that new listings need;
2. writes the accepted changes to the changes log (``indexer.changes.changelog``) before touching any
   document;
3. for each record, merges all of its changes in the batch into one new document (bursts for one
   listing cost one write) and writes it with ``if_seq_no``/``if_primary_term`` (``create`` for a new
   id): a concurrent writer makes the item fail with 409 and the record is read and merged again;
4. carries merchants' new fields to their listings.

Documents are read with ``mget`` (up to four reads a batch: the owner check, the merchants new
listings need, and the merchants and listings as they are just before writing).

Writes go to the live aliases and, while a full reindex is about to go live, also to the
``<alias>-next`` alias of the index it built (see ``indexer.batch.reindexing``).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import elasticsearch
from elasticsearch import Elasticsearch, helpers

from indexer.changes import changelog
from indexer.changes.mergers import (
    Merged,
    group,
    listing_merger,
    merchant_merger,
    product_merger,
    record,
)
from indexer.changes.outcomes import FORBIDDEN, NOT_FOUND, REJECTED, STALE, Outcome
from indexer.engine import aliases, bulk_items
from indexer.engine.bulk_items import EngineUnavailable, action_line, backoff_seconds, source_line
from indexer.records import documents
from indexer.records.change_lines import Change
from panier_core.settings import Settings

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


@dataclass
class Targets:
    """Where changes are written: the live alias first (its result is the outcome), then others."""

    merchants: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    merchants_source: str | None = None  # where product upserts read their merchant's fields


class TargetGone(aliases.AliasError):
    """An alias the batch was writing to no longer exists (a reindex just went live and removed
    its ``-next`` alias): writes through the live alias reach that index now."""


class Contention(EngineUnavailable):
    """Writes kept conflicting or being refused with 429: send the batch again (it is idempotent)."""


class Applier:
    def __init__(
        self,
        es: Elasticsearch,
        settings: Settings,
        *,
        source: str = "panier",
        targets: Targets | None = None,
        log: bool = True,
        max_attempts: int = 6,
    ):
        self.es = es
        self.settings = settings
        self.source = source
        self.fixed_targets = targets
        self.log_changes = log
        self.max_attempts = max_attempts
        self.stats = ApplyStats()

    # -- targets ---------------------------------------------------------------------------------

    def targets(self) -> Targets:
        if self.fixed_targets is not None:
            return self.fixed_targets
        out = Targets(merchants_source=self.settings.alias("merchants"))
        for kind in ("merchants", "products"):
            alias = self.settings.alias(kind)
            names = [alias]
            if self.es.indices.exists_alias(name=aliases.next_alias(alias)):
                names.append(aliases.next_alias(alias))
            setattr(out, kind, names)
        return out

    # -- the batch -------------------------------------------------------------------------------

    def apply(self, changes: list[Change], owner: str | None = None) -> list[Outcome]:
        """Apply ``changes`` (in arrival order); one outcome per change.

        ``owner``: the merchant the changes come from (ingest endpoint); ``None`` for the admin's files.
        """
        try:
            return self._apply(changes, owner)
        except (elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout) as e:
            raise EngineUnavailable(f"the engine is unreachable ({e.message})") from e

    def _apply(self, changes: list[Change], owner: str | None) -> list[Outcome]:
        stats = ApplyStats()
        outcomes: list[Outcome | None] = [None] * len(changes)
        live = self.fixed_targets or Targets(
            [self.settings.alias("merchants")],
            [self.settings.alias("products")],
            self.settings.alias("merchants"),
        )
        live_m = live.merchants[0] if live.merchants else None
        live_p = live.products[0] if live.products else None
        by_kind: dict[str, list[int]] = {"merchant": [], "product": []}
        for position, change in enumerate(changes):
            by_kind[change.type].append(position)

        merchant_ids = {changes[i].id for i in by_kind["merchant"]}
        product_ids = {changes[i].id for i in by_kind["product"]}
        if owner is not None:  # refuse another merchant's listings before logging anything
            owned = self.read(live_p, product_ids) if live_p else {}
            self._check_owner(changes, owner, owned, outcomes)
        # Merchants a product upsert needs: from this batch, else from the merchants alias.
        wanted = {
            changes[i].record["merchant_id"]
            for i in by_kind["product"]
            if changes[i].op == "upsert" and outcomes[i] is None
        }
        batch_merchants = {changes[i].id for i in by_kind["merchant"] if outcomes[i] is None}
        source = live.merchants_source
        known = self.read(source, wanted - batch_merchants) if source and wanted - batch_merchants else {}
        for i in by_kind["product"]:
            change = changes[i]
            if outcomes[i] is None and change.op == "upsert":
                mid = change.record["merchant_id"]
                if mid not in batch_merchants and known.get(mid, (None,))[0] is None:
                    outcomes[i] = Outcome(REJECTED, f"merchant_id {mid!r} is not an indexed merchant")

        accepted = [c for c, o in zip(changes, outcomes, strict=True) if o is None]
        if self.log_changes:
            changelog.log(self.es, self.settings, accepted, self.source)
        # Only now look for a reindex's -next alias: a change logged before it appeared is replayed
        # by that reindex; one logged after sees it here (see indexer.batch.reindexing). The live alias is
        # written last, and read again when a -next exists: if the reindex went live in between,
        # that read (and so the write) lands on the new index, not on the one it replaced.
        targets = self.targets()
        # Read what the live aliases hold only now: read before that check, a document could come
        # from an index a reindex has just replaced, and the write would follow it there.
        merchants_now = self.read(live_m, merchant_ids) if live_m else {}
        products_now = self.read(live_p, product_ids) if live_p else {}

        merchant_groups = group(changes, by_kind["merchant"], outcomes)
        merchants_after: dict[str, Doc] = {}  # every merchant of the batch as it is now
        results = self._each_target(
            targets.merchants, merchant_groups, merchant_merger(changes), merchants_now, stats
        )
        for key, result in results.items():
            record(outcomes, merchant_groups[key], result)
            doc = result.doc if result.doc is not None else merchants_now[key][0]
            if doc is not None:
                merchants_after[key] = doc

        merchant_fields = {mid: documents.merchant_fields(cur[0]) for mid, cur in known.items() if cur[0]}
        merchant_fields |= {mid: documents.merchant_fields(doc) for mid, doc in merchants_after.items()}
        for i in by_kind["product"]:
            change = changes[i]
            mid = change.record["merchant_id"] if change.op == "upsert" else None
            if outcomes[i] is None and mid is not None and mid not in merchant_fields:
                outcomes[i] = Outcome(REJECTED, f"merchant_id {mid!r} could not be indexed")
        product_groups = group(changes, by_kind["product"], outcomes)
        merger = product_merger(changes, merchant_fields, documents.iso_utc(datetime.now(UTC)), owner)

        def then(index: str) -> None:
            # Every merchant of the batch, changed now or not: a change whose propagation was cut
            # short (crash, engine lost) finishes when it is sent again.
            for merchant in merchants_after.values():
                self.propagate(merchant, index, stats)
            self._recheck_merchants(index, product_groups, changes, merchant_fields, stats)

        results = self._each_target(targets.products, product_groups, merger, products_now, stats, then)
        for key, result in results.items():
            record(outcomes, product_groups[key], result)
        self.stats.add(stats)
        return [o or Outcome(STALE) for o in outcomes]

    def _each_target(
        self,
        names: list[str],
        groups: dict[str, list[int]],
        merger: Callable[[Doc | None, str, list[int]], Merged],
        live_now: Current,
        stats: ApplyStats,
        then: Callable[[str], None] | None = None,
    ) -> dict[str, Merged]:
        """Write ``groups`` to each target, the live one (first in ``names``) last; its results.

        A -next alias that vanished meanwhile (its reindex went live) is skipped. While one exists,
        the live documents are read again after it was written, not taken from ``live_now``.
        """
        results: dict[str, Merged] = {}
        for n, index in reversed(list(enumerate(names))):
            try:
                found = self._converge(index, groups, merger, live_now if len(names) == 1 else None, stats)
                if then is not None:
                    then(index)
            except TargetGone:
                if n == 0:
                    raise
                continue
            if n == 0:
                results = found
        return results

    def _recheck_merchants(
        self,
        index: str,
        groups: dict[str, list[int]],
        changes: list[Change],
        used: dict[str, Doc],
        stats: ApplyStats,
    ) -> None:
        """A merchant that changed while this batch wrote its listings (its propagation may have
        missed them): give those listings the merchant's newer fields."""
        listings: dict[str, list[str]] = defaultdict(list)
        for key, positions in groups.items():
            for i in positions:
                if changes[i].op == "upsert":
                    listings[changes[i].record["merchant_id"]].append(key)
        source = (self.fixed_targets.merchants_source if self.fixed_targets else None) or self.settings.alias(
            "merchants"
        )
        if not listings:
            return
        now = self.read(source, listings)
        for mid, (doc, *_rest) in now.items():
            if doc is None or documents.merchant_fields(doc)["updated_at"] == used[mid]["updated_at"]:
                continue
            fields = documents.merchant_fields(doc)
            self._converge(index, {key: [] for key in listings[mid]}, listing_merger(fields), None, stats)

    def _check_owner(
        self, changes: list[Change], owner: str, products_now: Current, outcomes: list[Outcome | None]
    ) -> None:
        for i, change in enumerate(changes):
            if change.type == "merchant":
                outcomes[i] = Outcome(FORBIDDEN, "merchant records are changed by the directory's admins")
                continue
            doc = products_now.get(change.id, (None,))[0]
            holder = ((doc or {}).get("merchant") or {}).get("id")
            if holder is not None and holder != owner:
                outcomes[i] = Outcome(FORBIDDEN, f"listing {change.id!r} belongs to another merchant")
            elif change.op == "upsert" and change.record["merchant_id"] != owner:
                outcomes[i] = Outcome(FORBIDDEN, "merchant_id must be your own merchant id")
            elif holder is None and change.op != "upsert":
                outcomes[i] = Outcome(NOT_FOUND, f"no listing {change.id!r}")

    # -- engine I/O ------------------------------------------------------------------------------

    def read(self, index: str, ids: Iterable[str]) -> Current:
        """Documents by id from ``index`` (an alias or an index), with their seq_no and the concrete
        index that holds them, so that a write goes exactly where the read came from."""
        ids = sorted(set(ids))
        if not ids:
            return {}
        response = self.es.mget(index=index, ids=ids)
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

    def _converge(
        self,
        index: str,
        groups: dict[str, list[int]],
        merger: Callable[[Doc | None, str, list[int]], Merged],
        current: Current | None,
        stats: ApplyStats,
    ) -> dict[str, Merged]:
        """Merge and write each record of ``groups`` into ``index`` until no write conflicts.

        Each write goes to the concrete index its document was read from, with that read's seq_no:
        if the alias moves in between, the write fails (409) and the record is read again.
        """
        merged_of: dict[str, Merged] = {}
        pending = dict(groups)
        attempt = 0
        while pending:
            attempt += 1
            if current is None or attempt > 1:
                current = {**(current or {}), **self.read(index, pending)}
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
            response = self.es.bulk(operations=b"".join(lines), filter_path=bulk_items.FILTER_PATH)
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
                if attempt >= self.max_attempts:
                    # Not the change's fault: the caller retries the batch (nothing of it is lost).
                    raise Contention(
                        f"{len(retry)} records still conflicting or refused (429) after {attempt} attempts"
                    )
                time.sleep(backoff_seconds(attempt + 1, base=0.02, cap=2.0))
                pending = retry
        return merged_of

    def propagate(self, merchant: Doc, index: str, stats: ApplyStats | None = None) -> int:
        """Give every listing of ``merchant`` in ``index`` its current fields; returns listings updated."""
        fields = documents.merchant_fields(merchant)
        try:
            # Listings written a moment ago are found only after a refresh.
            self.es.indices.refresh(index=index)
            hits = helpers.scan(
                self.es,
                index=index,
                query={"query": {"term": {"merchant.id": merchant["id"]}}},
                _source=False,
                size=1000,
            )
            ids = [hit["_id"] for hit in hits]
        except elasticsearch.NotFoundError as e:
            raise TargetGone(f"{index} does not exist") from e
        local = stats or ApplyStats()
        updated = 0
        for start in range(0, len(ids), PROPAGATE_CHUNK):
            groups: dict[str, list[int]] = {key: [] for key in ids[start : start + PROPAGATE_CHUNK]}
            results = self._converge(index, groups, listing_merger(fields), None, local)
            updated += sum(1 for r in results.values() if r.doc is not None and r.error is None)
        return updated


PROPAGATE_CHUNK = 500
