"""Browser tests: Debian's chromium driven by Playwright's sync API against ``live_server``.

One browser per test session; a fresh context (cookies, storage) per test. Each page
records JavaScript errors and failed same-origin requests (see ``helpers``).
"""
import os

import pytest

from .helpers import CHROMIUM, CHROMIUM_ARGS, DESKTOP


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole session (launching takes about a second)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"The browser tests need Debian's chromium at {CHROMIUM}: run scripts/ensure-chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in the main thread, so Django's
    # async-safety check would refuse every ORM call made by the test itself.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh context whose relative URLs resolve against the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.js_errors = []
    page.failed_requests = []

    def record_failure(response):
        # The favicon the browser asks for on its own is not part of our pages.
        if response.status >= 400 and response.url.startswith(live_server.url) and not response.url.endswith("/favicon.ico"):
            page.failed_requests.append(f"{response.status} {response.request.method} {response.url}")

    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.on("response", record_failure)
    yield page
    context.close()
