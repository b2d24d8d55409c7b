"""Files -> raw records, streaming: constant memory whatever the file size.

JSON Lines (``.jsonl``, ``.ndjson``, ``.json``) or CSV (``.csv``) of the contract's fields, UTF-8,
optionally gzipped (``.gz``). CSV headers name nested fields with dots (``address.city``,
``location.lat``, ``stock.quantity``) and lists are ``|``-separated (``Épicerie|Fromagerie``).
A line that cannot be decoded or parsed is still yielded, with ``error`` set, so that it reaches
the rejects file with its line number instead of stopping the run.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

LIST_FIELDS = {"categories", "services", "certifications"}
INT_FIELDS = {"stock.quantity"}
FLOAT_FIELDS = {"location.lat", "location.lon", "price"}
BOOL_FIELDS = {"quebec_product", "active"}
_TRUE = {"true", "1", "oui", "yes", "vrai"}
_FALSE = {"false", "0", "non", "no", "faux", ""}


@dataclass(frozen=True, slots=True)
class RawRecord:
    source: str
    line: int
    raw: str
    data: dict[str, Any] | None
    error: str | None = None


def _open_binary(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def _format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    last = suffixes[-1] if suffixes else ""
    if last in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if last == ".csv":
        return "csv"
    raise ValueError(f"{path.name}: unknown format; use .jsonl, .ndjson, .json or .csv (optionally .gz)")


def read_records(path: Path) -> Iterator[RawRecord]:
    """Every non-blank line of ``path`` as a RawRecord, in file order."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    fmt = _format(path)
    with _open_binary(path) as fh:
        yield from (_read_jsonl(path, fh) if fmt == "jsonl" else _read_csv(path, fh))


def _read_jsonl(path: Path, fh: IO[bytes]) -> Iterator[RawRecord]:
    source = str(path)
    for number, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as e:
            raw = line.decode("utf-8", errors="replace").rstrip("\r\n")
            yield RawRecord(source, number, raw, None, f"not valid UTF-8 at byte {e.start}")
            continue
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as e:
            yield RawRecord(source, number, text, None, f"not valid JSON: {e}")
            continue
        if not isinstance(data, dict):
            yield RawRecord(source, number, text, None, f"expected a JSON object, got {type(data).__name__}")
            continue
        yield RawRecord(source, number, text, data)


def _read_csv(path: Path, fh: IO[bytes]) -> Iterator[RawRecord]:
    with io.TextIOWrapper(fh, encoding="utf-8", errors="strict", newline="") as text:
        yield from _read_csv_text(str(path), text)


def _read_csv_text(source: str, text: IO[str]) -> Iterator[RawRecord]:
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        return
    except UnicodeDecodeError as e:
        raise ValueError(f"{source}: header is not valid UTF-8") from e
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as e:
            # The decoder cannot resynchronise inside a CSV stream; report and stop honestly.
            yield RawRecord(
                source, reader.line_num + 1, "", None, f"not valid UTF-8 ({e.reason}); rest of file skipped"
            )
            return
        except csv.Error as e:
            yield RawRecord(source, reader.line_num, "", None, f"not valid CSV: {e}")
            continue
        line_number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        raw = ",".join(row)
        if len(row) != len(header):
            yield RawRecord(source, line_number, raw, None, f"expected {len(header)} columns, got {len(row)}")
            continue
        try:
            yield RawRecord(source, line_number, raw, _nest(dict(zip(header, row, strict=True))))
        except ValueError as e:
            yield RawRecord(source, line_number, raw, None, str(e))


def _convert(key: str, value: str) -> Any:
    if key in LIST_FIELDS:
        return [v.strip() for v in value.split("|") if v.strip()]
    if value == "":
        return None
    if key in INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            return value  # the schema names the field and the reason
    if key in FLOAT_FIELDS:
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return value
    if key in BOOL_FIELDS:
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        return value
    return value


def _nest(flat: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        converted = _convert(key, value)
        if converted is None:
            continue
        parts = key.split(".")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ValueError(f"column {key!r} conflicts with another column")
        node[parts[-1]] = converted
    return out


EXPORT_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".csv", ".csv.gz")


def export_files(what: str, source: Path) -> list[tuple[str, Path]]:
    """The ``(kind, path)`` pairs to load for ``what`` (merchants, products or all) from ``source``:
    a file (one kind), or a directory holding ``merchants.jsonl`` and ``products.jsonl`` (or .csv, .gz).
    """
    kinds = ["merchants", "products"] if what == "all" else [what]
    if source.is_file():
        if len(kinds) > 1:
            raise ValueError("`all` needs a directory holding merchants.* and products.*")
        return [(kinds[0], source)]
    found = []
    for kind in kinds:
        existing = [source / f"{kind}{ext}" for ext in EXPORT_SUFFIXES if (source / f"{kind}{ext}").is_file()]
        if not existing:
            raise ValueError(f"no {kind}.jsonl (or .csv, .gz) in {source}")
        found.append((kind, existing[0]))
    return found
