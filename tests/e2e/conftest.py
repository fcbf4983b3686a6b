"""Browser journeys: real Chromium (Debian's) driven by Playwright against pytest-django's
live server, on the demo data of Cluster No. 4.

The live server runs in another thread of this process, so the data must be committed:
the `demo` fixture uses `transactional_db`. Playwright's synchronous API runs an event loop in
the main thread, which Django's ORM refuses without DJANGO_ALLOW_ASYNC_UNSAFE.
"""

import os
import re
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from clusters.demo import DEMO_PASSWORD, load_demo_data  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
TIMEOUT_MS = 30_000  # generous: CI machines have 2 cores and the server shares them
# expect() waits 5 s for its condition by default, which a loaded machine can miss: it waits
# as long as the actions do.
expect.set_options(timeout=TIMEOUT_MS)


def _no_static_handler(application):
    return application


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, with static files served by WhiteNoise as in production.

    pytest-django wraps the server in staticfiles' handler, which looks files up with the
    finders and so cannot serve the hashed names the manifest storage (DEBUG off) writes into
    the pages: every stylesheet and script would be a 404. Passing requests straight to the
    application lets WhiteNoise serve the collected files (run collectstatic first).
    """
    from django.conf import settings
    from pytest_django.live_server_helper import LiveServer

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not settings.DEBUG and not manifest.exists():
        pytest.fail(f"No {manifest}: run `manage.py collectstatic` first (bin/test does).")
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _no_static_handler
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"The browser journeys need Debian's Chromium at {CHROMIUM}.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, **options) -> Page:
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def page(browser):
    """A desktop page in a fresh context (no cookies), in Vietnamese."""
    page = _new_page(browser, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()


@pytest.fixture
def phone(browser):
    """A 360 x 740 phone page in a fresh context, in Vietnamese."""
    page = _new_page(
        browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    yield page
    page.context.close()


@pytest.fixture
def demo(transactional_db):
    """The demo data of Cluster No. 4, committed so the live server's thread sees it."""
    return load_demo_data()


@pytest.fixture
def shot(request):
    """shot(page, step) saves tests/e2e/screenshots/<test>-<step>.png (full page)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)

    def take(page: Page, step: str) -> Path:
        path = SCREENSHOTS / f"{test_name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _login(page: Page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    """Fill and submit the login form; wait until the home page (or `next`) has loaded."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url, f"{username} could not log in"


@pytest.fixture
def login():
    """login(page, live_server, username): signs in through the login form."""
    return _login
