"""Golden files: what a builder produces, kept as JSON under tests/golden/ (one file per case).

A test calls ``golden("case-name", value)``: the value, written as indented JSON with its keys in
the order the code built them, must equal ``tests/golden/case-name.json`` character for character
(so a reordered body fails too: the engine receives it serialized). ``pytest --update-golden``
rewrites the files from the code's current output instead; review the diff before committing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


def golden_text(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, Any], None]:
    update = request.config.getoption("--update-golden")

    def check(name: str, value: Any) -> None:
        path = GOLDEN / f"{name}.json"
        text = golden_text(value)
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path.name}: run pytest --update-golden and review it"
        expected = path.read_text(encoding="utf-8")
        assert json.loads(text) == json.loads(expected), f"differs from {path.name}"
        assert text == expected, f"same content as {path.name}, keys in another order"

    return check
