"""Documents -> engine, fast and without loss.

- bodies built by ``indexer.engine.bulk_items`` (orjson), chunks bounded by bytes (and documents),
  a few requests in flight;
- ``filter_path`` keeps responses to each item's status and error;
- every item's result is read: 429 and transient statuses are retried with bounded exponential
  backoff, permanent errors are returned as failures with the engine's reason (the caller writes
  them to the rejects file); whole-request failures (connection lost, 429/5xx) are retried the same
  way and, past the limit, raise ``EngineUnavailable`` with what was done so far.

Counting: each action ends exactly once, as indexed or as failed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import elasticsearch
from elasticsearch import Elasticsearch

from indexer.engine.bulk_items import (
    FILTER_PATH,
    RETRYABLE_STATUSES,
    EngineUnavailable,
    action_line,
    backoff_seconds,
    results,
    source_line,
)


@dataclass(slots=True)
class Action:
    """One document to index; ``ref`` travels with it to the caller's failure handling."""

    id: str
    document: dict[str, Any]
    ref: Any = None


@dataclass(slots=True)
class Failure:
    action_id: str
    ref: Any
    status: int
    reason: str


@dataclass
class BulkOptions:
    chunk_bytes: int = 4 * 1024 * 1024
    chunk_docs: int = 5_000
    concurrency: int = 2
    max_retries: int = 6
    backoff_seconds: float = 0.5
    max_backoff_seconds: float = 30.0
    op_type: str = "create"  # create: a duplicate id is an error, not a silent overwrite
    refresh: bool = False
    request_timeout: float = 120.0


@dataclass
class BulkResult:
    indexed: int = 0
    failures: list[Failure] = field(default_factory=list)
    requests: int = 0
    bytes_sent: int = 0

    @property
    def failed(self) -> int:
        return len(self.failures)


@dataclass(slots=True, frozen=True)
class Sent:
    id: str
    ref: Any


@dataclass(slots=True)
class _Chunk:
    lines: list[bytes]  # header + source per action, already serialized
    # Only what the per-item results need: keeping whole documents alive until the response
    # arrives cost more in garbage collection than anything else in the loader.
    actions: list[Sent]
    size: int
    attempt: int = 0
    # Set after a failure whose outcome we cannot know (connection lost, timeout, 5xx from a proxy):
    # the engine may have indexed the chunk, so a 409 on resending means "already there", not a
    # duplicate line. (A true duplicate inside such a chunk would then be miscounted; the batch
    # loader's count verification catches that and refuses to swap the alias.)
    uncertain: bool = False


def chunk_actions(actions: Iterable[Action], options: BulkOptions) -> Iterator[_Chunk]:
    """Serialized bulk requests of at most ``options.chunk_bytes`` and ``options.chunk_docs``."""
    op = options.op_type
    lines: list[bytes] = []
    batch: list[Sent] = []
    size = 0
    for action in actions:
        header = action_line(op, {"_id": action.id})
        source = source_line(action.document)
        item_size = len(header) + len(source)
        if batch and (size + item_size > options.chunk_bytes or len(batch) >= options.chunk_docs):
            yield _Chunk(lines, batch, size)
            lines, batch, size = [], [], 0
        lines.append(header)
        lines.append(source)
        batch.append(Sent(action.id, action.ref))
        size += item_size
    if batch:
        yield _Chunk(lines, batch, size)


class _Loader:
    def __init__(self, es: Elasticsearch, index: str, options: BulkOptions, on_progress):
        self.es = es
        self.index = index
        self.options = options
        self.on_progress = on_progress
        self.result = BulkResult()
        self.lock = threading.Lock()

    def _backoff(self, attempt: int) -> float:
        return backoff_seconds(attempt, self.options.backoff_seconds, self.options.max_backoff_seconds)

    def send(self, chunk: _Chunk) -> _Chunk | None:
        """Send one chunk; returns a chunk of items to retry, or None when every item has ended."""
        body = b"".join(chunk.lines)
        try:
            response = self.es.bulk(
                operations=body,
                index=self.index,
                filter_path=FILTER_PATH,
                refresh=self.options.refresh,
            )
        except (elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout) as e:
            return self._retry_whole(chunk, f"connection: {e.message}", uncertain=True)
        except elasticsearch.ApiError as e:
            if e.meta.status in RETRYABLE_STATUSES:
                return self._retry_whole(chunk, f"HTTP {e.meta.status}", uncertain=e.meta.status != 429)
            raise
        with self.lock:
            self.result.requests += 1
            self.result.bytes_sent += len(body)
        if not response.get("errors"):
            self._ended(indexed=len(chunk.actions))
            return None
        retry_lines: list[bytes] = []
        retry_actions: list[Sent] = []
        failures: list[Failure] = []
        indexed = 0
        for position, result in enumerate(results(response)):
            status = result.status
            action = chunk.actions[position]
            if status < 300 or (status == 409 and chunk.uncertain):
                indexed += 1
            elif status in RETRYABLE_STATUSES and chunk.attempt < self.options.max_retries:
                retry_lines += chunk.lines[2 * position : 2 * position + 2]
                retry_actions.append(action)
            else:
                reason = result.describe()
                if status == 409 and self.options.op_type == "create":
                    reason = (
                        f"duplicate id {action.id!r}: a record with this id was already loaded ({reason})"
                    )
                elif status in RETRYABLE_STATUSES:
                    reason = f"gave up after {chunk.attempt} retries: {reason}"
                failures.append(Failure(action.id, action.ref, status, reason))
        with self.lock:
            self.result.failures.extend(failures)
        self._ended(indexed=indexed, failed=len(failures))
        if not retry_actions:
            return None
        time.sleep(self._backoff(chunk.attempt + 1))
        return _Chunk(
            retry_lines, retry_actions, sum(map(len, retry_lines)), chunk.attempt + 1, chunk.uncertain
        )

    def _retry_whole(self, chunk: _Chunk, why: str, uncertain: bool) -> _Chunk:
        if chunk.attempt >= self.options.max_retries:
            raise EngineUnavailable(
                f"the engine failed the same bulk request {chunk.attempt + 1} times ({why}); stopping",
                self.result,
            )
        time.sleep(self._backoff(chunk.attempt + 1))
        chunk.attempt += 1
        chunk.uncertain = chunk.uncertain or uncertain
        return chunk

    def _ended(self, indexed: int, failed: int = 0) -> None:
        with self.lock:
            self.result.indexed += indexed
        if self.on_progress and (indexed or failed):
            self.on_progress(indexed + failed)

    def send_until_done(self, chunk: _Chunk) -> None:
        pending: _Chunk | None = chunk
        while pending is not None:
            pending = self.send(pending)


def bulk_load(
    es: Elasticsearch,
    index: str,
    actions: Iterable[Action],
    options: BulkOptions | None = None,
    on_progress: Callable[[int], None] | None = None,
    result: BulkResult | None = None,
) -> BulkResult:
    """Index ``actions`` into ``index``; returns counts and the failures (to write to rejects).

    ``result``, when given, is filled as items end, so that a caller whose load is cut short by any
    exception (not only ``EngineUnavailable``) still knows what was confirmed.
    """
    options = options or BulkOptions()
    # Our own retries only: a transport-level retry of a bulk request would be invisible to the
    # per-item accounting above.
    es = es.options(request_timeout=options.request_timeout, max_retries=0, retry_on_timeout=False)
    loader = _Loader(es, index, options, on_progress)
    if result is not None:
        loader.result = result
    if options.concurrency <= 1:
        for chunk in chunk_actions(actions, options):
            loader.send_until_done(chunk)
        return loader.result
    in_flight: set[Future] = set()
    with ThreadPoolExecutor(max_workers=options.concurrency, thread_name_prefix="panier-bulk") as pool:
        try:
            for chunk in chunk_actions(actions, options):
                in_flight.add(pool.submit(loader.send_until_done, chunk))
                if len(in_flight) >= options.concurrency:
                    done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                    for future in done:
                        future.result()  # re-raises EngineUnavailable / unexpected API errors
            for future in in_flight:
                future.result()
        except BaseException:
            for future in in_flight:
                future.cancel()
            raise
    return loader.result
