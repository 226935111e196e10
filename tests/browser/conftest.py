"""Browser tests: Debian's chromium driven by Playwright's sync API against ``live_server``.

One browser for all the browser tests (package scope); a fresh context (cookies,
storage) per test: ``page``, and ``another_browser()`` for each other person in the
journey (a reviewer, an invited member, a visitor), closed when the test ends. Each page
records JavaScript errors, failed same-origin requests and Content-Security-Policy
violations (see ``helpers``); a violation on any of them fails the test.
"""
import os

import pytest

from .helpers import CHROMIUM, CHROMIUM_ARGS, DESKTOP, RECORDED_PAGES, new_page, record


@pytest.fixture(scope="package")
def browser(django_db_setup, django_db_blocker):
    """One headless chromium for all the browser tests (launching takes about a second).

    Package-scoped, so Playwright is stopped again before the rest of the suite runs:
    while it runs, its sync API marks an asyncio loop as running in the main thread,
    and Django reacts to that loop in two ways that this fixture undoes:

    - its async-safety check refuses ORM calls, so DJANGO_ALLOW_ASYNC_UNSAFE is set
      (and removed again afterwards: ``manage.py check --deploy`` in a subprocess
      would otherwise report async.E001);
    - its connection handler (a thread-critical asgiref Local) hands out *new*
      connection objects in "async" mode, which lack the test database's serialized
      contents that ``serialized_rollback`` restores; they are copied across.

    On the way out the database is reset to the migration-made data (site, page tree,
    content types) that the transactional tests' flush removed, so that later
    transactional tests find it as it was, and the extra connections are closed.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"The browser tests need Debian's chromium at {CHROMIUM}: run scripts/ensure-chromium")
    from django.core.management import call_command
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {
        conn.alias: conn._test_serialized_contents
        for conn in connections.all()
        if hasattr(conn, "_test_serialized_contents")
    }
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            with django_db_blocker.unblock():
                try:
                    for alias, contents in serialized.items():
                        call_command(
                            "flush", database=alias, interactive=False, verbosity=0,
                            reset_sequences=False, inhibit_post_migrate=True,
                        )
                        connections[alias].creation.deserialize_db_from_string(contents)
                finally:
                    connections.close_all()
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
    page = record(context.new_page(), live_server.url)
    yield page
    context.close()


@pytest.fixture
def another_browser(browser, live_server):
    """``another_browser(viewport=DESKTOP)``: a page in a context of its own (another
    person's browser: no cookies shared with ``page``), closed at the end of the test."""
    opened = []

    def open_page(viewport=DESKTOP):
        other = new_page(browser, live_server.url, viewport=viewport)
        opened.append(other.context)
        return other

    yield open_page
    for context in opened:
        context.close()


@pytest.fixture(autouse=True)
def _no_csp_violations():
    """Every page of the test, the ``page`` fixture's and those of ``new_page``, ends the
    test without a Content-Security-Policy violation (a blocked script, style or frame)."""
    RECORDED_PAGES.clear()
    yield
    violations = [text for page in RECORDED_PAGES for text in page.csp_violations]
    RECORDED_PAGES.clear()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations), pytrace=False)
