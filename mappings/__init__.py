"""Index bodies as data.

Each ``<name>.json`` beside this file is exactly what ``PUT /<index>`` accepts: settings (the French
analysis chain) and mappings. Python never assembles them; it loads a fresh copy and may fill in
names and counts. ``synonyms_fr.txt`` holds the search-time synonyms; the engine reads it from
``config/analysis/synonyms_fr.txt`` on each node.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

INDEX_NAMES = ("merchants", "products")
SYNONYMS_FILE = "synonyms_fr.txt"
# Where the mappings expect the synonyms file, relative to the engine's config directory.
SYNONYMS_ENGINE_PATH = "analysis/synonyms_fr.txt"


@cache
def _read(name: str) -> dict[str, Any]:
    if name not in INDEX_NAMES:
        raise KeyError(f"no mapping named {name!r}; known: {', '.join(INDEX_NAMES)}")
    text = resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


def load(name: str) -> dict[str, Any]:
    """A fresh, mutable copy of the index body for ``name`` (merchants or products)."""
    return copy.deepcopy(_read(name))


def synonyms_file() -> Path:
    """Path of the synonyms file shipped with the package."""
    return Path(str(resources.files(__package__).joinpath(SYNONYMS_FILE)))
