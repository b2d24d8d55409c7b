"""Listings: how many each merchant has, and which catalogue items they are.

Listings per merchant follow a heavy tail, as on the real site: most merchants have tens, a few
have thousands. A merchant lists items of the product families its kinds sell, each item once
while its families have some left.
"""

from __future__ import annotations

import random
from bisect import bisect
from typing import IO, NamedTuple

import orjson

from sample_data import words as w
from sample_data.catalogue import Item
from sample_data.draws import cumulative, timestamp

# Listings per merchant follow a Pareto law (shape ALPHA) truncated at MAX_RATIO times the
# smallest weight: at 22,000 merchants and 2.2 M listings the median merchant has about 40
# listings and the largest a few thousand.
ALPHA = 1.0
MAX_RATIO = 200.0
OUT_OF_STOCK = 0.15
_DUMP = orjson.OPT_APPEND_NEWLINE


def listing_counts(merchants: int, listings: int, rng: random.Random) -> list[int]:
    """Listings per merchant: heavy-tailed, at least one each when there are enough, summing to ``listings``.

    Weights are the quantiles of a truncated Pareto law at evenly spaced ranks, so the shape of the
    tail does not depend on luck; the seed only decides which merchant gets which weight.
    Largest-remainder rounding makes the total exact.
    """
    if merchants < 0 or listings < 0:
        raise ValueError("merchants and listings must not be negative")
    if merchants == 0:
        if listings:
            raise ValueError("listings need at least one merchant")
        return []
    floor_tail = MAX_RATIO**-ALPHA
    weights = [(1 - (i + 0.5) / merchants * (1 - floor_tail)) ** (-1 / ALPHA) for i in range(merchants)]
    rng.shuffle(weights)
    base = 1 if listings >= merchants else 0
    rest = listings - base * merchants
    total_weight = sum(weights)
    quotas = [rest * x / total_weight for x in weights]
    counts = [base + int(q) for q in quotas]
    short = listings - sum(counts)
    for i in sorted(range(merchants), key=lambda i: (int(quotas[i]) - quotas[i], i))[:short]:
        counts[i] += 1
    return counts


class Profile(NamedTuple):
    families: list[tuple[int, list[Item]]]  # (family number, its items)
    cum: list[float]


def build_profile(kinds: tuple[str, ...], catalogue: dict[str, list[Item]]) -> Profile:
    """The product families a merchant of these kinds sells, with their shares (a second kind counts half)."""
    shares: dict[str, float] = {}
    for rank, kind in enumerate(kinds):
        for family, share in w.KINDS[kind].families.items():
            shares[family] = shares.get(family, 0.0) + share * (0.5 if rank else 1.0)
    numbers = {key: i for i, key in enumerate(catalogue)}
    families = [(numbers[f], catalogue[f]) for f in shares if catalogue[f]]
    return Profile(families, cumulative(shares[f] for f in shares if catalogue[f]))


def write_listings(out: IO[bytes], number: int, count: int, profile: Profile, rng: random.Random) -> None:
    """One merchant's listings, each a different catalogue item while its families have some left."""
    random, dumps, write, stamp = rng.random, orjson.dumps, out.write, timestamp  # locals: the hot loop
    families, cum = profile
    top, single = cum[-1], len(families) == 1
    merchant_id, prefix = f"m-{number:06d}", f"p-{number:06d}-"
    used: set[int] = set()
    for n in range(1, count + 1):
        for _ in range(8):
            family, items = families[0] if single else families[bisect(cum, random() * top)]
            r = random()
            index = int(r * r * len(items))  # popular items first: a few are carried almost everywhere
            key = family << 24 | index
            if key not in used:
                break
        else:
            family, items, index = _unused(families, used, rng)
            key = family << 24 | index
        used.add(key)
        name, description, brand, gtin, categories, price, quebec, certifications = items[index]
        r = random()
        quantity = 0 if r < OUT_OF_STOCK else 1 + int(199 * ((r - OUT_OF_STOCK) / (1 - OUT_OF_STOCK)) ** 2)
        write(
            dumps(
                {
                    "id": f"{prefix}{n:04d}",
                    "merchant_id": merchant_id,
                    "name": name,
                    "description": description,
                    "brand": brand,
                    "gtin": gtin,
                    "categories": categories,
                    "price": round(price * (0.85 + 0.3 * random()), 2),
                    "quebec_product": quebec,
                    "certifications": certifications,
                    "stock": {"quantity": quantity},
                    "updated_at": stamp(rng),
                },
                option=_DUMP,
            )
        )


def _unused(
    families: list[tuple[int, list[Item]]], used: set[int], rng: random.Random
) -> tuple[int, list[Item], int]:
    """The first item not yet listed, scanning from a random place; when none is left, start over."""
    start = rng.randrange(len(families))
    for step in range(len(families)):
        family, items = families[(start + step) % len(families)]
        offset = rng.randrange(len(items))
        for i in range(len(items)):
            index = (offset + i) % len(items)
            if family << 24 | index not in used:
                return family, items, index
    used.clear()  # more listings than items: the merchant lists some items twice
    family, items = families[start]
    return family, items, rng.randrange(len(items))
