"""What a reindex did: the counts of one kind's load, and the error that stops one before the swap."""

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
