"""The ``_bulk`` wire format, in one place: NDJSON bodies out, per-item results back.

Every writer of Panier (the batch loader, the changes applier, the changes log, search analytics)
builds its bodies and reads its answers here, so that "which statuses are worth a retry" and "how
an engine error reads in a rejects file" have one definition.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

# Worth sending again: the engine is overloaded (429) or a proxy in front of it is (5xx).
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
# Keeps a bulk answer to what ``results`` reads.
FILTER_PATH = "errors,items.*.status,items.*.error.type,items.*.error.reason,items.*.error.caused_by.reason"
CREATE = b'{"create":{}}\n'  # data streams and the changes log take op_type create only


class EngineUnavailable(RuntimeError):
    """The engine could not be reached, or kept refusing whole requests after every retry.

    ``result`` carries what a loader had done by then (None where nothing was counted). What was
    sent may be partly applied: every writer of Panier is safe to run again.
    """

    def __init__(self, message: str, result: Any = None):
        super().__init__(message)
        self.result = result


@dataclass(slots=True, frozen=True)
class ItemResult:
    status: int
    error: dict[str, Any] | None

    @property
    def ok(self) -> bool:
        return self.status < 300

    @property
    def retryable(self) -> bool:
        return self.status in RETRYABLE_STATUSES

    @property
    def error_type(self) -> str | None:
        return (self.error or {}).get("type")

    def describe(self) -> str:
        return describe(self.error or {})


def describe(error: dict[str, Any]) -> str:
    """An engine error as one line: ``type: reason (cause)``."""
    reason = f"{error.get('type', 'error')}: {error.get('reason', '')}".strip()
    caused = (error.get("caused_by") or {}).get("reason")
    return f"{reason} ({caused})" if caused else reason


def action_line(op: str, meta: dict[str, Any]) -> bytes:
    """The action line of one item, e.g. ``{"create":{"_id":"m-1"}}`` and its newline."""
    return orjson.dumps({op: meta}) + b"\n"


def source_line(document: dict[str, Any], default: Callable[[Any], Any] | None = None) -> bytes:
    """One document as a line; a value orjson cannot write raises unless ``default`` converts it."""
    return orjson.dumps(document, default=default) + b"\n"


def create_body(documents: Iterable[dict[str, Any]], default: Callable[[Any], Any] | None = None) -> bytes:
    """``create`` items with engine-assigned ids, into the index or data stream named by the request."""
    return b"".join(CREATE + source_line(doc, default) for doc in documents)


def results(response: Any) -> Iterator[ItemResult]:
    """One result per item, in the order they were sent."""
    for item in response.get("items") or ():
        result = next(iter(item.values()))
        yield ItemResult(result.get("status", 500), result.get("error"))


def first_error(response: Any) -> str | None:
    """The first refused item's error, described; None when every item succeeded."""
    if not response.get("errors"):
        return None
    return next((r.describe() for r in results(response) if not r.ok), "unknown error")


def backoff_seconds(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff for retry ``attempt`` (1, 2, …), capped, with "equal jitter": between half
    and all of it, so that writers retrying together do not come back together."""
    return min(cap, base * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)
