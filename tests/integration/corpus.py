"""A small, hand-written catalogue around Trois-Rivières that the API tests load into a real engine."""

from __future__ import annotations

import json
import math
from pathlib import Path

from query_api.places import km_between as haversine_km  # noqa: F401 - the tests measure with it

NOW = "2026-11-20T14:03:00Z"
TROIS_RIVIERES = (46.3432, -72.5418)


def offset(origin: tuple[float, float], north_km: float, east_km: float) -> dict[str, float]:
    lat = origin[0] + north_km / 111.195
    lon = origin[1] + east_km / (111.195 * math.cos(math.radians(origin[0])))
    return {"lat": round(lat, 6), "lon": round(lon, 6)}


# id, name, categories, (north_km, east_km) from Trois-Rivières, services
MERCHANTS = [
    ("m-tr-01", "Fromagerie du Marché", ["Alimentation", "Fromagerie"], (0.5, 0.2), ["cueillette"]),
    ("m-tr-02", "Boulangerie Chez Julie", ["Alimentation", "Boulangerie"], (1.5, -1.0), ["livraison"]),
    ("m-tr-03", "Dépanneur Beaubien", ["Alimentation", "Dépanneur"], (3.0, 2.0), []),
    ("m-tr-04", "Érablière du Rang 5", ["Alimentation", "Érablière"], (6.0, -4.0), ["achat_en_ligne"]),
    (
        "m-tr-05",
        "L'Épicerie des Forges",
        ["Alimentation", "Épicerie fine"],
        (9.0, 0.0),
        ["livraison", "cueillette"],
    ),
    ("m-tr-06", "Quincaillerie Lévesque et fils", ["Maison", "Quincaillerie"], (12.0, 8.0), []),
    ("m-tr-07", "Librairie Le Bouquin", ["Culture", "Librairie"], (-14.0, 3.0), ["achat_en_ligne"]),
    ("m-tr-08", "Fruiterie Saint-Louis", ["Alimentation", "Fruiterie"], (20.0, -15.0), ["cueillette"]),
    ("m-tr-09", "Chocolaterie Éclat", ["Alimentation", "Chocolaterie"], (40.0, 10.0), []),
    ("m-mtl-1", "Fromagerie Atwater", ["Alimentation", "Fromagerie"], (-70.0, -95.0), ["cueillette"]),
]

# id, merchant, name, brand, gtin, categories, price, quebec, certifications, quantity
PRODUCTS = [
    (
        "p-01",
        "m-tr-01",
        "Sirop d'érable pur, ambré, 540 ml",
        "Érablière du Rang",
        "0627843000013",
        ["Épicerie", "Sirops"],
        12.99,
        True,
        ["Aliments du Québec"],
        0,
    ),
    (
        "p-02",
        "m-tr-03",
        "Sirop d'érable pur, ambré, 540 ml",
        "Érablière du Rang",
        "0627843000013",
        ["Épicerie", "Sirops"],
        13.49,
        True,
        ["Aliments du Québec"],
        4,
    ),
    (
        "p-03",
        "m-tr-04",
        "Sirop d'érable pur, ambré, 540 ml",
        "Érablière du Rang",
        "0627843000013",
        ["Épicerie", "Sirops"],
        11.99,
        True,
        ["Aliments du Québec"],
        20,
    ),
    (
        "p-04",
        "m-tr-05",
        "Sirop d'érable pur, ambré, 540 ml",
        "Érablière du Rang",
        "0627843000013",
        ["Épicerie", "Sirops"],
        12.49,
        True,
        ["Aliments du Québec"],
        2,
    ),
    (
        "p-05",
        "m-tr-05",
        "Miel de fleurs sauvages, 500 g",
        "Rucher Boréal",
        "0627843000020",
        ["Épicerie", "Miels"],
        9.99,
        True,
        ["Aliments du Québec"],
        5,
    ),
    (
        "p-06",
        "m-tr-05",
        "Miel de fleurs sauvages, 500 g",
        "Honey Import Co",
        "0012345000011",
        ["Épicerie", "Miels"],
        9.99,
        False,
        [],
        5,
    ),
    (
        "p-07",
        "m-tr-02",
        "Tarte aux myrtilles",
        "Chez Julie",
        None,
        ["Boulangerie", "Desserts"],
        14.00,
        True,
        [],
        3,
    ),
    ("p-08", "m-tr-02", "Pain au levain, 800 g", "Chez Julie", None, ["Boulangerie"], 6.50, True, [], 10),
    (
        "p-09",
        "m-tr-01",
        "Fromage Le Riopelle de l'Isle, 200 g",
        "Fromagerie de l'Isle",
        "0627843000037",
        ["Fromages"],
        11.25,
        True,
        ["Aliments du Québec"],
        7,
    ),
    (
        "p-10",
        "m-mtl-1",
        "Fromage Le Riopelle de l'Isle, 200 g",
        "Fromagerie de l'Isle",
        "0627843000037",
        ["Fromages"],
        10.75,
        True,
        ["Aliments du Québec"],
        9,
    ),
    (
        "p-11",
        "m-tr-03",
        "Croustilles nature, 200 g",
        "Croustilles Yum",
        None,
        ["Collations"],
        3.99,
        True,
        [],
        0,
    ),
    (
        "p-12",
        "m-tr-06",
        "Pelle à neige en aluminium",
        "Garant",
        None,
        ["Quincaillerie", "Hiver"],
        39.99,
        False,
        [],
        6,
    ),
    (
        "p-13",
        "m-tr-09",
        "Chocolat noir 70 %, 100 g",
        "Éclat",
        None,
        ["Chocolats"],
        5.50,
        True,
        ["Produit du Québec"],
        12,
    ),
]


def merchant_records() -> list[dict]:
    return [
        {
            "id": mid, "name": name, "categories": cats, "services": services, "updated_at": NOW,
            "description": f"{name}, commerce local.",
            "address": {"city": "Trois-Rivières" if mid.startswith("m-tr") else "Montréal",
                        "region": "Mauricie" if mid.startswith("m-tr") else "Montréal"},
            "location": offset(TROIS_RIVIERES, *km),
        }
        for mid, name, cats, km, services in MERCHANTS
    ]  # fmt: skip


def product_records() -> list[dict]:
    out = []
    for pid, mid, name, brand, gtin, cats, price, quebec, certs, qty in PRODUCTS:
        record = {"id": pid, "merchant_id": mid, "name": name, "brand": brand, "categories": cats, "price": price,
                  "quebec_product": quebec, "certifications": certs, "stock": {"quantity": qty}, "updated_at": NOW}  # fmt: skip
        if gtin:
            record["gtin"] = gtin
        out.append(record)
    return out


def location_of(merchant_id: str) -> tuple[float, float]:
    for mid, _n, _c, km, _s in MERCHANTS:
        if mid == merchant_id:
            loc = offset(TROIS_RIVIERES, *km)
            return loc["lat"], loc["lon"]
    raise KeyError(merchant_id)


def write(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in (("merchants.jsonl", merchant_records()), ("products.jsonl", product_records())):
        with open(directory / name, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return directory


def load(es, settings, data: Path) -> int:
    """``data``'s merchants.jsonl then products.jsonl through the batch loader, as ``reindex all``
    does; returns how many records were rejected."""
    from indexer.batch import reindexing
    from indexer.files.rejects import RejectsFile

    files = [("merchants", data / "merchants.jsonl"), ("products", data / "products.jsonl")]
    with RejectsFile(data / "load-rejects.jsonl") as rejects:
        reindexing.reindex_all(es, settings, files, rejects=rejects)
        return rejects.count
