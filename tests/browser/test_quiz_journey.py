"""Quizzes in a real browser: fail, wait, retry and pass; a written answer reviewed by staff
in the Wagtail admin, and the learner seeing the reviewer's marks and comment.

Runs against ``live_server`` (transactional database, Celery eager, so grading happens when
the submission commits). Course and quizzes are built here with the factories, not taken
from the demo. Waiting between attempts is not slept through: the test moves the first
attempt's submission time back instead.
"""
import re
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db.models import F
from playwright.sync_api import expect

from courses.models import ModulePage, QuizAttempt
from tests.factories import (
    UserFactory, build_course, build_quiz, enrolled_learner, multiple, single, true_false, written,
)
from tests.marks import BROWSER

from .helpers import assert_page_healthy, check_axe, check_on_phone, screenshot, sign_in

pytestmark = BROWSER

RESULT_PATH = re.compile(r"/learn/attempts/(\d+)/result/$")
ATTEMPT_PATH = re.compile(r"/learn/attempts/(\d+)/$")

WHO_DECIDES = re.compile("Who decides what a participant shares")
END_EARLY = re.compile("end a meeting early")
KEEP_SAFE = re.compile("Which of these keep a meeting safe")

WRITTEN_ANSWER = (
    "I would speak with them quietly and kindly, away from the group, and thank them for "
    "coming. If they are calm they can stay and listen; if not, I would invite them to come "
    "back next week and make sure they have a safe way home."
)


def module_quiz(title: str, questions, **rules):
    course = build_course(title=title, modules=1, lessons_per_module=1)
    module = ModulePage.objects.child_of(course).get()
    quiz = build_quiz(module, title=f"{title}: check", questions=questions, **rules)
    return course, quiz


def question(page, name):
    """A question's fieldset, found by its legend (the prompt)."""
    return page.get_by_role("group", name=name)


def attempt_id(page) -> int:
    return int(RESULT_PATH.search(page.url).group(1))


def test_fail_wait_retry_and_pass(page, live_server):
    course, quiz = module_quiz(
        "Calm Meetings",
        [single(), true_false(answer=True), multiple(scoring="partial")],
        pass_mark=80, attempts_allowed=3, wait_minutes=1, feedback="after_each",
    )
    learner = enrolled_learner(course, email="robin@example.org")
    sign_in(page, learner.email, next_url=quiz.url)
    expect(page).to_have_url(live_server.url + quiz.url)

    # The quiz page explains the rules before anything starts.
    expect(page.get_by_role("heading", level=1, name=quiz.title)).to_be_visible()
    rules = page.get_by_role("region", name="How this quiz works")
    expect(rules).to_contain_text("3 questions")
    expect(rules).to_contain_text("You pass with 80% or more")
    expect(rules).to_contain_text("try again after 1 minute")
    check_axe(page, "quiz page")
    page.get_by_role("button", name="Start the quiz").click()

    # Attempt 1: every answer wrong. Each answer is saved as the learner goes.
    expect(page).to_have_url(ATTEMPT_PATH)
    expect(page.get_by_role("heading", level=1)).to_contain_text("attempt 1")
    check_axe(page, "attempt page")
    first = question(page, WHO_DECIDES)
    first.get_by_label("The facilitator").check()
    expect(first.locator(".save-status")).to_have_text("Saved.")
    question(page, END_EARLY).get_by_label("False").check()
    question(page, KEEP_SAFE).get_by_label("Cross-talk").check()
    expect(question(page, KEEP_SAFE).locator(".save-status")).to_have_text("Saved.")
    page.get_by_role("button", name="Submit my answers").click()

    # Graded (eagerly, or after the page's polling): not passed, with feedback, and a wait.
    expect(page).to_have_url(RESULT_PATH)
    first_attempt = attempt_id(page)
    result = page.locator("#result-status")
    expect(result).to_contain_text("You did not pass this time", timeout=15_000)
    expect(result).to_contain_text("0%")
    expect(result).to_contain_text(re.compile(r"you can try again in 1 minute"))
    expect(page.get_by_role("button", name="Try again")).to_have_count(0)
    answers = page.get_by_role("list").filter(has=page.get_by_text("Your answer:").first)
    expect(answers).to_contain_text("Facilitators invite; they never require.")  # option feedback
    expect(answers).to_contain_text("The right answer: The participant")
    check_axe(page, "result page (not passed)")
    screenshot(page, "quiz-result-fail")

    # The quiz page says the same, with the time it opens again.
    page.get_by_role("link", name=quiz.title).click()
    waiting = page.locator(".message-info")
    expect(waiting).to_contain_text("you can try again in 1 minute")
    # The day as every page writes it (kernel.when: "5 December 2026").
    expect(waiting).to_contain_text(re.compile(r"It opens again at \d\d:\d\d UTC on \d+ \w+ \d{4}\."))
    expect(page.get_by_role("button", name="Try again")).to_have_count(0)
    expect(page.get_by_role("table")).to_contain_text("Not passed")

    # A minute later (moved, not slept), the learner may try again.
    QuizAttempt.objects.filter(pk=first_attempt).update(submitted_at=F("submitted_at") - timedelta(minutes=2))
    page.reload()
    page.get_by_role("button", name="Try again").click()
    expect(page).to_have_url(ATTEMPT_PATH)
    expect(page.get_by_role("heading", level=1)).to_contain_text("attempt 2")
    # Answers of the first attempt are not carried over.
    expect(question(page, WHO_DECIDES).get_by_label("The facilitator")).not_to_be_checked()

    # Once on a phone: no sideways scrolling, and still accessible.
    check_on_phone(page, "The attempt page on a phone", "quiz-attempt-phone")

    question(page, WHO_DECIDES).get_by_label("The participant").check()
    question(page, END_EARLY).get_by_label("True").check()
    safe = question(page, KEEP_SAFE)
    safe.get_by_label("Confidentiality").check()
    safe.get_by_label("Turn-taking").check()
    page.get_by_role("button", name="Submit my answers").click()

    expect(page).to_have_url(RESULT_PATH)
    assert attempt_id(page) != first_attempt
    result = page.locator("#result-status")
    expect(result).to_contain_text("You passed", timeout=15_000)
    expect(result).to_contain_text("100%")
    check_axe(page, "result page (passed)")

    page.get_by_role("link", name=quiz.title).click()
    expect(page.get_by_text("You passed this quiz")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Try again|Start the quiz"))).to_have_count(0)
    assert list(QuizAttempt.objects.filter(user=learner).order_by("number").values_list("passed", flat=True)) == [
        False,
        True,
    ]
    assert_page_healthy(page)


def test_written_answer_reviewed_in_the_admin(page, another_browser, live_server, mailoutbox):
    course, quiz = module_quiz(
        "Hard Moments", [single(), written(min_length=150)], pass_mark=60, feedback="after_each"
    )
    learner = enrolled_learner(course, email="sam@example.org", certificate_name="Sam Quinn")
    reviewer = UserFactory(email="reviewer@example.org", certificate_name="Rita Reviewer")
    reviewer.groups.add(Group.objects.get(name="Assessment reviewers"))

    sign_in(page, learner.email, next_url=quiz.url)
    page.get_by_role("button", name="Start the quiz").click()
    expect(page).to_have_url(ATTEMPT_PATH)
    question(page, WHO_DECIDES).get_by_label("The participant").check()
    essay = question(page, re.compile("Describe what you would do and why"))
    expect(essay).to_contain_text("A reviewer will look for")
    box = essay.get_by_role("textbox")
    expect(box).to_have_accessible_description(re.compile("At least 150 characters"))

    # Too short: nothing is submitted, the message says which question and why, and what
    # was typed is still there.
    box.fill("I would talk to them.")
    page.get_by_role("button", name="Submit my answers").click()
    error = page.get_by_role("alert")
    expect(error).to_contain_text("Nothing was submitted yet")
    expect(box).to_have_value("I would talk to them.")
    expect(box).to_have_attribute("aria-invalid", "true")
    check_axe(page, "attempt page (with an error)")
    assert page.failed_requests == [f"400 POST {live_server.url}/learn/attempts/{QuizAttempt.objects.get().pk}/submit/"]
    page.failed_requests.clear()  # the 400 is the expected answer to a bad form
    error.get_by_role("link").click()

    box.fill(WRITTEN_ANSWER)
    page.get_by_role("button", name="Submit my answers").click()
    expect(page).to_have_url(RESULT_PATH)
    result_url = page.url
    expect(page.locator("#result-status")).to_contain_text("Waiting for a reviewer")
    check_axe(page, "result page (waiting for a reviewer)")
    attempt = QuizAttempt.objects.get(user=learner)
    assert attempt.status == QuizAttempt.Status.NEEDS_REVIEW

    # A reviewer signs in to the Wagtail admin and opens the review queue.
    staff = another_browser()
    sign_in(staff, reviewer.email, next_url="/admin/")
    expect(staff).to_have_url(live_server.url + "/admin/")
    staff.get_by_role("link", name=re.compile(r"^Review queue")).first.click()
    expect(staff).to_have_url(live_server.url + "/admin/quiz-reviews/")
    row = staff.get_by_role("row").filter(has_text="Sam Quinn")
    expect(row).to_contain_text(quiz.title)
    row.get_by_role("link", name="Sam Quinn").click()
    expect(staff).to_have_url(live_server.url + f"/admin/quiz-reviews/{attempt.pk}/")
    expect(staff.get_by_role("main")).to_contain_text("I would speak with them quietly and kindly")

    staff.get_by_label("Keeps the member and the group safe").select_option("3")
    staff.get_by_label("Respects the member's dignity").select_option("1")
    staff.get_by_label("Comment for the learner").fill(
        "A calm, safe plan. Next time, say how you would protect their dignity in front of the group."
    )
    staff.get_by_role("button", name="Save review and send result").click()
    expect(staff).to_have_url(live_server.url + "/admin/quiz-reviews/")
    expect(staff.get_by_text("Review saved")).to_be_visible()
    expect(staff.get_by_text("Nothing is waiting for review")).to_be_visible()
    assert_page_healthy(staff)

    # The learner is emailed, reloads the result and sees score, marks and comment.
    assert [m.to for m in mailoutbox if "result" in m.subject.lower()] == [[learner.email]]
    page.goto(result_url)
    result = page.locator("#result-status")
    expect(result).to_contain_text("83%")  # 1 + 4 of 6 points
    expect(result).to_contain_text("You passed")
    expect(result).to_contain_text("A calm, safe plan.")
    marks = page.locator(".marks")
    expect(marks).to_contain_text("Keeps the member and the group safe: 3 of 3")
    expect(marks).to_contain_text("Respects the member's dignity: 1 of 2")
    check_axe(page, "result page (reviewed)")
    screenshot(page, "quiz-result-reviewed")
    assert_page_healthy(page)
