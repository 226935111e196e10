"""A learner's journey in a real browser: catalogue → sign up → verify email → enrol → learn.

These run against ``live_server`` in its own thread, so the database is transactional;
``serialized_rollback`` restores the migration-made site tree (home, catalogue, Site)
that the flush between transactional tests removes (and the ``browser`` fixture puts it
back once more when the browser tests are done, for the tests that run after them).
"""
import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory, build_course, enrolled_learner, lessons_of
from tests.marks import BROWSER

from .helpers import assert_page_healthy, check_axe, check_on_phone, screenshot, sign_in

pytestmark = BROWSER

CONFIRM_PATH = re.compile(r"/accounts/confirm-email/[^/\s]+/")


def test_visitor_signs_up_verifies_enrols_and_progresses(page, live_server, mailoutbox):
    course = build_course(title="Listening First", modules=2, lessons_per_module=2, sequential=True)
    lessons = lessons_of(course)
    assert len(lessons) == 4

    # The catalogue lists the course.
    page.goto("/courses/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_axe(page, "catalogue")
    page.get_by_role("link", name="Listening First").click()

    # The course page offers free enrolment; a visitor is sent to sign in first.
    expect(page).to_have_url(live_server.url + course.url)
    expect(page.get_by_role("heading", level=1, name="Listening First")).to_be_visible()
    check_axe(page, "course page (visitor)")
    page.get_by_role("button", name="Enrol for free").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.locator(".messages")).to_contain_text("Please sign in or create an account to enrol")
    check_axe(page, "sign-in page")

    # No account yet: sign up.
    page.get_by_role("main").get_by_role("link", name="sign up").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/"))
    check_axe(page, "sign-up page")
    page.get_by_label("Your name, as it should appear on certificates").fill("Ana Núñez")
    page.get_by_label("Email").fill("ana@example.org")
    # Required fields say so in their label: "Password (required)".
    page.get_by_label(re.compile(r"^Password \(required\)$")).fill("quiet-harbour-lantern-42")
    page.get_by_label("Password (again)").fill("quiet-harbour-lantern-42")
    page.get_by_role("main").get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1, name="Verify Your Email Address")).to_be_visible()
    check_axe(page, "verification-sent page")

    # The confirmation link arrives by email (Celery runs eagerly into the locmem outbox).
    to_ana = [m for m in mailoutbox if "ana@example.org" in m.to]
    assert to_ana, f"no email to the new learner; outbox: {[(m.to, m.subject) for m in mailoutbox]}"
    match = CONFIRM_PATH.search(to_ana[0].body)
    assert match, f"no confirmation link in the email:\n{to_ana[0].body}"
    page.goto(match.group(0))
    expect(page.get_by_role("heading", level=1, name="Confirm Email Address")).to_be_visible()
    check_axe(page, "confirm-email page")
    page.get_by_role("main").get_by_role("button", name="Confirm").click()

    # Confirmed and signed in.
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="My learning")).to_be_visible()
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()

    # Back to the course and enrol.
    nav.get_by_role("link", name="Courses").click()
    page.get_by_role("link", name="Listening First").click()
    expect(page).to_have_url(live_server.url + course.url)
    page.get_by_role("button", name="Enrol for free").click()

    # Straight into the first lesson.
    expect(page).to_have_url(live_server.url + lessons[0].url)
    expect(page.locator(".messages")).to_contain_text("You are enrolled in Listening First")
    expect(page.get_by_role("heading", level=1, name=lessons[0].title)).to_be_visible()
    check_axe(page, "lesson page")
    screenshot(page, "lesson-desktop")
    check_on_phone(page, "The lesson page on a phone", "lesson-phone")

    page.get_by_role("button", name="Mark complete and continue").click()
    expect(page).to_have_url(live_server.url + lessons[1].url)
    expect(page.locator(".messages")).to_contain_text(f"“{lessons[0].title}” is complete.")
    page.get_by_role("button", name="Mark complete and continue").click()
    expect(page).to_have_url(live_server.url + lessons[2].url)

    # My learning shows the course at 50% (2 of 4 required lessons).
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My learning").click()
    expect(page).to_have_url(live_server.url + "/learn/")
    card = page.locator(".card").filter(has_text="Listening First")
    expect(card.get_by_role("heading", name="Listening First")).to_be_visible()
    expect(card).to_contain_text("50% complete")
    check_axe(page, "My learning dashboard")
    assert_page_healthy(page)


def test_direct_lesson_link_and_keyboard_enrolment(page, live_server):
    course = build_course(title="Keyboard Course", modules=1, lessons_per_module=2, sequential=True)
    lessons = lessons_of(course)
    user = UserFactory(email="kim@example.org")

    # A visitor following a lesson link lands on the course page with an explanation.
    page.goto(lessons[0].url)
    expect(page).to_have_url(live_server.url + course.url)
    expect(page.locator(".messages")).to_contain_text("Sign in and enrol in this course to open its lessons.")

    # Sign in (with the keyboard: Enter submits), coming back to the course.
    sign_in(page, user.email, next_url=course.url)
    expect(page).to_have_url(live_server.url + course.url)

    # Tab from the top of the page: the skip link comes first, the enrol button is reachable,
    # shows a visible focus outline, and Enter enrols.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Skip to main content"
    for _ in range(30):
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Enrol for free":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("The enrol button cannot be reached with the Tab key")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "The focused enrol button shows no focus outline"
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + lessons[0].url)
    expect(page.get_by_role("button", name="Mark complete and continue")).to_be_visible()
    assert_page_healthy(page)


def test_a_reflection_saved_after_the_session_changed_says_so(page, live_server):
    """Saving in the background after signing out, or after signing in again in another
    tab (a new CSRF token), says what happened and what to do, not "the connection
    dropped": retrying could never work, and the learner would lose the text."""
    course = build_course(title="Keeping What You Wrote", modules=1, lessons_per_module=1)
    (lesson,) = lessons_of(course)
    learner = enrolled_learner(course, email="keeps@example.org")
    sign_in(page, learner.email, next_url=lesson.url)
    status = page.locator(".reflection-form .save-status").first
    page.locator(".reflection-form textarea").first.fill("Listen before answering.")
    page.get_by_role("button", name="Save my reflection").first.click()
    expect(status).to_have_text("Saved. Only you can see this.")

    # Signed out and in again in another tab of the same browser: this tab's token is stale.
    other = page.context.new_page()
    other.goto("/learn/")
    other.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()
    expect(other.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")).to_be_visible()
    sign_in(other, learner.email, next_url="/learn/")
    other.close()
    page.get_by_role("button", name="Save my reflection").first.click()
    expect(status).to_contain_text("signed in again in another tab")

    # The session ended (expired, or ended on the server): the server answers 401 with a reason.
    page.reload()
    page.context.clear_cookies(name="sessionid")
    page.get_by_role("button", name="Save my reflection").first.click()
    expect(status).to_contain_text("you have been signed out")
    assert not page.js_errors
