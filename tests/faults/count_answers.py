"""A pytest plugin that counts what the Flask apps of a test run answered, by status and by test
module: ``-p tests.faults.count_answers``. docs/reliability.md counts the hand-made bad inputs of
the suite with it (every 4xx answered during the bad-input modules), and their 500s (none)."""

from __future__ import annotations

from collections import Counter

import pytest
from flask import request_finished

ANSWERS: Counter[tuple[str, int]] = Counter()
CURRENT = {"module": "-"}


def _count(sender, response, **_):
    ANSWERS[CURRENT["module"], response.status_code] += 1


def pytest_configure(config: pytest.Config) -> None:
    request_finished.connect(_count)  # every app: no sender given


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem):
    CURRENT["module"] = item.nodeid.split("::")[0]
    return (yield)


def pytest_terminal_summary(terminalreporter) -> None:
    modules = sorted({module for module, _ in ANSWERS})
    terminalreporter.write_line("answers by module: 2xx / 4xx / 5xx (statuses)")
    for module in modules:
        row = {status: n for (m, status), n in ANSWERS.items() if m == module}
        by = {k: sum(n for s, n in row.items() if s // 100 == k) for k in (2, 4, 5)}
        terminalreporter.write_line(f"  {module}: {by[2]} / {by[4]} / {by[5]}  {dict(sorted(row.items()))}")
    four = sum(n for (_, s), n in ANSWERS.items() if s // 100 == 4)
    five = sum(n for (_, s), n in ANSWERS.items() if s // 100 == 5)
    terminalreporter.write_line(f"  total: {four} answers 4xx, {five} answers 5xx")
