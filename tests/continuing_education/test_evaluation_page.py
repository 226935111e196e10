"""The course evaluation as a learner meets it: the usual questions from the start, the
form for an enrolled learner, required answers, one submission, refusals that store
nothing, and the signal the CE certificate listens to."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from continuing_education import events
from continuing_education.evaluation import services
from continuing_education.errors import EvaluationAlreadySubmitted, EvaluationRefused
from continuing_education.models import EvaluationPage, EvaluationResponse, EvaluationSubmission
from courses.models import Enrollment
from tests.continuing_education.evaluations import add_evaluation, full_answers, question_ids
from tests.factories import UserFactory, build_course, enrolled_learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return build_course(modules=1, lessons_per_module=1)


@pytest.fixture
def evaluation(course):
    return add_evaluation(course)


def stored():
    return EvaluationSubmission.objects.count(), EvaluationResponse.objects.count()


def test_a_new_evaluation_starts_with_the_usual_questions(evaluation):
    page = EvaluationPage.objects.get(pk=evaluation.pk)
    questions = [(b.block_type, b.value["question"], b.value["required"]) for b in page.questions]
    assert questions == [
        ("rating", "The learning objectives were met.", True),
        ("rating", "The content was relevant to my work.", True),
        ("rating", "The presenter and the material were clear and knowledgeable.", True),
        ("yes_no", "I would recommend this course to a colleague.", True),
        ("text", "What could be better?", False),
        ("text", "Any other comments?", False),
    ]
    assert all(block.id for block in page.questions)  # ids to keep answers by


def test_staff_adding_an_evaluation_in_the_admin_find_the_questions_filled_in(client, course):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(f"/admin/pages/add/continuing_education/evaluationpage/{course.pk}/")
    assert response.status_code == 200
    assert b"The learning objectives were met." in response.content
    assert b"Any other comments?" in response.content


def test_an_enrolled_learner_sees_rating_groups_labelled_in_words(client, course, evaluation):
    client.force_login(enrolled_learner(course))
    page = client.get(evaluation.url).content.decode()
    ids = question_ids(evaluation)
    assert page.count("<fieldset") == 4  # three ratings and one yes/no: each a named group
    assert f'<legend id="id_q-{ids["rating1"]}-question"' in page
    assert "5 – Strongly agree" in page and "1 – Strongly disagree" in page
    assert f'name="q-{ids["rating1"]}" value="5"' in page
    assert f'<label for="id_q-{ids["text1"]}"' in page
    assert page.count("(required)") >= 4


def test_submitting_keeps_anonymous_answers_against_the_course_and_sends_the_signal(client, course, evaluation):
    learner = enrolled_learner(course)
    client.force_login(learner)
    heard = []

    def listener(sender, **kwargs):
        from django.db import transaction

        heard.append((kwargs, transaction.get_connection().in_atomic_block))

    events.evaluation_submitted.connect(listener)
    try:
        response = client.post(evaluation.url, full_answers(evaluation, rating="5", yes="no"))
    finally:
        events.evaluation_submitted.disconnect(listener)
    assert response.status_code == 302 and response["Location"] == evaluation.url
    submission = EvaluationSubmission.objects.get()
    assert (submission.user, submission.course_id) == (learner, course.pk)
    answer = EvaluationResponse.objects.get()
    ids = question_ids(evaluation)
    assert answer.course_id == course.pk and answer.language == "en"
    assert answer.answers == {
        ids["rating1"]: 5, ids["rating2"]: 5, ids["rating3"]: 5, ids["yes_no1"]: False,
        ids["text1"]: "More role-play, please.", ids["text2"]: "More role-play, please.",
    }
    # No link to the person: no user, no time of day, no counting id.
    assert {f.name for f in EvaluationResponse._meta.concrete_fields} == {"id", "course", "language", "submitted_on", "answers"}
    assert type(answer.submitted_on).__name__ == "date"
    assert heard == [({"signal": events.evaluation_submitted, "user_id": learner.pk, "course_id": course.pk}, True)]
    page = client.get(evaluation.url).content.decode()
    assert "Thank you: your evaluation was received." in page
    assert 'id="evaluation-received"' in page and "<form method=\"post\" class=\"attempt-form" not in page


def test_required_questions_are_enforced_with_clear_errors(client, course, evaluation):
    client.force_login(enrolled_learner(course))
    ids = question_ids(evaluation)
    data = full_answers(evaluation)
    del data[f"q-{ids['rating2']}"]
    data[f"q-{ids['yes_no1']}"] = "maybe"  # not one of the answers
    data[f"q-{ids['text1']}"] = ""  # optional
    response = client.post(evaluation.url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was sent yet. Please check these answers:" in page
    assert f'<a href="#id_q-{ids["rating2"]}-question">The content was relevant to my work.: Please answer this question.</a>' in page
    assert "Choose one of the answers given." in page
    assert f'aria-describedby="id_q-{ids["rating2"]}-error"' in page
    # The answers given are kept in the form.
    assert re.search(rf'name="q-{ids["rating1"]}" value="4"[^>]* checked', page)
    assert not re.search(rf'name="q-{ids["rating2"]}" value="\d"[^>]* checked', page)
    assert stored() == (0, 0)


def test_optional_questions_may_be_left_empty_and_text_is_bounded(client, course, evaluation):
    client.force_login(enrolled_learner(course))
    ids = question_ids(evaluation)
    data = full_answers(evaluation)
    data[f"q-{ids['text1']}"] = "x" * 2001
    assert "Please keep this to 2000 characters." in client.post(evaluation.url, data).content.decode()
    assert stored() == (0, 0)
    data[f"q-{ids['text1']}"] = ""
    data[f"q-{ids['text2']}"] = "   "
    client.post(evaluation.url, data)
    assert set(EvaluationResponse.objects.get().answers) == {ids["rating1"], ids["rating2"], ids["rating3"], ids["yes_no1"]}


def test_a_second_or_replayed_submission_changes_nothing_and_says_so(client, course, evaluation):
    client.force_login(enrolled_learner(course))
    data = full_answers(evaluation)
    client.post(evaluation.url, data)
    before = list(EvaluationResponse.objects.values_list("pk", "answers"))
    response = client.post(evaluation.url, full_answers(evaluation, rating="1", text="Changed my mind"), follow=True)
    assert "Your evaluation of this course was already received, so nothing was changed." in response.content.decode()
    assert list(EvaluationResponse.objects.values_list("pk", "answers")) == before
    assert stored() == (1, 1)


def test_the_service_lets_one_submission_through(course):
    learner = enrolled_learner(course)
    services.evaluation_submit(user=learner, course=course, language="en", answers={"a": 1})
    with pytest.raises(EvaluationAlreadySubmitted):
        services.evaluation_submit(user=learner, course=course, language="en", answers={"a": 2})
    assert stored() == (1, 1)


@pytest.mark.parametrize("who", ["visitor", "not_enrolled", "withdrawn"])
def test_people_not_enrolled_are_refused_and_nothing_is_stored(client, course, evaluation, who):
    if who == "not_enrolled":
        client.force_login(UserFactory())
    elif who == "withdrawn":
        learner = enrolled_learner(course)
        Enrollment.objects.filter(user=learner).update(status=Enrollment.Status.WITHDRAWN)
        client.force_login(learner)
    page = client.get(evaluation.url)
    assert page.status_code == 200
    assert b"Only learners enrolled in this course can fill in its evaluation." in page.content
    assert b'name="q-' not in page.content
    response = client.post(evaluation.url, full_answers(evaluation))
    assert response.status_code == 403
    assert b"Only learners enrolled in this course can fill in its evaluation." in response.content
    assert stored() == (0, 0)
    if who == "visitor":
        assert b"/accounts/login/?next=" in page.content


def test_the_service_refuses_someone_not_enrolled(course):
    with pytest.raises(EvaluationRefused):
        services.evaluation_submit(user=UserFactory(), course=course, language="en", answers={})
    assert stored() == (0, 0)


def test_an_evaluation_in_an_unpublished_course_is_not_served(client, course, evaluation):
    client.force_login(enrolled_learner(course))
    course.unpublish()
    assert client.get(evaluation.url).status_code == 404
    assert client.post(evaluation.url, full_answers(evaluation)).status_code == 404
    assert stored() == (0, 0)


def test_the_form_needs_the_csrf_token(course, evaluation):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(enrolled_learner(course))
    assert client.post(evaluation.url, full_answers(evaluation)).status_code == 403
    assert stored() == (0, 0)


def test_an_author_preview_shows_the_form_and_keeps_nothing(client, course, evaluation):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(f"/admin/pages/{evaluation.pk}/view_draft/")
    assert response.status_code == 200 and b"Preview: this is the form learners see." in response.content
    assert b'name="q-' in response.content
    assert stored() == (0, 0)


def test_the_page_costs_a_few_queries_whatever_the_number_of_questions(client, course):
    learner = enrolled_learner(course)
    client.force_login(learner)
    small = add_evaluation(course)

    def queries(page):
        client.get(page.url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page.url).status_code == 200
        return len(ctx.captured_queries)

    few = queries(small)
    small.questions = [("rating", {"question": f"Statement {n}", "required": True}) for n in range(30)]
    small.save_revision().publish()
    small.refresh_from_db()
    assert queries(small) == few
