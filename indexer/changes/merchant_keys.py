"""Merchants' API keys for the ingest endpoint, stored hashed in the engine.

A key reads ``pk_<key id>_<secret>``. The engine keeps the key id, the merchant it belongs to and a
SHA-256 of the secret (the secret has 256 random bits, so a fast hash is enough); the secret itself
is shown once, when the key is created, and never stored or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from elasticsearch import Elasticsearch, NotFoundError

from indexer.engine.internal_indices import ensure_internal_index
from indexer.records.visibility import visible
from panier_core.settings import Settings

KEYS_INDEX = "panier-keys"
PREFIX = "pk_"


class KeyError_(ValueError):
    """A key operation that cannot be done; the message says why."""


@dataclass
class KeyInfo:
    key_id: str
    merchant_id: str
    created_at: str
    revoked_at: str | None = None
    label: str | None = None


KEYS_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "key_id": {"type": "keyword"},
        "merchant_id": {"type": "keyword"},
        "secret_sha256": {"type": "keyword", "index": False},
        "created_at": {"type": "date"},
        "revoked_at": {"type": "date"},
        "label": {"type": "keyword"},
    },
}


def _index(es: Elasticsearch, settings: Settings) -> str:
    return ensure_internal_index(es, settings.alias(KEYS_INDEX), KEYS_MAPPINGS)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(es: Elasticsearch, settings: Settings, merchant_id: str, label: str | None = None) -> str:
    """A new key for ``merchant_id`` (which must be indexed); returns the key, to show once."""
    try:
        merchant = es.get(index=settings.alias("merchants"), id=merchant_id, _source=["deleted"])
    except NotFoundError:
        merchant = None
    if merchant is None or merchant["_source"].get("deleted"):
        raise KeyError_(f"no merchant {merchant_id!r} in {settings.alias('merchants')!r}")
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    document = {
        "key_id": key_id,
        "merchant_id": merchant_id,
        "secret_sha256": _digest(secret),
        "created_at": datetime.now(UTC).isoformat(),
        "label": label,
    }
    es.index(index=_index(es, settings), id=key_id, document=document, op_type="create", refresh=True)
    return f"{PREFIX}{key_id}_{secret}"


def verify(es: Elasticsearch, settings: Settings, key: str) -> str | None:
    """The merchant id a key belongs to, or None when it is malformed, unknown or revoked."""
    if not key.startswith(PREFIX) or key.count("_") < 2:
        return None
    key_id, _, secret = key[len(PREFIX) :].partition("_")
    if not key_id.isalnum() or len(key_id) > 32:
        return None
    try:
        source = es.get(index=settings.alias(KEYS_INDEX), id=key_id)["_source"]
    except NotFoundError:
        return None
    if source.get("revoked_at") or not hmac.compare_digest(source["secret_sha256"], _digest(secret)):
        return None
    return source["merchant_id"]


def merchant_active(es: Elasticsearch, settings: Settings, merchant_id: str) -> bool:
    """A deactivated or deleted merchant's keys no longer change anything (shoppers do not see it)."""
    try:
        source = es.get(index=settings.alias("merchants"), id=merchant_id, _source=["active", "deleted"])[
            "_source"
        ]
    except NotFoundError:
        return False
    return visible(source)


def list_keys(es: Elasticsearch, settings: Settings, merchant_id: str | None = None) -> list[KeyInfo]:
    index = settings.alias(KEYS_INDEX)
    if not es.indices.exists(index=index):
        return []
    query = {"term": {"merchant_id": merchant_id}} if merchant_id else {"match_all": {}}
    es.indices.refresh(index=index)
    hits = es.search(index=index, query=query, size=10_000, sort=[{"created_at": "asc"}])["hits"]["hits"]
    return [
        KeyInfo(
            key_id=h["_source"]["key_id"],
            merchant_id=h["_source"]["merchant_id"],
            created_at=h["_source"]["created_at"],
            revoked_at=h["_source"].get("revoked_at"),
            label=h["_source"].get("label"),
        )
        for h in hits
    ]


def revoke(es: Elasticsearch, settings: Settings, key_id: str) -> KeyInfo:
    """Revoke a key (by its id, or the whole key); it fails from the next request on."""
    if key_id.startswith(PREFIX):
        key_id = key_id[len(PREFIX) :].partition("_")[0]
    index = settings.alias(KEYS_INDEX)
    try:
        source = es.get(index=index, id=key_id)["_source"]
    except NotFoundError:
        raise KeyError_(f"no key {key_id!r}") from None
    if not source.get("revoked_at"):
        source["revoked_at"] = datetime.now(UTC).isoformat()
        es.index(index=index, id=key_id, document=source, refresh=True)
    return KeyInfo(
        key_id=key_id,
        merchant_id=source["merchant_id"],
        created_at=source["created_at"],
        revoked_at=source["revoked_at"],
        label=source.get("label"),
    )
