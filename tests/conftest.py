"""Fixtures shared by every test. Integration fixtures live in tests/integration/conftest.py."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO
