"""Random picks the merchants and the listings share: weighted draws and update times."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, timedelta

_DAYS = [(date(2025, 11, 20) + timedelta(days=d)).isoformat() for d in range(365)]  # a year up to 2026-11-19


def cumulative(weights: Iterable[float]) -> list[float]:
    """Running totals of ``weights``: ``bisect(cum, rng.random() * cum[-1])`` then draws an index."""
    out, total = [], 0.0
    for x in weights:
        total += x
        out.append(total)
    return out


def timestamp(rng: random.Random) -> str:
    """An ``updated_at`` in the year up to 2026-11-19, to the second."""
    day, seconds = divmod(int(rng.random() * 31_536_000), 86_400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{_DAYS[day]}T{hours:02d}:{minutes:02d}:{seconds:02d}Z"
