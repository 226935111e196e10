"""Helpers for the browser journeys: signing in, a second person's browser, axe-core
checks, layout checks (``check_on_phone``: the same page at a phone's width), answering a
quiz, screenshots. Every journey module starts ``pytestmark = BROWSER`` (``tests/marks.py``)."""
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
SHOTS = Path("/tmp/shots")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PHONE_375 = {"width": 375, "height": 812}  # the narrowest phone the site is checked at


def assert_page_healthy(page):
    """No uncaught JavaScript errors, no Content-Security-Policy violations and no 4xx/5xx
    from our own server so far."""
    assert not page.js_errors, f"JavaScript errors: {page.js_errors}"
    assert not page.csp_violations, f"Content-Security-Policy violations: {page.csp_violations}"
    assert not page.failed_requests, f"Failed requests: {page.failed_requests}"


# Every page made by ``record`` in the current test; the browser conftest fails the test at
# its end if any of them met a Content-Security-Policy violation.
RECORDED_PAGES = []


def record(page, base_url: str):
    """Record on ``page`` JavaScript errors, failed requests to our own server (but the
    favicon the browser asks for on its own) and Content-Security-Policy violations (the
    console errors Chromium writes when the policy blocks something)."""
    page.js_errors = []
    page.failed_requests = []
    page.csp_violations = []

    def record_failure(response):
        ours = response.url.startswith(base_url) and not response.url.endswith("/favicon.ico")
        if ours and response.status >= 400:
            page.failed_requests.append(f"{response.status} {response.request.method} {response.url}")

    def record_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            page.csp_violations.append(f"{page.url}: {message.text}")

    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.on("response", record_failure)
    page.on("console", record_console)
    RECORDED_PAGES.append(page)
    return page


def format_violations(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {json.dumps(node['target'])}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n         ")
            if summary:
                lines.append(f"         {summary}")
    return "\n".join(lines)


def check_axe(page, label: str):
    """Run axe-core on the page; fail on serious or critical WCAG A/AA violations.

    Lesser ones are printed (visible with ``-s`` or in the failure report) but do not fail.
    """
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `npm ci` in the project folder")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
        # does not govern (a <script> tag with the code inline would be refused, as it should).
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return results.violations;
        }""",
        AXE_TAGS,
    )
    print(f"\naxe on {label}: {len(violations)} violation(s) of any impact")
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    minor = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
    if minor:
        print(f"\naxe on {label} ({page.url}): minor/moderate findings\n{format_violations(minor)}")
    if blocking:
        pytest.fail(
            f"axe found {len(blocking)} serious/critical accessibility violation(s) on {label} "
            f"({page.url}):\n{format_violations(blocking)}",
            pytrace=False,
        )
    return violations


def assert_no_horizontal_scroll(page, label: str):
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], (
        f"{label} scrolls sideways at {widths['inner']}px wide: content is {widths['scroll']}px"
    )


def check_on_phone(page, label: str, shot: str | None = None, *, viewport=PHONE, axe: bool = True):
    """The page as it is, at a phone's width: nothing scrolls sideways, axe-core finds
    nothing serious (unless ``axe`` is false), a screenshot named ``shot``; then back to
    the desktop width."""
    page.set_viewport_size(viewport)
    assert_no_horizontal_scroll(page, label)
    if axe:
        check_axe(page, label)
    if shot:
        screenshot(page, shot)
    page.set_viewport_size(DESKTOP)


def screenshot(page, name: str):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


TEST_PASSWORD = "a-long-test-passphrase"  # tests.factories.UserFactory's password


def sign_in(page, email: str, *, next_url: str | None = "/", password: str = TEST_PASSWORD):
    """Sign in through the site's sign-in form (staff use it for the admin too) and wait
    until the browser has left it. ``next_url=None``: no ``next``, so the site's own
    landing for that person."""
    page.goto("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    fill_sign_in(page, email, password=password)


def fill_sign_in(page, email: str, *, password: str = TEST_PASSWORD):
    """On the sign-in form: the email, the password, Enter in the password field; then wait
    until the browser has left the form."""
    page.get_by_label("Email").fill(email)
    field = page.get_by_label(re.compile(r"^Password \(required\)$"))
    field.fill(password)
    field.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def new_page(browser, base_url: str, *, viewport=DESKTOP):
    """A page in a context of its own (a second person's browser), recording JavaScript
    errors and failed requests like the ``page`` fixture does. Close ``page.context``."""
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="en-GB")
    context.set_default_timeout(10_000)
    return record(context.new_page(), base_url)


def pass_the_check(page):
    """On an attempt page of a quiz made of ``single()`` and ``true_false(answer=True)``
    (``tests/factories.py``): both answers right, submitted, and the result says passed."""
    page.get_by_role("group", name=re.compile("Who decides what a participant shares")).get_by_label(
        "The participant"
    ).check()
    page.get_by_role("group", name=re.compile("end a meeting early")).get_by_label("True").check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page).to_have_url(re.compile(r"/learn/attempts/\d+/result/$"))
    expect(page.locator("#result-status")).to_contain_text("You passed", timeout=15_000)
