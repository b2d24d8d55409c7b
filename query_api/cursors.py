"""``next_cursor`` of ``/v1/merchants``: where the next page starts, as a token clients cannot read,
forge or alter, and that only the search it came from takes back.

A cursor holds the engine's sort values of the page's last hit (what ``search_after`` takes) and a
digest of its search: every parameter that chooses or orders the hits (all but ``page``,
``per_page``, ``zoom`` and ``cursor`` itself, as validated, so ``sort`` left out and
``sort=relevance`` are the same search). itsdangerous signs the two with ``PANIER_CURSOR_SECRET``
(HMAC-SHA256). ``Cursors.open`` refuses, each with its own reason (a 400 naming ``cursor``):

- a token whose signature does not verify: made up, altered, cut, or signed with another secret;
- a cursor of another search (other words, filters, place or sort);
- sort values that do not fit this search's sort (their number, a finite number where the engine
  sorts by score or distance), say a cursor issued before a change of the sort.

A new secret therefore refuses the cursors issued before it: those clients start again from page 1.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

from itsdangerous import BadData, URLSafeSerializer

SALT = "panier.merchants.cursor"
NOT_A_SEARCH_PARAMETER = frozenset({"cursor", "page", "per_page", "zoom"})
MAX_CHARS = 500  # a genuine cursor is about 120 characters long
AGAIN = "; start again from the first page (without cursor)"
FORGED = "not a cursor this API issued: altered, cut or made up" + AGAIN
FOREIGN = "this cursor belongs to another search (other words, filters, place or sort)" + AGAIN
MISFIT = "this cursor does not fit this search's sort (issued by an older version?)" + AGAIN


class CursorError(ValueError):
    """A cursor this search does not take back; the message says why, for the shopper's client."""


def search_digest(params: Mapping[str, Any]) -> str:
    """What identifies a search among the validated parameters: the same for every page of it."""
    search = {k: v for k, v in params.items() if k not in NOT_A_SEARCH_PARAMETER}
    canonical = json.dumps(search, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


class Cursors:
    """Seals and opens the cursors of one search (its validated parameters)."""

    def __init__(self, secret: str, params: Mapping[str, Any]):
        self._serializer = URLSafeSerializer(
            secret, salt=SALT, signer_kwargs={"digest_method": hashlib.sha256}
        )
        self._search = search_digest(params)

    def seal(self, sort_values: list[Any]) -> str:
        """The cursor of the page whose last hit has these sort values."""
        return self._serializer.dumps([self._search, sort_values])

    def open(self, token: str, sort: list[Any]) -> list[Any]:
        """The sort values a cursor of this search holds, for an engine request sorted by ``sort``;
        ``CursorError`` for anything else."""
        if len(token) > MAX_CHARS:
            raise CursorError(FORGED)
        try:
            payload = self._serializer.loads(token)
        except BadData:
            raise CursorError(FORGED) from None
        # Signed by us, so well formed, unless the secret leaked: checked all the same.
        if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[1], list)):
            raise CursorError(FORGED)
        search, values = payload
        if search != self._search:
            raise CursorError(FOREIGN)
        if len(values) != len(sort) or not all(map(_fits, sort, values)):
            raise CursorError(MISFIT)
        return values


def _fits(key: Any, value: Any) -> bool:
    """Whether ``value`` can be ``search_after``'s value for the sort ``key``: a finite number for
    the score and distances; a string or finite number for a field."""
    if isinstance(value, bool):
        number = False
    elif isinstance(value, int):
        number = -(2**63) <= value < 2**63  # a long, as the engine's sort values are
    else:
        number = isinstance(value, float) and math.isfinite(value)
    if key == "_score" or (isinstance(key, dict) and "_geo_distance" in key):
        return number
    return number or isinstance(value, str)
