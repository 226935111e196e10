"""The end of a course in a real browser: no dead ends.

1. A learner completes the last lesson of a course that counts towards a programme. The
   message says what is left for the certificate, with links; the course page says the
   same, and its main button leads there, not back to lesson 1. They follow the link,
   accept the code of conduct and confirm the statement on "My certificates"; the
   certificate is issued, and the course page's button now leads to it.
2. A learner passes a module quiz that completes the course: the result page says what
   comes next; the quiz page says it is passed, with the score, and no "attempts left".
   Staff then publish a new required lesson: the course page still says completed at
   100%, and marks the lesson "New since you finished".

Runs against ``live_server`` (transactional database; see test_learner_journey.py); Celery
runs eagerly, so issuing and emails follow each request.
"""
import re

from django.utils import timezone
from playwright.sync_api import expect

from certification.models import Attestation, Certificate, CodeOfConduct, Programme
from courses.models import LessonPage, ModulePage
from tests.factories import build_course, build_quiz, enrolled_learner, lesson_body, lessons_of, single, true_false
from tests.marks import BROWSER

from .helpers import PHONE_375, assert_page_healthy, check_axe, check_on_phone, pass_the_check, screenshot, sign_in

pytestmark = BROWSER

STATEMENT = "I have attended at least three mutual-help meetings"


def test_the_last_lesson_says_what_is_left_and_leads_to_the_certificate(page, live_server, mailoutbox):
    course = build_course(title="Meeting Basics", modules=1, lessons_per_module=2)
    first, last = lessons_of(course)
    CodeOfConduct.objects.create(
        version="2026.1", text="<p>Listen without judging. Keep what is shared private.</p>",
        published_at=timezone.now() - timezone.timedelta(days=30),
    )
    programme = Programme.objects.create(title="Meeting Facilitator", slug="meeting-facilitator", validity_months=24)
    programme.courses.add(course)
    programme.save()
    Attestation.objects.create(programme=programme, statement=STATEMENT)
    learner = enrolled_learner(course, done=[first], email="rumi@example.org", certificate_name="Rumi Adeyemi")

    sign_in(page, learner.email, next_url=last.url)
    expect(page).to_have_url(live_server.url + last.url)
    page.get_by_role("button", name="Mark complete").click()

    # The message: completed, and what is left for the certificate, with links.
    expect(page).to_have_url(live_server.url + course.url + "#next-steps")
    message = page.locator(".messages")
    expect(message).to_contain_text("Well done — you have completed Meeting Basics.")
    expect(message).to_contain_text("Still to do for your Meeting Facilitator certificate:")
    expect(message.get_by_role("link", name="Accept the code of conduct (version 2026.1)")).to_be_visible()
    expect(message.get_by_role("link", name=f"Confirm: “{STATEMENT}”")).to_be_visible()

    # The course page says the same, and its main button leads there, not to lesson 1.
    steps = page.get_by_role("region", name="What comes next")
    expect(steps).to_contain_text("You completed Meeting Basics on")
    expect(steps.get_by_role("link", name="Accept the code of conduct (version 2026.1)")).to_be_visible()
    expect(steps.get_by_role("link", name=f"Confirm: “{STATEMENT}”")).to_be_visible()
    place = page.get_by_role("region", name="Your place in this course")
    expect(place).to_contain_text("100% complete")
    expect(place.get_by_role("link", name="What is left for your certificate")).to_be_visible()
    expect(place.get_by_role("link", name=re.compile("Start the course|Continue"))).to_have_count(0)
    check_axe(page, "course page (what comes next)")
    screenshot(page, "completion-course-page")
    check_on_phone(page, "The completed course page at 375 px", "completion-course-page-375", viewport=PHONE_375)

    # The email says the same (and was sent once).
    (email,) = [m for m in mailoutbox if m.subject == "You have completed Meeting Basics"]
    assert "Accept the code of conduct (version 2026.1)" in email.body and STATEMENT in email.body

    # Follow the link and do both on "My certificates".
    steps.get_by_role("link", name="Accept the code of conduct (version 2026.1)").click()
    expect(page).to_have_url(re.compile(rf"/certificates/#programme-{programme.pk}$"))
    region = page.get_by_role("region", name="Meeting Facilitator")
    region.get_by_text("Read Facilitator code of conduct (version 2026.1)").click()
    region.get_by_label("I have read the code of conduct and I will follow it.").check()
    region.get_by_role("button", name="Accept").click()
    expect(page.locator(".messages")).to_contain_text("you have accepted the code of conduct")
    page.get_by_role("region", name="Meeting Facilitator").get_by_role(
        "button", name=re.compile("Yes, this is true for me")
    ).click()
    expect(page.locator(".messages")).to_contain_text("Your answer is saved.")
    assert Certificate.objects.filter(holder=learner, programme=programme).exists()

    # Back on the course page: the certificate is theirs, and the main button leads to it.
    page.goto(course.url)
    expect(page.get_by_role("region", name="What comes next")).to_contain_text("You hold the Meeting Facilitator certificate.")
    page.get_by_role("region", name="Your place in this course").get_by_role("link", name="View your certificate").click()
    expect(page).to_have_url(re.compile(r"/certificates/#programme-\d+$"))
    expect(page.get_by_role("link", name=re.compile("Download PDF"))).to_be_visible()
    assert_page_healthy(page)


def test_a_passed_quiz_completes_the_course_and_new_content_keeps_it_completed(page, live_server):
    course = build_course(title="Coping with Urges", modules=1, lessons_per_module=1)
    module = ModulePage.objects.child_of(course).get()
    quiz = build_quiz(module, title="Urges check", questions=[single(), true_false(answer=True)], attempts_allowed=3)
    learner = enrolled_learner(course, done=lessons_of(course), email="sol@example.org")

    sign_in(page, learner.email, next_url=quiz.url)
    expect(page.get_by_role("main")).to_contain_text("You can make 3 attempts (3 left).")
    page.get_by_role("button", name="Start the quiz").click()
    pass_the_check(page)
    # The pass completed the course: the result page says what comes next.
    expect(page.get_by_role("region", name="What comes next")).to_contain_text("You completed Coping with Urges on")
    expect(page.get_by_role("main")).not_to_contain_text("left")
    check_axe(page, "result page (passed, course completed)")

    # The quiz page: passed, the score, a way to look back and a way on; no attempts left.
    page.goto(quiz.url)
    main = page.get_by_role("main")
    expect(main).to_contain_text("You passed this quiz with 100% on")
    expect(main).not_to_contain_text("left)")
    expect(main).to_contain_text("You can make 3 attempts.")
    expect(main.get_by_role("link", name="Review your answers")).to_be_visible()
    expect(main.get_by_role("button", name=re.compile("Try again|Start the quiz"))).to_have_count(0)
    check_axe(page, "quiz page (passed)")
    check_on_phone(page, "The passed quiz page at 375 px", "quiz-passed-375", viewport=PHONE_375, axe=False)

    # Staff publish a new required lesson in the course.
    added = module.add_child(instance=LessonPage(title="Urge surfing, again", body=lesson_body(3), live=False))
    added.save_revision().publish()
    page.goto(course.url)
    place = page.get_by_role("region", name="Your place in this course")
    expect(place).to_contain_text("100% complete")
    expect(place).to_contain_text("course completed")
    expect(place).to_contain_text("1 item was added since you finished")
    expect(page.get_by_role("listitem").filter(has_text="Urge surfing, again")).to_contain_text("New since you finished")
    expect(page.get_by_role("main")).not_to_contain_text("50%")
    check_axe(page, "course page (content added since finishing)")
    screenshot(page, "completion-new-content")
    check_on_phone(page, "The course page with new content at 375 px", viewport=PHONE_375, axe=False)
    assert_page_healthy(page)
