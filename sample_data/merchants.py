"""Merchant records: a kind of shop in a Quebec town, with a name, an address and a phone number."""

from __future__ import annotations

import math
import random
import re
import unicodedata
from bisect import bisect
from typing import Any

from sample_data import words as w
from sample_data.cities import City, quebec_cities
from sample_data.draws import cumulative, timestamp
from sample_data.french import in_name, of_name

WEBSITE_SHARE = 0.60
JITTER_KM = 3.0


class Merchants:
    """Builds merchant records, one after the other, from one random stream.

    Towns are drawn by population, kinds of shop by their weight in ``words.KINDS``.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cities = quebec_cities()
        self.city_cum = cumulative(c.population for c in self.cities)
        self.kind_names = list(w.KINDS)
        self.kind_cum = cumulative(k.weight for k in w.KINDS.values())
        self.slugs: set[str] = set()

    def build(self, number: int) -> tuple[dict[str, Any], tuple[str, ...]]:
        """Merchant ``number``'s record and its kinds (which decide what it sells)."""
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
        description = f"{rng.choice(kind.blurbs)} {in_name(city.name)} depuis {rng.randint(1952, 2025)}."
        record = {
            "id": f"m-{number:06d}",
            "name": name,
            "description": description,
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
            "updated_at": timestamp(rng),
        }
        return record, tuple(kinds)


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
        of_city=of_name(city.name),
        n=rng.randint(1, 12),
    )


def _slug(text: str) -> str:
    """``Fromagerie de l'Île`` -> ``fromagerie-de-l-ile``."""
    ascii_only = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_only))
