"""What a person watching a long run sees: a progress bar on a terminal, log lines otherwise,
and a summary table at the end."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tabulate import tabulate
from tqdm import tqdm

if TYPE_CHECKING:
    from indexer.batch.report import LoadReport

LOG_EVERY_SECONDS = 5.0


def count_lines(path: Path) -> int | None:
    """Lines in an uncompressed file, read in blocks (about 1 s per GB); None for .gz."""
    if path.suffix == ".gz":
        return None
    count = 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            count += block.count(b"\n")
    return count


class ProgressReporter:
    """Counts done items; a tqdm bar (docs/s, ETA) on a terminal, a plain line every few seconds otherwise."""

    def __init__(self, label: str, path: Path | None, total: int | None = None, stream=None):
        self.label = label
        self.stream = stream or sys.stderr
        self.total = total if total is not None else (count_lines(path) if path else None)
        self.done = 0
        self.started = time.monotonic()
        self._last_log = self.started
        self._lock = threading.Lock()
        self._bar = None
        if self.stream.isatty():
            self._bar = tqdm(total=self.total, desc=label, unit=" docs", unit_scale=True, file=self.stream)

    def advance(self, n: int) -> None:
        with self._lock:
            self.done += n
            if self._bar is not None:
                self._bar.update(n)
            else:
                self._maybe_log()

    def set(self, done: int) -> None:
        self.advance(done - self.done)

    def _maybe_log(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_log < LOG_EVERY_SECONDS:
            return
        self._last_log = now
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        of = f"/{self.total:,}" if self.total else ""
        eta = ""
        if self.total and rate > 0 and self.done < self.total:
            eta = f", ETA {int((self.total - self.done) / rate)} s"
        print(
            f"{self.label}: {self.done:,}{of} in {elapsed:.0f} s ({rate:,.0f}/s{eta})",
            file=self.stream,
            flush=True,
        )

    def __call__(self, n: int) -> None:
        self.advance(n)

    def __enter__(self) -> ProgressReporter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self.done:
            self._maybe_log(force=True)


def summary_table(reports: list[LoadReport]) -> str:
    """One row per load; a "not confirmed" column only when a run was cut short, so that each row
    still adds up (read = indexed + rejected + not confirmed)."""
    cut_short = any(r.unaccounted for r in reports)
    header = ("alias", "read", "indexed", "rejected", "seconds", "docs/s", "index", "alias moved")
    align = ("left", "right", "right", "right", "right", "right", "left", "left")
    if cut_short:
        header = (*header[:4], "not confirmed", *header[4:])
        align = (*align[:4], "right", *align[4:])
    rows = []
    for r in reports:
        row = [
            r.alias,
            f"{r.read:,}",
            f"{r.indexed:,}",
            f"{r.rejected:,}",
            f"{r.seconds:.1f}",
            f"{r.docs_per_second:,.0f}",
            r.index or "-",
            ("yes" if r.alias_moved else "NO") + (f" (from {', '.join(r.previous)})" if r.previous else ""),
        ]
        if cut_short:
            row.insert(4, f"{r.unaccounted:,}")
        rows.append(row)
    lines = [tabulate(rows, headers=header, tablefmt="simple", disable_numparse=True, colalign=align)]
    for r in reports:
        lines.extend(f"{r.alias}: {note}" for note in r.notes)
        if r.error:
            lines.append(f"{r.alias}: {r.error}")
        if r.unaccounted and "not confirmed" not in (r.error or ""):
            lines.append(f"{r.alias}: {r.reconciliation()}")
        if r.pruned:
            lines.append(f"{r.alias}: deleted old indices {', '.join(r.pruned)}")
    return "\n".join(lines)
