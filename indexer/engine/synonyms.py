"""Search-time synonyms: the analyzers that read ``mappings/synonyms_fr.txt`` reloaded with no reindex.

The file is read by each node from its config directory (``mappings.SYNONYMS_ENGINE_PATH``); once
it is there, ``_reload_search_analyzers`` makes the aliases' indices read it again. Putting it
there is the local engine's job (``LocalEngine.install_synonyms``) or the operator's.
"""

from __future__ import annotations

from elasticsearch import Elasticsearch

import mappings
from panier_core.settings import Settings


def reload(es: Elasticsearch, settings: Settings) -> dict[str, list[str]]:
    """Reload the search analyzers of both aliases' indices; index -> the analyzers reloaded."""
    targets = ",".join(settings.alias(name) for name in mappings.INDEX_NAMES)
    result = es.indices.reload_search_analyzers(index=targets, ignore_unavailable=True)
    return {detail["index"]: detail["reloaded_analyzers"] for detail in result.get("reload_details", [])}
