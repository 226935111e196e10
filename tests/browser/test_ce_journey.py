"""From a CE-approved course's page to the CE transcript and the public verification page,
in a real browser, as a licensed professional meets continuing education.

The course is two lessons and a required quiz, 2 hours long, approved for 2 CE hours by a
body that credits at most 1 hour per 24 hours. The professional reads the CE panel
before enrolling, enrols, records their licence, works through the lessons, passes the
quiz and sends the course evaluation; the CE status page then says when the second hour
will be credited. A day later the beat sweep issues the certificate: they download its
PDF, open their CE transcript (PDF and CSV) and check its code on the verification page.
axe-core (WCAG 2.2 AA) finds nothing serious on any page; the course page and the
transcript are checked at a 375 px phone's width too.

How time is made (nothing sleeps): the two hours on task are added through the service
the pages' heartbeats call (``courses.services.study_time.study_time_add``) for the three
clock hours before now; the day that passes is a clock moved 25 hours on
(``django.utils.timezone.now``, read by every service and task here) while the beat
sweep's service runs and its task (eager, as Celery runs in the tests) issues the
certificate. Runs against ``live_server`` (transactional database; see
test_learner_journey.py).
"""
import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from continuing_education import services as ce
from continuing_education.models import CECertificate, EvaluationPage, ProfessionalLicence
from courses.models import CoursePage, Enrollment, ModulePage
from courses.services.study_time import study_time_add
from tests.continuing_education.learner_data import approve
from tests.factories import UserFactory, build_course, build_quiz, single, true_false
from tests.marks import BROWSER

from .helpers import PHONE_375, assert_page_healthy, check_axe, check_on_phone, pass_the_check, screenshot, sign_in

pytestmark = BROWSER

NAME = "Zoë Ñúñez-O'Brien"
BODY = "EBAP (demo)"  # the short name: learner_data.approve names the body "<short> (accrediting body)"


@pytest.fixture
def course():
    course = build_course(title="Meeting Basics", modules=1, lessons_per_module=2)
    CoursePage.objects.filter(pk=course.pk).update(estimated_hours=Decimal("2"))
    module = ModulePage.objects.child_of(course).get()
    build_quiz(module, title="Final check", questions=[single(), true_false(answer=True)], pass_mark=70)
    course.add_child(instance=EvaluationPage(title="Course evaluation"))
    approve(course, hours="2", body=BODY, provider="DEMO-0000", passing_score_percent=80,
            daily_cap_hours=Decimal("1"))
    return CoursePage.objects.get(pk=course.pk)


def test_from_the_course_page_to_the_ce_transcript_and_verification(page, another_browser, live_server, course):
    learner = UserFactory(email="zoe@example.org", certificate_name=NAME)

    # Before enrolling: the course page says what CE it carries and what it asks.
    sign_in(page, learner.email, next_url=course.url)
    panel = page.get_by_role("region", name="Continuing education (CE) hours")
    expect(panel.get_by_role("heading", name=f"{BODY}: 2 CE hours")).to_be_visible()
    expect(panel).to_contain_text("DEMO-0000")
    expect(panel).to_contain_text("Pass every required quiz with a score of at least 80%.")
    expect(panel).to_contain_text("Spend at least 2 h 0 min on the course’s lessons and quizzes.")
    expect(panel).to_contain_text("at most 1 CE hour per 24 hours")
    expect(panel).to_contain_text("Fill in the course evaluation")
    check_axe(page, "CE course page, before enrolling")
    check_on_phone(page, "CE course page at 375 px", "ce-journey-course-375", viewport=PHONE_375)

    page.get_by_role("button", name="Enrol for free").click()
    expect(page.get_by_role("heading", level=1, name="Meeting Basics lesson 1.1")).to_be_visible()
    enrollment = Enrollment.objects.get(user=learner, course=course)

    # The licence, from the panel's link: the CE certificate prints it.
    page.goto(course.url)
    page.get_by_role("region", name="Continuing education (CE) hours").get_by_role(
        "link", name="your licence details"
    ).first.click()
    expect(page.get_by_role("heading", level=1, name="Your professional licence")).to_be_visible()
    page.get_by_label(re.compile("^Profession")).first.select_option("counsellor")
    page.get_by_label(re.compile("^Issuing board")).fill("Ohio Chemical Dependency Professionals Board")
    page.get_by_label(re.compile("^State or country")).fill("Ohio")
    page.get_by_label(re.compile("^Licence number")).fill("LCDC-III 12345")
    check_axe(page, "licence form")
    page.get_by_role("button", name="Save licence").click()
    expect(page.get_by_text("Your licence details are saved.")).to_be_visible()
    assert ProfessionalLicence.objects.get(user=learner).licence_number == "LCDC-III 12345"

    # Two hours of study in the three clock hours before now (see the module).
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)
    with transaction.atomic():  # as a heartbeat's request holds it
        study_time_add(enrollment_id=enrollment.pk, start=start, end=start + timedelta(hours=2))

    # The lessons, in order; the lesson page shows the time on task against CE.
    page.goto(course.url)
    page.get_by_role("main").get_by_role("link", name="Meeting Basics lesson 1.1").first.click()
    expect(page.get_by_role("region", name="Time on task for CE")).to_contain_text("2 h")
    check_axe(page, "lesson with time on task")
    page.get_by_role("button", name="Mark complete and continue").click()
    expect(page.get_by_role("heading", level=1, name="Meeting Basics lesson 1.2")).to_be_visible()
    page.get_by_role("button", name="Mark complete and continue").click()

    # The quiz: passed above the approval's passing score, which completes the course.
    expect(page.get_by_role("heading", level=1, name="Final check")).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()
    pass_the_check(page)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert not CECertificate.objects.exists()  # the evaluation is still missing

    # The evaluation, from what the course page says is left.
    page.goto(course.url)
    page.get_by_role("main").get_by_role("link", name="Fill in the course evaluation").first.click()
    expect(page.get_by_role("heading", level=1, name="Course evaluation")).to_be_visible()
    for question in ("The learning objectives were met.", "The content was relevant to my work.",
                     "The presenter and the material were clear and knowledgeable."):
        page.get_by_role("group", name=f"{question} (required)").get_by_role("radio", name="5 – Strongly agree").check()
    page.get_by_role("group", name="I would recommend this course to a colleague. (required)") \
        .get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Send my evaluation").click()
    expect(page.locator(".messages")).to_contain_text("Thank you: your evaluation was received.")

    # Every rule met but the daily cap: the status page says when the rest is credited.
    page.goto("/continuing-education/")
    expect(page.get_by_role("heading", level=1, name="Continuing education (CE)")).to_be_visible()
    section = page.get_by_role("region", name="Meeting Basics")
    expect(section).to_contain_text("1 of 2 hours are credited so far; the rest will be credited on")
    expect(section).to_contain_text("Course evaluation submitted.")
    expect(section).to_contain_text("Your professional licence is recorded.")
    assert not CECertificate.objects.exists()
    check_axe(page, "CE status, waiting for the daily cap")
    screenshot(page, "ce-journey-status-waiting")

    # A day passes (see the module): the beat sweep finds the check due and issues it.
    real_now = timezone.now
    with mock.patch("django.utils.timezone.now", lambda: real_now() + timedelta(hours=25)):
        assert ce.ce_sweep()["evaluate"] == 1
    certificate = CECertificate.objects.get(holder=learner)
    assert (certificate.hours, certificate.provider_number, certificate.licence_number) == (
        Decimal("2.00"), "DEMO-0000", "LCDC-III 12345"
    )
    assert certificate.pdf  # rendered by its task

    page.reload()
    card = page.locator(".certificates > li").filter(has=page.get_by_role("heading", name="Meeting Basics"))
    expect(card).to_contain_text("Valid")
    expect(card).to_contain_text(certificate.display_code)
    expect(page.get_by_role("region", name="Meeting Basics")).to_contain_text("Your CE certificate is issued")
    check_axe(page, "CE status, issued")

    with page.expect_download() as download_info:
        card.get_by_role("link", name=re.compile("^Download PDF")).click()
    content = open(download_info.value.path(), "rb").read()
    assert content.startswith(b"%PDF-")
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    for expected in (NAME, "Meeting Basics", "DEMO-0000", "LCDC-III 12345", certificate.display_code):
        assert expected in text, expected

    # The transcript, with its PDF and CSV, on a desktop and a phone.
    page.goto("/continuing-education/transcript/")
    expect(page.get_by_role("heading", level=2, name="CE hours: 2")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(certificate.display_code)
    check_axe(page, "CE transcript")
    check_on_phone(page, "CE transcript at 375 px", "ce-journey-transcript-375", viewport=PHONE_375)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Download CSV")).click()
    rows = list(csv.reader(io.StringIO(open(download_info.value.path(), encoding="utf-8-sig").read())))
    assert any("Meeting Basics" in row and "2.00" in row for row in rows), rows
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Download PDF")).click()
    transcript = " ".join(PdfReader(download_info.value.path()).pages[0].extract_text().split())
    assert NAME in transcript and "CE hours: 2" in transcript

    # Anyone checks the code on the public verification page: the facts, never the licence.
    visitor = another_browser()
    visitor.goto("/certificates/verify/")
    visitor.get_by_label("Certificate code").fill(certificate.display_code.lower())
    visitor.get_by_label("Certificate code").press("Enter")
    result = visitor.get_by_role("status")
    expect(result).to_contain_text("This continuing education (CE) certificate is genuine.")
    for expected in (NAME, "Meeting Basics", "DEMO-0000", certificate.display_code):
        expect(result).to_contain_text(expected)
    expect(visitor.get_by_role("main")).not_to_contain_text("LCDC-III 12345")
    check_axe(visitor, "CE verification page")
    check_on_phone(visitor, "CE verification page at 375 px", viewport=PHONE_375)
    assert_page_healthy(visitor)
    assert_page_healthy(page)
