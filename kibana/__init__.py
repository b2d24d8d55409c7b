"""Kibana saved objects as data.

Each ``*.ndjson`` beside this file is what Kibana's saved-objects export writes and its import API
accepts: one object per line (data views, Lens visualizations, maps, dashboards). Python never
assembles them; ``panier kibana import`` sends them as they are, only putting
``PANIER_INDEX_PREFIX`` (when set) in front of the data views' titles (``merchants``, ``products``,
``logs-panier.search-*``). To change a dashboard, edit it in Kibana, export it with its related
objects and replace the lines here (docs/kibana.md).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

# Data views first: the order Kibana itself exports in, and easier to read.
FILES = ("data_views.ndjson", "merchants.ndjson", "products.ndjson", "searches.ndjson")


def files() -> list[Path]:
    """Paths of the NDJSON files shipped with the package, in import order."""
    root = resources.files(__package__)
    return [Path(str(root.joinpath(name))) for name in FILES]


def read(path: Path) -> list[dict[str, Any]]:
    """The saved objects of one NDJSON file; blank lines are skipped, a bad line names its number."""
    objects = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}:{number}: not JSON ({e.msg})") from None
        if not isinstance(obj, dict) or not {"type", "id", "attributes"} <= obj.keys():
            raise ValueError(f"{path}:{number}: not a saved object (needs type, id and attributes)")
        objects.append(obj)
    return objects


def load() -> list[dict[str, Any]]:
    """Every saved object shipped with Panier, in import order."""
    return [obj for path in files() for obj in read(path)]
