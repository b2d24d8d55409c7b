"""Applying changes to the engine: coalesce, check ownership, log, merge, write with compare-and-set.

One ``Applier.apply(batch)`` call:

1. for the ingest endpoint, reads the listings concerned and refuses the changes a merchant does
   not own; reads the merchants that new listings need; refuses changes that arrive later than the
   late-change window allows (``indexer.changes.retention``: what makes purging tombstones safe);
2. writes the accepted changes to the changes log (``indexer.changes.changelog``) before touching any
   document;
3. for each record, merges all of its changes in the batch into one new document (bursts for one
   listing cost one write) and writes it with ``if_seq_no``/``if_primary_term`` (``create`` for a new
   id): a concurrent writer makes the item fail with 409 and the record is read and merged again;
4. carries merchants' new fields to their listings.

Documents are read with ``mget``: four reads a batch (the owner check, the merchants new listings
need, and the merchants and listings as they are just before writing), plus one per extra target
while a reindex is going live.

Writes go to the live aliases and, while a full reindex is about to go live, also to the
``<alias>-next`` alias of the index it built (see ``indexer.batch.reindexing``).

This module decides what is written where (targets, the ownership check, the batch's order);
``indexer.changes.mergers`` merges a record's changes into its document, ``indexer.changes.writes``
does the reads and the compare-and-set writes (step 3), and ``indexer.changes.propagation`` carries
merchants' fields to their listings (step 4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import elasticsearch
from elasticsearch import Elasticsearch

from indexer.changes import changelog, propagation, retention, writes
from indexer.changes.clock import engine_now
from indexer.changes.mergers import Merged, group, merchant_merger, product_merger, record
from indexer.changes.outcomes import FORBIDDEN, NOT_FOUND, REJECTED, STALE, Outcome
from indexer.changes.writes import ApplyStats, Current, Doc, TargetGone
from indexer.engine import aliases
from indexer.engine.bulk_items import EngineUnavailable
from indexer.records import documents
from indexer.records.change_lines import Change
from panier_core.settings import Settings


@dataclass
class Targets:
    """Where changes are written: the live alias first (its result is the outcome), then others."""

    merchants: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    merchants_source: str | None = None  # where product upserts read their merchant's fields


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

    def _merchants_source(self) -> str:
        """Where merchants are read once the batch is written (for ``recheck_merchants``)."""
        fixed = self.fixed_targets.merchants_source if self.fixed_targets else None
        return fixed or self.settings.alias("merchants")

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

        if self.log_changes:  # fresh changes; a replay's were bound when they arrived
            self._refuse_late(changes, outcomes)
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
            propagation.recheck_merchants(
                self.es,
                self._merchants_source(),
                index,
                product_groups,
                changes,
                merchant_fields,
                stats,
                max_attempts=self.max_attempts,
            )

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
                current = live_now if len(names) == 1 else None
                found = writes.converge(
                    self.es, index, groups, merger, current, stats, max_attempts=self.max_attempts
                )
                if then is not None:
                    then(index)
            except TargetGone:
                if n == 0:
                    raise
                continue
            if n == 0:
                results = found
        return results

    def _refuse_late(self, changes: list[Change], outcomes: list[Outcome | None]) -> None:
        """Refuse changes older than the late-change window: what makes purging tombstones safe."""
        days = self.settings.late_change_days
        if not days:
            return
        now = engine_now(self.es)
        for i, change in enumerate(changes):
            if outcomes[i] is None and retention.too_late(change.version, now, days):
                outcomes[i] = Outcome(
                    REJECTED,
                    f"updated_at is more than {days} days before its arrival (PANIER_LATE_CHANGE_DAYS): "
                    "too late to be ordered safely; send the record again with a current updated_at",
                )

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

    # -- engine I/O (indexer.changes.writes, indexer.changes.propagation) -------------------------

    def read(self, index: str, ids: Iterable[str]) -> Current:
        """Documents by id from ``index``, with what a compare-and-set write needs (``writes.read``)."""
        return writes.read(self.es, index, ids)

    def propagate(self, merchant: Doc, index: str, stats: ApplyStats | None = None) -> int:
        """Give every listing of ``merchant`` in ``index`` its current fields; returns listings updated."""
        return propagation.propagate(self.es, merchant, index, stats, max_attempts=self.max_attempts)
