"""The bulk benchmark's corpus: generated once, validated, written as the exact ``_bulk`` lines the
project sends, then read back by each method in the form it takes."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from bench.harness import say
from indexer.batch.loader import BulkOptions
from indexer.files.sources import read_records
from indexer.records import documents, schemas
from sample_data import generator

WORK = Path("/tmp/panier-bench")  # corpora, rejects; deleted at the end unless --keep-corpus
INDEXED_AT = "2026-11-25T00:00:00Z"
MIB = 1024 * 1024


def prepare(corpus: Path, merchants: int, listings: int, seed: int) -> tuple[Path, int]:
    """Generate the corpus and write its product documents as bulk lines, once; returns (file, docs)."""
    out = corpus / "products.bulk.ndjson"
    done = corpus / "prepared.count"
    if done.is_file():
        say(f"Reusing the prepared corpus in {corpus}.")
        return out, int(done.read_text())
    started = time.perf_counter()
    generator.generate(corpus, merchants=merchants, listings=listings, seed=seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    fields = {}
    for raw in read_records(corpus / "merchants.jsonl"):
        record = schemas.MERCHANT.load(raw.data)
        fields[record["id"]] = documents.merchant_fields(documents.merchant_document(record, INDEXED_AT))
    count = 0
    with open(out, "wb", buffering=1 << 20) as fh:
        for raw in read_records(corpus / "products.jsonl"):
            record = schemas.PRODUCT.load(raw.data)
            document = documents.product_document(record, fields[record["merchant_id"]], INDEXED_AT)
            # Byte for byte what indexer.batch.loader sends for this action.
            fh.write(b'{"create":{"_id":' + orjson.dumps(record["id"]) + b"}}\n")
            fh.write(orjson.dumps(document) + b"\n")
            count += 1
    done.write_text(str(count))
    say(
        f"Corpus: {merchants:,} merchants, {count:,} listings generated in {generated:.1f}s; "
        f"validated and built into documents in {time.perf_counter() - started:.1f}s "
        f"({out.stat().st_size / MIB:,.0f} MiB of bulk lines)."
    )
    return out, count


def read_pairs(path: Path) -> Iterator[tuple[bytes, bytes]]:
    with open(path, "rb", buffering=1 << 20) as fh:
        for header in fh:
            yield header, next(fh)


def read_documents(path: Path) -> Iterator[dict[str, Any]]:
    for _, source in read_pairs(path):
        yield orjson.loads(source)


def floor_bodies(pairs: Iterable[tuple[bytes, bytes]], options: BulkOptions) -> Iterator[tuple[bytes, int]]:
    """The project's chunking rule (bytes and documents) over lines that are already serialized."""
    parts: list[bytes] = []
    docs = size = 0
    for header, source in pairs:
        item = len(header) + len(source)
        if docs and (size + item > options.chunk_bytes or docs >= options.chunk_docs):
            yield b"".join(parts), docs
            parts, docs, size = [], 0, 0
        parts += (header, source)
        docs += 1
        size += item
    if docs:
        yield b"".join(parts), docs
