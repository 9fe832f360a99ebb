"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Chromium comes from the Debian package (`apt-get install -y chromium`), never from
`playwright install`. Without it these tests are skipped, with a reason that says so;
with REQUIRE_BROWSER=1 (CI) they fail instead.
"""

import os
from pathlib import Path

import pytest
from django.db import connections
from django.test import override_settings
from playwright.sync_api import sync_playwright

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
MISSING = "Chromium is not installed (apt-get install -y chromium): browser tests skipped"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
# Where the screenshots go: a folder a person opens after the run.
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "var" / "screenshots"))


_skipped = []


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    here = Path(__file__).parent
    mine = [item for item in items if here in Path(item.path).parents]
    if not mine:
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError(
            f"REQUIRE_BROWSER is set, but Chromium is not installed ({CHROMIUM} is missing): "
            "the browser tests cannot run. Install it with: apt-get install -y chromium"
        )
    for item in mine:
        item.add_marker(pytest.mark.skip(reason=MISSING))
    _skipped.extend(mine)


@pytest.fixture(scope="package")
def browser(django_db_setup):
    # Playwright's sync API keeps an event loop running in this thread while it is
    # open. Django's ORM refuses to run beside one unless told that it is safe (it is:
    # no async code of ours shares a connection), and keeps its connections per async
    # context instead of per thread: it would open new ones, without the test
    # database's saved contents that serialized_rollback restores between tests. So
    # the tests go on with the connections the test database was set up on.
    setup_connections = {alias: connections[alias] for alias in connections}
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, connection in setup_connections.items():
                connections[alias] = connection
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def _plain_http():
    # The live server's SecurityMiddleware reads this once, when the server starts
    # (before any test's own settings), and would send the browser to https.
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="session")
def live_server(django_db_setup, _plain_http, live_server):
    # After the test database exists: the server thread then shares its connection
    # (SQLite in memory) or opens one to it (PostgreSQL).
    return live_server


@pytest.fixture
def site(live_server, settings):
    # DEBUG is off in tests, so cookies are Secure: over http://localhost the browser
    # would drop the session and CSRF cookies.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return live_server.url


@pytest.fixture
def new_page(browser, site):
    """Open pages in fresh browser contexts (each its own cookies), closed after the test.

    A script error or a Content-Security-Policy refusal on any page fails the test:
    the site's strict policy must not silently break a script. Pass `csp=False` for
    pages that axe-core checks: it sets inline styles while it measures, which the
    policy refuses (harmlessly, and not the site's doing).
    """
    contexts, problems = [], []

    def watch(page, csp):
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        if csp:
            page.on(
                "console",
                lambda message: (
                    problems.append(f"{page.url}: {message.text}")
                    if message.type == "error" and "Content Security Policy" in message.text
                    else None
                ),
            )

    def open_page(width=1280, height=900, csp=True):
        context = browser.new_context(
            base_url=site, viewport={"width": width, "height": height}, locale="nl-NL"
        )
        context.set_default_timeout(10_000)
        context.on("page", lambda page: watch(page, csp))
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        # Offline first: what closing pages send (the article form's "leaving" heartbeat,
        # an autosave) would reach the live server, which shares the test's in-memory
        # database connection, while the next test empties that database.
        context.set_offline(True)
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(new_page):
    return new_page()


_screenshots = []


@pytest.fixture
def screenshot():
    """Save a full-page screenshot as SCREENSHOT_DIR/<name>.png; return its path."""

    def take(page, name):
        # Lazy images load once scrolled near: scroll through, wait, and back to the top.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        # page.evaluate, not wait_for_function: the admin's Content-Security-Policy
        # forbids the eval that wait_for_function's polling needs.
        page.evaluate(
            """() => Promise.race([
                Promise.all([...document.images]
                    .filter((image) => !image.complete && image.offsetParent !== null)
                    .map((image) => new Promise((done) => {
                        image.onload = image.onerror = done;
                    }))),
                new Promise((done) => setTimeout(done, 5000)),
            ])"""
        )
        page.evaluate("window.scrollTo(0, 0)")
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        _screenshots.append(path)
        return path

    return take


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_sep("-", "browser tests")
        terminalreporter.write_line(
            f"{len(_skipped)} browser tests SKIPPED: Chromium is not installed ({CHROMIUM}). "
            "Install it with: apt-get install -y chromium"
        )
    if _screenshots:
        terminalreporter.write_sep("-", "screenshots")
        terminalreporter.write_line(f"{len(_screenshots)} screenshots in {SCREENSHOT_DIR}:")
        for path in _screenshots:
            terminalreporter.write_line(f"  {path.name}")
