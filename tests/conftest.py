"""Fixtures shared by every test, and the guard no test escapes: any 500 an app answers fails the
test that caused it. Integration fixtures live in tests/integration/conftest.py."""

from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, request, request_finished

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


# -- never a 500 ------------------------------------------------------------------------------------
# Flask sends request_finished for every answer of every app in this process, whichever fixture or
# test built it and whichever handler answered (errors.py's catch-all 500 included). An answer of
# 500 or more, 503 apart (the engine unreachable, too slow or not loaded: documented), is recorded
# and fails the test, or the fixture, during which it was answered.
SERVER_ERRORS: list[str] = []


def _record_server_error(app: Flask, response: Response, **_: Any) -> None:
    if response.status_code >= 500 and response.status_code != 503:
        body = response.get_data(as_text=True)[:300] if not response.is_streamed else "(streamed)"
        SERVER_ERRORS.append(f"{request.method} {request.full_path} -> {response.status_code} {body}")


request_finished.connect(_record_server_error, weak=False)


def _fail_on_server_errors() -> Generator[None, Any, Any]:
    SERVER_ERRORS.clear()
    result = yield
    if SERVER_ERRORS:
        answered = "\n".join(SERVER_ERRORS)
        SERVER_ERRORS.clear()
        pytest.fail(f"the app answered a server error (never allowed, see tests/conftest.py):\n{answered}")
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, Any, Any]:
    return (yield from _fail_on_server_errors())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    return (yield from _fail_on_server_errors())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
    return (yield from _fail_on_server_errors())
