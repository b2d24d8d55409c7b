"""How long ``find_in_words`` takes per query (it will run on every search): prints p50/p99 in ms.

.venv/bin/python bench/place_words.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from query_api import place_words, places

QUERIES = (
    "fromage sherbrooke", "bagels montréal", "boulangerie à Trois-Rivières", "sirop d'érable",
    "miel près de Saint-Jean-sur-Richelieu", "épicerie fine québec", "cafés H2R", "cidre Beauce",
    "Gaspésie", "pain de ménage", "fromage en grains", "sucre à la crème", "bleuets du Lac",
    "fraises de l'île d'Orléans", "homard des Îles", "fromage québécois bio", "chocolat noir 70 %",
    "tarte à la pêche", "pain à l'ail près de Sherbrooke", "saucisses maison", "gâteau anniversaire",
    "vin rouge du Québec", "oeufs bio", "boulangerie artisanale",
)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    started = time.perf_counter()
    places.gazetteer()
    print(f"table load: {(time.perf_counter() - started) * 1000:.1f} ms")
    for cold in (True, False):
        if cold:
            from query_api.place_words import _fold

            _fold.cache_clear()
        timings = []
        for _ in range(1 if cold else rounds):
            for q in QUERIES:
                t = time.perf_counter_ns()
                place_words.find_in_words(q)
                timings.append((time.perf_counter_ns() - t) / 1e6)
        timings.sort()
        p99 = timings[min(len(timings) - 1, int(0.99 * len(timings)))]
        label = "first call per word" if cold else "steady state"
        p50 = statistics.median(timings)
        print(f"{label}: {len(timings)} calls, p50 {p50:.4f} ms, p99 {p99:.4f} ms, max {timings[-1]:.4f} ms")


if __name__ == "__main__":
    main()
