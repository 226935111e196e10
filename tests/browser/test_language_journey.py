"""Languages and time zones in a real browser: a visitor in Mexico City whose browser
speaks Spanish signs up (sent to the Spanish pages, their zone suggested), switches the
site to English with the switcher, and the switcher works without JavaScript too."""
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from tests.marks import BROWSER

from .helpers import DESKTOP, PHONE_375, assert_page_healthy, check_axe, record

pytestmark = BROWSER


def browser_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, **{"viewport": DESKTOP, **options})
    context.set_default_timeout(10_000)
    return record(context.new_page(), live_server.url)


def test_a_spanish_speaker_in_mexico_city_signs_up_then_switches_to_english(browser, live_server):
    page = browser_page(browser, live_server, locale="es-MX", timezone_id="America/Mexico_City")
    try:
        page.goto("/accounts/signup/")
        expect(page).to_have_url(live_server.url + "/es/accounts/signup/")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        # The browser's zone is suggested, and told to the site for pages before sign-in.
        expect(page.locator("select[name=time_zone]")).to_have_value("America/Mexico_City")
        assert {c["name"]: c["value"] for c in page.context.cookies()}.get("tz") == "America/Mexico_City"
        check_axe(page, "sign-up page in Spanish")
        page.fill("input[name=certificate_name]", "Ana Núñez")
        page.fill("input[name=email]", "ana@example.org")
        page.fill("input[name=password1]", "quiet-harbour-lantern-42")
        page.fill("input[name=password2]", "quiet-harbour-lantern-42")
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(live_server.url + "/es/accounts/confirm-email/")
        profile = UserProfile.objects.get(user__email="ana@example.org")
        assert (profile.preferred_language, profile.current_time_zone) == ("es", "America/Mexico_City")

        # The switcher: English, on the same page, and it stays English.
        switcher = page.get_by_role("navigation", name="Idioma")
        switcher.get_by_role("button", name="English").click()
        expect(page).to_have_url(live_server.url + "/accounts/confirm-email/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.goto("/courses/")
        expect(page).to_have_url(live_server.url + "/courses/")
        expect(page.get_by_role("navigation", name="Language").locator("[aria-current]")).to_have_text("English")
        assert_page_healthy(page)
    finally:
        page.context.close()


def test_the_switcher_works_without_javascript_and_fits_a_phone(browser, live_server):
    page = browser_page(browser, live_server, locale="en-GB", java_script_enabled=False, viewport=PHONE_375)
    try:
        page.goto("/courses/")
        switcher = page.get_by_role("navigation", name="Language")
        expect(switcher).to_be_visible()
        box = switcher.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_375["width"]
        switcher.get_by_role("button", name="Español").click()
        expect(page).to_have_url(live_server.url + "/es/courses/")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        page.goto("/learn/")  # the cookie keeps the choice: sent on to the Spanish address
        expect(page).to_have_url(live_server.url + "/es/accounts/login/?next=/es/learn/")
    finally:
        page.context.close()
