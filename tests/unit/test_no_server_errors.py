"""The guard of tests/conftest.py: a test during which any app answers a 500 fails, even when the
test itself asserts nothing about it. Proved by running throwaway tests under the same guard in a
pytest of their own (the guard would otherwise fail this test too)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

THROWAWAY_TESTS = """
import pytest
from flask import Flask

from panier_core.settings import Settings
from query_api import create_app


def panier_app():
    app = create_app(Settings(es_url="http://127.0.0.1:1"))  # never asked: no route reaches it

    @app.get("/v1/boom")
    def boom():
        raise RuntimeError("a bug")  # errors.py's catch-all answers it: 500, in the one shape

    return app


def test_a_500_from_the_panier_app_fails_a_test_that_does_not_look():
    panier_app().test_client().get("/v1/boom")


def test_a_500_from_any_flask_app_fails_the_test():
    app = Flask("throwaway")
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    assert app.test_client().get("/boom").status_code == 500  # the test "expects" it: still a failure


@pytest.fixture
def warmed_up():
    panier_app().test_client().get("/v1/boom")


def test_a_500_while_a_fixture_is_set_up_fails_too(warmed_up):
    pass


def test_a_documented_503_and_a_400_are_allowed():
    app = Flask("throwaway")
    app.add_url_rule("/busy", "busy", lambda: ("try again", 503))
    assert app.test_client().get("/busy").status_code == 503
    assert panier_app().test_client().get("/v1/merchants?page=0").status_code == 400
"""


def test_any_500_answered_during_a_test_fails_it(tmp_path: Path, repo_root: Path):
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_runtest_call, pytest_runtest_setup, pytest_runtest_teardown\n"
    )
    (tmp_path / "test_throwaway.py").write_text(THROWAWAY_TESTS)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    outcomes = {
        line.split("::")[1].split()[0]: line.split()[0]
        for line in run.stdout.splitlines()
        if line.split(" ", 1)[0] in ("PASSED", "FAILED", "ERROR") and "::" in line
    }
    assert outcomes == {
        "test_a_500_from_the_panier_app_fails_a_test_that_does_not_look": "FAILED",
        "test_a_500_from_any_flask_app_fails_the_test": "FAILED",
        "test_a_500_while_a_fixture_is_set_up_fails_too": "ERROR",
        "test_a_documented_503_and_a_400_are_allowed": "PASSED",
    }, run.stdout + run.stderr
    assert "GET /v1/boom? -> 500" in run.stdout and '"internal error"' in run.stdout
