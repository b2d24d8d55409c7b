"""The product catalogue: a few thousand items per product family, shared by every merchant.

The same item (same name, brand and GTIN) is listed by many merchants, as on the real site.
"""

from __future__ import annotations

import math
import random
from itertools import product
from typing import NamedTuple

from sample_data import words as w
from sample_data.french import of_name

CATALOGUE_PER_FAMILY = 3000  # distinct items per product family, at most
BRANDS_PER_FAMILY = 45
QUEBEC_SHARE = 0.40
GTIN_SHARE = 0.60


class Item(NamedTuple):
    name: str
    description: str
    brand: str
    gtin: str | None
    categories: list[str]
    price: float
    quebec_product: bool
    certifications: list[str]


def gtin13(first12: str) -> str:
    """``first12`` followed by its GS1 check digit."""
    odd_even = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - odd_even % 10) % 10)


def _fill(pattern: str, rng: random.Random) -> str:
    return pattern.format(
        surname=rng.choice(w.SURNAMES),
        place=rng.choice(w.PLACES),
        first=rng.choice(w.FIRST_NAMES),
        n=rng.randint(1, 12),
    )


def _names(family: w.Family) -> list[tuple[str, str, float]]:
    """Every (name, core, base price) a family's lines can make."""
    out = []
    for template, price, groups in family.lines:
        options = [[(e, 1.0) if isinstance(e, str) else e for e in group] for group in groups]
        for combo in product(*options):
            parts = list(combo)
            factor = math.prod(f for _, f in parts)
            core = template.format(parts.pop(0)[0]) if "{}" in template else template
            core = " ".join(core.split())
            name = ", ".join([core, *(label for label, _ in parts if label)])
            out.append((name, core, price * factor))
    return out


def build_catalogue(rng: random.Random) -> dict[str, list[Item]]:
    """A few thousand items per product family, each a distinct (name, brand) and GTIN."""
    catalogue: dict[str, list[Item]] = {}
    seen: set[tuple[str, str]] = set()
    gtins: set[str] = set()
    for key, family in w.FAMILIES.items():
        names = _names(family)
        brands = sorted({_fill(rng.choice(family.brand_patterns), rng) for _ in range(BRANDS_PER_FAMILY * 3)})
        brands = rng.sample(brands, min(BRANDS_PER_FAMILY, len(brands)))
        combos = len(names) * len(brands)
        categories = list(family.categories)
        items = []
        # rng.sample's order is random, so an item's popularity (its place in the list) is too.
        for pick in rng.sample(range(combos), min(CATALOGUE_PER_FAMILY, combos * 6 // 10)):
            name, core, base = names[pick // len(brands)]
            brand = brands[pick % len(brands)]
            if (name.lower(), brand.lower()) in seen:
                continue
            seen.add((name.lower(), brand.lower()))
            gtin = None
            if rng.random() < GTIN_SHARE:
                while gtin is None or gtin in gtins:
                    prefix = rng.choice(w.GTIN_PREFIXES)
                    gtin = gtin13(prefix + "".join(rng.choices("0123456789", k=12 - len(prefix))))
                gtins.add(gtin)
            raw = base * rng.uniform(0.85, 1.2)
            price = round(int(raw) + rng.choice((0.49, 0.95, 0.99)), 2) if raw >= 2 else round(raw, 2)
            quebec = rng.random() < QUEBEC_SHARE
            description = f"{core} {of_name(brand)} : {rng.choice(family.blurbs)}."
            items.append(
                Item(
                    name,
                    description,
                    brand,
                    gtin,
                    categories,
                    price,
                    quebec,
                    _certifications(key, family, quebec, rng),
                )
            )
        catalogue[key] = items
    return catalogue


def _certifications(key: str, family: w.Family, quebec: bool, rng: random.Random) -> list[str]:
    if not quebec or rng.random() < 0.15:
        return []
    if not family.food:
        return [w.QUEBEC_OTHER_CERTIFICATION]
    certs = [rng.choice(w.QUEBEC_FOOD_CERTIFICATIONS)]
    if key in w.FARM_FAMILIES and rng.random() < 0.3:
        certs.append(w.FARM_CERTIFICATION)
    if rng.random() < 0.2:
        certs.append(w.ORGANIC_CERTIFICATION)
    return certs
