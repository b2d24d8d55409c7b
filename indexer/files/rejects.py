"""The rejects file: every record that was not indexed, with where it came from and why.

JSON Lines, one object per rejected record::

    {"type": "product", "stage": "validation", "source": "products.jsonl", "line": 12,
     "id": "p-1", "raw": "<the line as read>", "reasons": ["price: Must be greater than or equal to 0…"]}

``stage`` is ``read`` (not JSON/CSV), ``validation`` (schema or unknown merchant) or ``engine``
(the engine refused the document; the reason is the engine's). The file is created on the first
reject only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import orjson


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record came from, carried alongside it until it is indexed or rejected."""

    source: str
    line: int
    raw: str


def default_path(kind: str) -> Path:
    """``rejects/<kind>-<UTC time>.jsonl``: where a run's rejects go when no file is given."""
    return Path("rejects") / f"{kind}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.jsonl"


class RejectsFile:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.count = 0
        self._fh: IO[bytes] | None = None
        self._lock = threading.Lock()

    def write(
        self, kind: str, stage: str, origin: Origin, reasons: list[str], record_id: str | None = None
    ) -> None:
        entry = {
            "type": kind,
            "stage": stage,
            "source": origin.source,
            "line": origin.line,
            "id": record_id,
            "raw": origin.raw,
            "reasons": reasons,
        }
        with self._lock:
            if self._fh is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fh = open(self.path, "ab")  # noqa: SIM115 - kept open across writes, closed by close()
            self._fh.write(orjson.dumps(entry) + b"\n")
            self.count += 1

    def summary(self) -> str:
        """A line to print after a run's summary ("" when nothing was rejected), newline first."""
        return f"\nRejects: {self.count:,} in {self.path}" if self.count else ""

    def close(self) -> None:
        with self._lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = None

    def __enter__(self) -> RejectsFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
