"""Continuing education as a learner meets it, in a real browser: the course page's CE
panel before enrolling (hours per body, provider number, the requirements in plain
words), the time-on-task display on a lesson following the heartbeat without a reload,
the licence form (clear errors, then saved), and the CE transcript with its PDF and CSV.
axe-core (WCAG 2.2 AA) finds nothing serious on any of them, at a desktop's and a
phone's width. Runs against ``live_server`` (transactional database; see
test_learner_journey.py)."""
import csv
import io
import re
from datetime import UTC, datetime

from playwright.sync_api import expect
from pypdf import PdfReader

from continuing_education.models import ProfessionalLicence
from courses.models import Enrollment
from tests.continuing_education.learner_data import approve, ce_certificate
from tests.factories import UserFactory, build_course, enrolled_learner, lessons_of
from tests.marks import BROWSER

from .helpers import assert_page_healthy, check_axe, check_on_phone, screenshot, sign_in

pytestmark = BROWSER


def test_ce_panel_time_on_task_licence_and_transcript(page, live_server):
    course = build_course(title="Meeting Facilitator Training", modules=1, lessons_per_module=2, quiz=True)  # passes at 70 %
    approval = approve(course, hours="6", passing_score_percent=80)
    approve(course, hours="4.5", body="NBCC", provider="NB-4521", requires_evaluation=False)
    learner = enrolled_learner(course, certificate_name="Zoë Ñúñez")
    ce_certificate(learner, course, approval, hours="6", completed_at=datetime(2026, 2, 10, 15, tzinfo=UTC))
    ce_certificate(UserFactory(), course, approval, title="SOMEONE ELSE'S COURSE", licence_number="NOT-MINE-1")

    # Before enrolling (a visitor): the CE panel.
    page.goto(course.url)
    panel = page.get_by_role("region", name="Continuing education (CE) hours")
    expect(panel.get_by_role("heading", name="NAADAC: 6 CE hours")).to_be_visible()
    expect(panel.get_by_role("heading", name="NBCC: 4.5 CE hours")).to_be_visible()
    expect(panel).to_contain_text("DEMO-000123")
    expect(panel).to_contain_text("Pass every required quiz with a score of at least 80%.")
    expect(panel).to_contain_text("a pass below 80% completes the course but earns no CE hours.")
    expect(panel).to_contain_text("Spend at least 6 h 0 min on the course’s lessons and quizzes.")
    expect(panel).to_contain_text("at most 8 CE hours per 24 hours")
    check_axe(page, "course page with its CE panel")
    check_on_phone(page, "course page with its CE panel", "ce-course-panel-phone")
    assert_page_healthy(page)

    # Learning: the time on task against CE follows the heartbeat, quietly.
    Enrollment.objects.filter(user=learner).update(time_spent_seconds=2 * 3600 + 9 * 60 + 59)
    lesson = lessons_of(course)[0]
    sign_in(page, learner.email, next_url=lesson.url)
    time_panel = page.get_by_role("region", name="Time on task for CE")
    expect(time_panel).to_contain_text("2 h 9 min")
    expect(time_panel).to_contain_text("3 h 51 min")
    assert time_panel.get_attribute("aria-live") is None
    page.wait_for_timeout(1500)  # at least a second on the lesson, measured by the server
    with page.expect_response(re.compile(r"/heartbeat/$")):
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(time_panel.locator("[data-ce-spent]")).to_have_text("2 h 10 min")
    expect(time_panel.locator("[data-ce-left]")).to_have_text("3 h 50 min")
    check_axe(page, "lesson with the time-on-task display")
    screenshot(page, "ce-lesson-time-on-task")

    # The licence form, from the account page: a clear error first, then saved.
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Your professional licence").click()
    expect(page.get_by_role("heading", level=1, name="Your professional licence")).to_be_visible()
    page.get_by_label(re.compile("^Profession")).first.select_option("other")
    page.get_by_label(re.compile("^Issuing board")).fill("Ohio Chemical Dependency Professionals Board")
    page.get_by_label(re.compile("^State or country")).fill("Ohio")
    page.get_by_label(re.compile("^Licence number")).fill("LCDC-III 12345")
    page.get_by_role("button", name="Save licence").click()
    expect(page.get_by_role("alert").first).to_contain_text("not saved yet")
    expect(page.locator("#id_profession_other_errors")).to_contain_text("since you chose “Other”")
    assert not ProfessionalLicence.objects.exists()
    check_axe(page, "licence form with an error")
    page.get_by_label(re.compile("^Profession, if other")).fill("Licensed chemical dependency counsellor")
    page.get_by_role("button", name="Save licence").click()
    expect(page.get_by_text("Your licence details are saved.")).to_be_visible()
    assert ProfessionalLicence.objects.get(user=learner).licence_number == "LCDC-III 12345"
    check_on_phone(page, "licence form", "ce-licence-phone")

    # The transcript: their own certificate only, with the PDF and the CSV.
    page.get_by_role("link", name="Your CE transcript").click()
    expect(page.get_by_role("heading", level=2, name="CE hours: 6")).to_be_visible()
    expect(page.get_by_role("table", name="CE hours per accrediting body")).to_contain_text("NAADAC (accrediting body)")
    expect(page.locator("body")).not_to_contain_text("SOMEONE ELSE'S COURSE")
    check_axe(page, "CE transcript")
    check_on_phone(page, "CE transcript", "ce-transcript-phone")
    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("Until").fill("2026-12-31")
    page.get_by_role("button", name="Show this period").click()
    expect(page.locator("#period-shown")).to_contain_text("Completed from")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Download CSV")).click()
    rows = list(csv.reader(io.StringIO(open(download_info.value.path(), encoding="utf-8").read())))
    assert rows[1][1] == "Meeting Facilitator Training" and rows[-1][4] == "6.00"
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Download PDF")).click()
    text = " ".join(PdfReader(download_info.value.path()).pages[0].extract_text().split())
    assert "Zoë Ñúñez" in text and "CE hours: 6" in text and "NOT-MINE-1" not in text
