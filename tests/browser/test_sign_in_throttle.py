"""Signing in while the password is paused, in a real browser: after failed attempts the
sign-in page says plainly how to get in, and the emailed code signs the person in at once.
axe-core (WCAG 2.2 AA) on each page, at a phone's 375 px too."""
import re

from django.core import mail
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.marks import BROWSER

from .helpers import PHONE_375, TEST_PASSWORD, assert_no_horizontal_scroll, assert_page_healthy, check_axe, screenshot

pytestmark = BROWSER


def try_password(page, email, password):
    page.get_by_label("Email").fill(email)
    field = page.get_by_label(re.compile(r"^Password \(required\)$"))
    field.fill(password)
    field.press("Enter")
    page.wait_for_load_state()


def test_a_paused_password_page_leads_to_a_sign_in_code_that_works(another_browser, settings):
    # The account's allowance is set to two failures: as if two places had each guessed once.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "2/h/key"}
    person = UserFactory(email="rosa@example.org", certificate_name="Rosa Delgado")
    page = another_browser(viewport=PHONE_375)
    page.goto("/accounts/login/")
    for guess in ("first-guess", "second-guess"):
        try_password(page, person.email, guess)
    # The right password now meets the pause, and the page says how to get in.
    try_password(page, person.email, TEST_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-in attempts")
    expect(page.locator("#sign-in-by-email").get_by_role("link", name="reset your password")).to_be_visible()
    way_in = page.locator("#sign-in-by-email")
    expect(way_in.get_by_role("heading", name="You can still sign in now")).to_be_visible()
    assert_no_horizontal_scroll(page, "the paused sign-in page at 375 px")
    check_axe(page, "paused sign-in page (375 px)")
    screenshot(page, "sign-in-paused-375")

    way_in.get_by_role("link", name="Email me a sign-in code").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/"))
    check_axe(page, "request a sign-in code (375 px)")
    page.get_by_label("Email").fill(person.email)
    page.get_by_role("button", name=re.compile("Request Code", re.I)).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/confirm/"))
    check_axe(page, "enter the sign-in code (375 px)")
    assert_no_horizontal_scroll(page, "the code page at 375 px")
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_label("Code").press("Enter")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_page_healthy(page)
