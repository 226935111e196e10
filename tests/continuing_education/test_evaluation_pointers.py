"""Where a learner is pointed to the course evaluation (the course page, what is left once
the lessons are done, the completion email), what it costs, and that the course's outline
and a Spanish translation treat the evaluation page rightly."""
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from continuing_education.evaluation import services
from continuing_education.models import EvaluationResponse, EvaluationSubmission
from courses import next_steps
from courses import services as learning
from courses.outline import build_outline, build_outlines
from courses.selectors import course_state
from tests.continuing_education.evaluations import add_evaluation, full_answers, question_ids
from tests.courses.translated import translate, translate_site
from tests.factories import UserFactory, build_course, build_quiz, enrolled_learner, lessons_of, single

pytestmark = pytest.mark.django_db

PROMPT = 'id="evaluation-prompt"'
STEP = "Fill in the course evaluation"


@pytest.fixture
def course():
    return build_course(modules=1, lessons_per_module=2)


def test_the_course_page_points_an_enrolled_learner_to_the_evaluation_until_they_answer(client, course):
    evaluation = add_evaluation(course)
    learner = enrolled_learner(course)
    client.force_login(learner)
    page = client.get(course.url).content.decode()
    assert PROMPT in page and f'href="{evaluation.url}"' in page
    services.evaluation_submit(user=learner, course=course, language="en", answers={})
    assert PROMPT not in client.get(course.url).content.decode()


@pytest.mark.parametrize("who", ["visitor", "not_enrolled"])
def test_nobody_else_is_pointed_to_it(client, course, who):
    add_evaluation(course)
    if who == "not_enrolled":
        client.force_login(UserFactory())
    assert PROMPT not in client.get(course.url).content.decode()


def test_a_course_without_a_published_evaluation_points_nowhere(client, course):
    evaluation = add_evaluation(course)
    evaluation.unpublish()
    client.force_login(enrolled_learner(course))
    assert PROMPT not in client.get(course.url).content.decode()


def page_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_pointer_costs_nothing_for_visitors_and_courses_without_one_and_one_query_otherwise(client, course):
    other = build_course(title="Without evaluation", modules=1, lessons_per_module=2)
    assert page_queries(client, course.url) == page_queries(client, other.url)  # visitor, before any evaluation
    add_evaluation(course)
    visitor = page_queries(client, course.url)
    assert visitor == page_queries(client, other.url)
    learner = enrolled_learner(course)
    learning.enrollment_create(user=learner, course=other)
    client.force_login(learner)
    # One query more where there is an evaluation to point to (has the learner answered it?).
    assert page_queries(client, course.url) == page_queries(client, other.url) + 1


def finish_lessons(learner, course):
    enrollment = learner.enrollments.get(course=course)
    for lesson in lessons_of(course):
        learning.lesson_complete(enrollment=enrollment, lesson=lesson)


def test_once_the_lessons_are_done_what_is_left_includes_the_evaluation_everywhere(
    client, course, django_capture_on_commit_callbacks
):
    evaluation = add_evaluation(course)
    learner = enrolled_learner(course)
    client.force_login(learner)
    lessons = lessons_of(course)
    learning.lesson_complete(enrollment=learner.enrollments.get(), lesson=lessons[0])
    mail.outbox.clear()
    # The message after the last lesson.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("courses:complete", args=[course.pk, lessons[1].pk]), follow=True)
    page = response.content.decode()
    assert f'<a href="{evaluation.url}">{STEP}</a>' in page
    assert PROMPT not in page  # the panel says it: not twice
    # The course page's panel of what comes next, and never as its main button.
    panel = page.split('id="next-steps"')[1]
    assert f'<a href="{evaluation.url}">{STEP}</a>' in panel
    # The completion email.
    (email,) = [m for m in mail.outbox if "completed" in m.subject.lower()]
    assert f"- {STEP}: " in email.body and f"/{evaluation.url.lstrip('/')}\n" in email.body
    services.evaluation_submit(user=learner, course=course, language="en", answers={})
    assert STEP not in client.get(course.url).content.decode()


def test_the_evaluation_is_not_the_main_button(course):
    add_evaluation(course)
    learner = enrolled_learner(course)
    finish_lessons(learner, course)
    state = course_state(course=course, user=learner)
    steps = next_steps.completion_steps(state=state)
    assert [s.kind for s in steps.other_steps] == ["evaluation"]
    assert steps.main_action.kind != "evaluation"


def test_a_course_without_an_evaluation_has_no_such_step(course):
    learner = enrolled_learner(course)
    finish_lessons(learner, course)
    assert next_steps.completion_steps(state=course_state(course=course, user=learner)).other_steps == []


# --- the outline ignores the evaluation ---------------------------------------------------------


def test_the_outline_ignores_an_evaluation_page_in_the_course():
    course = build_course(modules=2, lessons_per_module=2)
    final = build_quiz(course, questions=[single()], title="Final assessment")
    before = build_outline(course, course_url=course.url)
    add_evaluation(course)
    after = build_outline(course, course_url=course.url)
    assert [(i.id, i.kind) for i in after.items] == [(i.id, i.kind) for i in before.items]
    assert after.items[-1].id == final.pk and len(after.items) == 5
    assert [i.id for i in build_outlines([course])[course.pk].items] == [i.id for i in after.items]


def test_a_course_with_an_evaluation_completes_on_its_lessons_alone(client, course):
    add_evaluation(course)
    learner = enrolled_learner(course)
    finish_lessons(learner, course)
    enrollment = learner.enrollments.get()
    assert enrollment.status == "completed" and enrollment.progress_percent == 100
    client.force_login(learner)
    assert client.get(course.url).status_code == 200


# --- in Spanish --------------------------------------------------------------------------------


def test_a_spanish_evaluation_keeps_answers_against_the_source_course_and_block_ids(client, course):
    evaluation = add_evaluation(course)
    translate_site()
    spanish_course = translate(course)
    spanish = translate(evaluation)
    assert spanish.get_parent().pk == spanish_course.pk
    assert question_ids(spanish) == question_ids(evaluation)  # wagtail-localize keeps block ids
    assert [b.value["question"] for b in spanish.questions][0] == "ES The learning objectives were met."
    learner = enrolled_learner(course)
    client.force_login(learner)
    page = client.get(spanish.url).content.decode()
    assert spanish.url.startswith("/es/") and "ES The learning objectives were met." in page
    assert "5 – Totalmente de acuerdo" in page
    # The Spanish course page points to the Spanish evaluation.
    assert f'href="{spanish.url}"' in client.get(spanish_course.url).content.decode()
    response = client.post(spanish.url, full_answers(spanish, rating="3"))
    assert response.status_code == 302
    submission = EvaluationSubmission.objects.get()
    answer = EvaluationResponse.objects.get()
    assert submission.course_id == course.pk and answer.course_id == course.pk
    assert answer.language == "es"
    assert set(answer.answers) == set(question_ids(evaluation).values())
    # Answered in Spanish is answered: the English page says so too, and stores nothing more.
    client.post(evaluation.url, full_answers(evaluation))
    assert EvaluationResponse.objects.count() == 1
