"""The search page in a real browser: Debian's Chromium driven by Playwright (no browser download),
against the app served by a real HTTP server on a free port, over the real engine's test corpus."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from panier_core.settings import Settings
from query_api import create_app
from tests.conftest import REPO

# The engine and the corpus, exactly as the API's integration tests have them.
from tests.integration.conftest import api_settings, engine, es  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
LEAFLET = REPO / "node_modules" / "leaflet" / "dist" / "leaflet-src.esm.js"
SCREENSHOTS = Path(__file__).parent / "screenshots"  # kept out of git (.gitignore beside this file)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` (scripts/test installs it)")
    for needed in (AXE, LEAFLET):
        if not needed.exists():
            pytest.fail(f"{needed} is missing: run `npm ci` at the top of the repository (scripts/test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def base_url(api_settings: Settings) -> Iterator[str]:  # noqa: F811
    """The app on a real threaded HTTP server in this process (so tests/conftest.py sees any 500)."""
    server = make_server("127.0.0.1", 0, create_app(api_settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


class Console:
    """The page's console errors, failed requests and uncaught exceptions: a test ends with none."""

    def __init__(self, page) -> None:
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        page.on("requestfailed", self._failed)

    def _failed(self, request) -> None:
        if request.failure != "net::ERR_ABORTED":  # a type-ahead request the next keystroke cancelled
            self.problems.append(f"request failed: {request.url} {request.failure}")


@pytest.fixture
def page(browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 1280, "height": 900},
        locale="fr-CA",
        bypass_csp=True,  # axe-core is injected as a script tag; the page's own CSP is tested apart
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    console = Console(tab)
    tab.console = console
    yield tab
    SCREENSHOTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"))
    context.close()
    assert not console.problems, "the page's console was not clean:\n" + "\n".join(console.problems)
