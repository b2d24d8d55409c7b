"""Fixtures shared by every test. Integration fixtures live in tests/integration/conftest.py."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Filled in by the integration engine fixture, printed at the end of the run.
ENGINE_USED: list[str] = []


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files under tests/golden/ from what the code produces now",
    )


def pytest_terminal_summary(terminalreporter) -> None:
    if ENGINE_USED:
        terminalreporter.write_line(f"engine-backed tests ran against: {ENGINE_USED[0]}")
    else:
        terminalreporter.write_line("engine-backed tests: none ran in this session")
