"""What shoppers may see, defined once.

A record is hidden from shoppers when it is a tombstone (``deleted``: a deleted record kept for its
version, so that an older change cannot bring it back) or when its merchant is not active. The same
rule is needed in three forms: a filter on the aliases (tombstones never reach a search), query
clauses on the active flag (a merchant's own, or the copy on each of its listings), and a test on one
document (lookups by id, which ignore alias filters, and type-ahead inputs).
"""

from __future__ import annotations

from typing import Any

TOMBSTONE = {"term": {"deleted": True}}
# On every alias and -next alias: searches through them never see tombstones.
ALIAS_FILTER = {"bool": {"must_not": TOMBSTONE}}
# ``must_not`` clauses: an inactive merchant, and the listings of one.
INACTIVE_MERCHANT = {"term": {"active": False}}
INACTIVE_STORE = {"term": {"merchant.active": False}}
# Type-ahead inputs and the change-ordering bookkeeping: stored, never part of an answer.
SUGGEST_FIELDS = ("suggest", "suggest_near", "category_suggest")
INTERNAL_FIELDS = (*SUGGEST_FIELDS, "versions", "deleted", "name_head")


def visible(document: dict[str, Any]) -> bool:
    """Whether shoppers may see ``document`` (a merchant, or a listing with its ``merchant``)."""
    if document.get("deleted"):
        return False
    merchant = document.get("merchant", document)
    return merchant.get("active", True) is not False
