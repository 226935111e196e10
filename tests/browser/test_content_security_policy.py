"""The Content-Security-Policy in a real browser: inline code without the nonce is
blocked and the browser tests' recorder reports it (so every other browser test fails on
a violation); the nonce'd script of a page runs."""
from tests.marks import BROWSER

pytestmark = BROWSER


def test_an_injected_inline_script_is_blocked_and_reported(page):
    page.goto("/courses/")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.append(script);
        const style = document.createElement("style");
        style.textContent = "body { display: none }";
        document.head.append(style);
    }""")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected") is None
    assert page.evaluate("() => getComputedStyle(document.body).display") != "none"
    assert any("script" in text for text in page.csp_violations), page.csp_violations
    assert any("style" in text for text in page.csp_violations), page.csp_violations
    page.csp_violations.clear()  # expected here: the other tests fail on any


def test_the_nonce_lets_the_pages_own_inline_script_run(page, live_server):
    """The "Check again now / Stop checking" script of a pending order runs under the policy."""
    from decimal import Decimal

    from payments.models import Order
    from tests.browser.helpers import sign_in
    from tests.factories import UserFactory, build_course
    from tests.payments.helpers import pending_order

    learner = UserFactory()
    course = build_course(title="Meeting Facilitation", price=Decimal("40.00"))
    order = pending_order(learner, course, session_id="cs_test_browser")
    assert order.status == Order.Status.PENDING
    sign_in(page, learner.email)
    page.goto(f"/pay/orders/{order.pk}/return/")
    stop = page.get_by_role("button", name="Stop checking automatically")
    stop.click()
    assert stop.is_hidden()
    assert "Automatic checking is off" in page.locator("#auto-check-note").inner_text()
    assert not page.csp_violations
