"""The engine's clock, as the changes path uses it: ``received_at``, the log's day, the late-change bound.

Panier's writers (followers, ``panier apply``, the ingest API's workers) run on several machines
whose wall clocks may be wrong; the changes log must not depend on them, since a replay selects
entries by ``received_at`` and pruning deletes whole days. So the time is the engine's: read from
the node that answers (``GET _nodes/_local/stats``, its ``timestamp`` in milliseconds) once every
few minutes, and carried forward with this process's monotonic clock, which a wrong or stepped wall
clock does not affect. The error is half a round trip plus the monotonic clock's drift over
``RESYNC_SECONDS`` (parts per million): milliseconds.

Why not an ingest pipeline setting ``received_at`` from ``{{_ingest.timestamp}}``: the local engine
has no ingest processors at all (``GET _nodes/ingest`` lists none: they live in the ingest-common
module, which Elastic does not publish to Maven Central), and a pipeline would stamp the field but
not choose the day's index, which pruning relies on.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from datetime import UTC, datetime

from elasticsearch import Elasticsearch

RESYNC_SECONDS = 300.0


class EngineClock:
    """``now()``: the engine's time, from one reading carried forward by ``monotonic``.

    Never goes backwards within a process (a resync that lands a few milliseconds earlier than
    the carried-forward time is held at the last value given).
    """

    def __init__(
        self,
        read_engine_millis: Callable[[], int],
        *,
        monotonic: Callable[[], float] = time.monotonic,
        resync_seconds: float = RESYNC_SECONDS,
    ):
        self._read = read_engine_millis
        self._monotonic = monotonic
        self._resync = resync_seconds
        self._base: tuple[float, float] | None = None  # (engine millis, monotonic seconds) of a reading
        self._last = 0.0
        self._lock = threading.Lock()

    def millis(self) -> int:
        with self._lock:
            now = self._monotonic()
            if self._base is None or now - self._base[1] > self._resync:
                before = self._monotonic()
                engine = self._read()
                after = self._monotonic()
                self._base = (float(engine), (before + after) / 2)  # read halfway through the round trip
                now = after
            engine_ms, at = self._base
            self._last = max(self._last, engine_ms + (now - at) * 1000.0)
            return int(self._last)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.millis() / 1000, UTC)


def _node_millis(client: weakref.ref[Elasticsearch]) -> int:
    es = client()
    if es is None:  # pragma: no cover - the clock goes with its client
        raise RuntimeError("the engine client of this clock was closed")
    answer = es.nodes.stats(node_id="_local", metric="os", filter_path="nodes.*.timestamp")
    return int(next(iter(answer["nodes"].values()))["timestamp"])


# One clock per client, forgotten with it (the reader holds the client weakly, so it can go).
_clocks: weakref.WeakKeyDictionary[Elasticsearch, EngineClock] = weakref.WeakKeyDictionary()
_clocks_lock = threading.Lock()


def engine_clock(es: Elasticsearch) -> EngineClock:
    with _clocks_lock:
        clock = _clocks.get(es)
        if clock is None:
            ref = weakref.ref(es)
            clock = _clocks[es] = EngineClock(lambda: _node_millis(ref))
        return clock


def engine_now(es: Elasticsearch) -> datetime:
    """The engine's time now (see the module's docstring)."""
    return engine_clock(es).now()
