"""What a reindex did: the counts of one kind's load, and the error that stops one before the swap.

The counts always add up: read = indexed + rejected + not confirmed. "Not confirmed" is only ever
non-zero when a run was cut short (the engine lost, the process interrupted): records read from the
file whose bulk request was queued, in flight or unanswered when the run stopped. The engine may
hold some of them, but the index they went to is discarded, so none of them is live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ReindexError(RuntimeError):
    """The reindex stopped before the swap; the live alias is untouched. The message says why."""

    def __init__(self, message: str, report: LoadReport):
        super().__init__(message)
        self.report = report
        self.reports = [report]  # with ``reindex_all``: every load of the run so far, this one last


@dataclass
class LoadReport:
    kind: str
    alias: str
    source: str
    read: int = 0
    indexed: int = 0
    rejected: int = 0
    seconds: float = 0.0
    index: str | None = None
    alias_moved: bool = False
    previous: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    replayed: int = 0  # live changes applied to the new index before the swap
    error: str | None = None
    # Why the records counted in ``unaccounted`` were not confirmed ("engine lost", "interrupted").
    stopped_by: str | None = None
    # What the run did besides loading: a stale lock taken over, debris of earlier runs deleted.
    notes: list[str] = field(default_factory=list)
    debris: list[str] = field(default_factory=list)  # half-built indices of failed runs deleted
    # Merchants only: the fields a listing takes from each merchant this load indexed, so that a
    # products load in the same run (``reindex_all``) needs no read of the merchants alias.
    merchants: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def docs_per_second(self) -> float:
        return self.indexed / self.seconds if self.seconds else 0.0

    @property
    def unaccounted(self) -> int:
        """Records read that ended neither indexed nor rejected (only when a run was cut short)."""
        return self.read - self.indexed - self.rejected

    def reconciliation(self) -> str:
        """The counts as a sum that adds up, naming the missing category when there is one:
        ``read 44,929 = indexed 37,463 + rejected 0 + not confirmed 7,466 (engine lost)``."""
        text = f"read {self.read:,} = indexed {self.indexed:,} + rejected {self.rejected:,}"
        if self.unaccounted:
            text += f" + not confirmed {self.unaccounted:,} ({self.stopped_by or 'run stopped'})"
        return text
