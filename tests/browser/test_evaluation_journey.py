"""A learner fills in a course's evaluation in a real browser: the course page points to
it; sending it with a required answer missing lists the error, linked to its question,
and keeps what was answered; the rating groups are named radio groups a keyboard and a
screen reader can use (axe-core, WCAG 2.2 AA, on a phone too); once sent it says thank
you, and the course page no longer asks.

Runs against ``live_server`` (transactional database; see test_learner_journey.py).
"""
from playwright.sync_api import expect

from continuing_education.models import EvaluationPage, EvaluationResponse, EvaluationSubmission
from tests.factories import build_course, enrolled_learner
from tests.marks import BROWSER

from .helpers import assert_page_healthy, check_axe, check_on_phone, sign_in

pytestmark = BROWSER


def test_a_learner_submits_the_course_evaluation(page, live_server):
    course = build_course(title="Meeting Basics", modules=1, lessons_per_module=1)
    evaluation = course.add_child(instance=EvaluationPage(title="Course evaluation"))
    learner = enrolled_learner(course, email="rumi@example.org", certificate_name="Rumi Adeyemi")

    sign_in(page, learner.email, next_url=course.url)
    prompt = page.locator("#evaluation-prompt")
    expect(prompt).to_contain_text("please tell us what you thought")
    prompt.get_by_role("link", name="fill in the course evaluation").click()
    expect(page).to_have_url(live_server.url + evaluation.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Course evaluation")
    check_axe(page, "the evaluation form")

    objectives = page.get_by_role("group", name="The learning objectives were met. (required)")
    objectives.get_by_role("radio", name="5 – Strongly agree").check()
    page.get_by_role("group", name="The presenter and the material were clear and knowledgeable. (required)") \
        .get_by_label("4 – Agree").check()
    page.get_by_role("group", name="I would recommend this course to a colleague. (required)") \
        .get_by_role("radio", name="Yes").check()
    page.get_by_label("What could be better?").fill("More time for role-play, please.")
    page.get_by_role("button", name="Send my evaluation").click()

    # The relevance question was left out: said first, linked to its question; nothing kept.
    error = page.locator("#form-error")
    expect(error).to_contain_text("Nothing was sent yet.")
    link = error.get_by_role("link", name="The content was relevant to my work.: Please answer this question.")
    expect(link).to_be_visible()
    relevance = page.get_by_role("group", name="The content was relevant to my work. (required)")
    expect(relevance).to_contain_text("Please answer this question.")
    expect(objectives.get_by_role("radio", name="5 – Strongly agree")).to_be_checked()
    expect(page.get_by_label("What could be better?")).to_have_value("More time for role-play, please.")
    assert EvaluationSubmission.objects.count() == 0
    check_axe(page, "the evaluation form with an error")

    link.click()
    relevance.get_by_role("radio", name="4 – Agree").focus()
    page.keyboard.press("Space")  # a keyboard chooses as a mouse does
    expect(relevance.get_by_role("radio", name="4 – Agree")).to_be_checked()
    page.get_by_role("button", name="Send my evaluation").click()

    expect(page.locator(".messages")).to_contain_text("Thank you: your evaluation was received.")
    expect(page.locator("#evaluation-received")).to_be_visible()
    expect(page.get_by_role("button", name="Send my evaluation")).to_have_count(0)
    check_on_phone(page, "the evaluation, received")
    assert EvaluationSubmission.objects.filter(user=learner, course=course).count() == 1
    (response,) = EvaluationResponse.objects.all()
    assert sorted(response.answers.values(), key=str) == sorted(
        [5, 4, 4, True, "More time for role-play, please."], key=str
    )

    page.get_by_role("link", name="Back to the course").click()
    expect(page).to_have_url(live_server.url + course.url)
    expect(page.locator("#evaluation-prompt")).to_have_count(0)
    assert_page_healthy(page)
