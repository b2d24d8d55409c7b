"""Relevance on the judged queries (tests/relevance/): no query class may lose ground.

The figures recorded in tests/relevance/recorded.json are rewritten only on purpose, by
``python -m bench.relevance --record`` (docs/relevance.md); never edit a judgment to make this pass.
"""

from __future__ import annotations

import json

import pytest

from bench import judgments, relevance

TOLERANCE = 0.02
HIGHER_IS_BETTER = ("ndcg_at_10", "mrr", "place_recall")
LOWER_IS_BETTER = ("zero_result_rate", "false_place_rate")


@pytest.fixture(scope="module")
def measured(engine) -> dict:
    figures, _ = relevance.evaluate(engine.url)
    return figures


def _regressions(recorded: dict, now: dict) -> list[str]:
    found = []
    groups = {"overall": recorded["overall"], **recorded["classes"]}
    current = {"overall": now["overall"], **now["classes"]}
    for name, was in groups.items():
        assert name in current, f"query class {name} has no queries any more"
        for key in HIGHER_IS_BETTER + LOWER_IS_BETTER:
            before, after = was.get(key), current[name].get(key)
            if before is None or after is None:
                continue
            worse = before - after if key in HIGHER_IS_BETTER else after - before
            if worse > TOLERANCE:
                found.append(f"{name}: {key} {before:.3f} -> {after:.3f}")
    return found


def test_judged_queries_cover_every_class_with_two_hundred_queries() -> None:
    queries = judgments.load_queries()
    assert len(queries) >= 200
    assert all(q.rules for q in queries)


def test_no_query_class_regresses_from_the_recorded_figures(measured: dict) -> None:
    recorded = json.loads(judgments.RECORDED_FILE.read_text())
    assert _regressions(recorded, measured) == []
