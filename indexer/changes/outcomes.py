"""What became of each change: one outcome per change, in the order the changes came."""

from __future__ import annotations

from dataclasses import dataclass

APPLIED, STALE, REJECTED, FORBIDDEN, NOT_FOUND = "applied", "stale", "rejected", "forbidden", "not_found"


@dataclass(slots=True)
class Outcome:
    status: str
    reason: str | None = None
