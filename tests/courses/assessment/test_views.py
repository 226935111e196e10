"""Taking a quiz through the learner's pages (Django's test client): start, save, submit,
wait for the grade, see it, and the attacks a learner's browser could make on them."""
import html
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from courses.assessment import services
from courses.models import LessonPage, QuizAttempt
from courses.services import enrollment_create
from tests.factories import UserFactory, build_quiz, lesson_body, multiple, short_text, single, true_false, written

from .conftest import answer_key

pytestmark = pytest.mark.django_db
Status = QuizAttempt.Status

SINGLE_EXPLANATION = "Sharing is always the participant's choice."
TF_EXPLANATION = "Safety comes first."
WRONG_OPTION_FEEDBACK = "Facilitators invite; they never require."


def text(response) -> str:
    """The response body with HTML entities decoded (apostrophes are escaped)."""
    return html.unescape(response.content.decode())


def plain(response) -> str:
    """The response's text without tags, whitespace runs collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split()).replace(" .", ".")


def qid(attempt, kind: str) -> str:
    return next(q["id"] for q in attempt.questions if q["type"] == kind)


def option_id(attempt, kind: str, *, correct: bool, nth: int = 0) -> str:
    question = next(q for q in attempt.questions if q["type"] == kind)
    return [o["id"] for o in question["options"] if o["correct"] is correct][nth]


def url(name: str, attempt) -> str:
    return reverse(f"courses:{name}", args=[attempt.pk])


def post_json(client, path, payload, **extra):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return client.post(path, data=body, content_type="application/json", **extra)


def form_answers(attempt, answers: dict) -> dict:
    """The form fields a browser posts for ``answers`` ({question id: answer})."""
    data = {}
    for q in attempt.questions:
        if q["id"] not in answers:
            continue
        value = answers[q["id"]]
        name = f"q-{q['id']}"
        if q["type"] == "multiple":
            data[f"{name}-present"] = "1"
            data[name] = list(value)
        elif q["type"] == "true_false":
            data[name] = "true" if value else "false"
        else:
            data[name] = value
    return data


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def every_type_quiz(module):
    return build_quiz(
        module,
        title="Every type",
        questions=[single(), multiple(), true_false(), short_text(), written(min_length=20)],
    )


def attempt_for(user, quiz) -> QuizAttempt:
    return services.attempt_start(user=user, quiz=quiz)


def graded(attempt, user, *, right: bool, capture) -> QuizAttempt:
    with capture(execute=True):
        services.attempt_submit(attempt_id=attempt.pk, user=user, answers=answer_key(attempt, right=right))
    attempt.refresh_from_db()
    assert attempt.status == Status.GRADED
    return attempt


# --- the quiz page -------------------------------------------------------------------------


def test_quiz_page_shows_the_rules_and_a_start_button(module, learner_client):
    quiz = build_quiz(
        module, title="Rules", pass_mark=80, attempts_allowed=3, wait_minutes=10, time_limit_minutes=15,
        feedback="once_passed",
    )
    response = learner_client.get(quiz.url)
    assert response.status_code == 200
    page = text(response)
    assert "How this quiz works" in page
    assert "2 questions." in page
    assert "You pass with 80% or more." in page
    assert "You have 15 minutes once you start." in page
    assert "You can make 3 attempts (3 left)." in page
    assert "you can try again after 10 minutes" in page
    assert "Once you pass, you will see the right answers with explanations." in page
    start = reverse("courses:quiz_start", args=[quiz.id])
    assert f'<form method="post" action="{start}">' in page
    assert "Start the quiz" in page
    assert not QuizAttempt.objects.exists()  # looking at the quiz starts nothing


def test_quiz_page_rules_follow_the_quiz_settings(module, learner_client):
    quiz = build_quiz(module, title="Open-ended", pass_mark=50, feedback="never")
    page = text(learner_client.get(quiz.url))
    assert "You pass with 50% or more." in page
    assert "There is no time limit." in page
    assert "You can try as many times as you need." in page
    assert "You will see your score and whether you passed." in page


def test_a_visitor_cannot_start_and_is_sent_to_sign_in(client, quiz):
    response = client.post(reverse("courses:quiz_start", args=[quiz.id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # The quiz page itself sends a visitor to the course, with no start button.
    page = client.get(quiz.url, follow=True)
    assert reverse("courses:quiz_start", args=[quiz.id]) not in text(page)
    assert "Sign in and enrol in this course" in text(page)
    assert not QuizAttempt.objects.exists()


def test_an_unenrolled_user_cannot_start(client, quiz, course):
    client.force_login(UserFactory())
    response = client.post(reverse("courses:quiz_start", args=[quiz.id]))
    assert response.status_code == 302 and response["Location"] == quiz.url
    page = text(client.get(response["Location"], follow=True))
    assert "Enrol in the course to take this quiz." in page
    assert reverse("courses:quiz_start", args=[quiz.id]) not in page
    assert not QuizAttempt.objects.exists()


def test_a_withdrawn_learner_cannot_start(learner_client, learner, quiz):
    from courses.models import Enrollment

    Enrollment.objects.filter(user=learner).update(status=Enrollment.Status.WITHDRAWN)
    response = learner_client.post(reverse("courses:quiz_start", args=[quiz.id]), follow=True)
    assert "Enrol in the course to take this quiz." in text(response)
    assert not QuizAttempt.objects.exists()


def test_start_leads_to_the_attempt_page_and_starting_again_resumes(learner_client, learner, quiz):
    start = reverse("courses:quiz_start", args=[quiz.id])
    response = learner_client.post(start)
    attempt = QuizAttempt.objects.get(user=learner, quiz=quiz)
    assert response.status_code == 302 and response["Location"] == url("attempt", attempt)

    page = learner_client.get(response["Location"])
    assert page.status_code == 200
    body = text(page)
    assert "Who decides what a participant shares?" in body
    assert f'action="{url("attempt_submit", attempt)}"' in body
    assert f'data-save-url="{url("attempt_save", attempt)}"' in body
    assert body.count('type="radio"') == 3 + 2

    again = learner_client.post(start)
    assert again["Location"] == url("attempt", attempt)
    assert QuizAttempt.objects.count() == 1
    assert "Continue your attempt" in text(learner_client.get(quiz.url))


# --- answering -----------------------------------------------------------------------------


def test_saving_by_form_persists_and_a_reload_shows_the_answers(learner_client, learner, every_type_quiz):
    attempt = attempt_for(learner, every_type_quiz)
    single_right = option_id(attempt, "single", correct=True)
    multi = [option_id(attempt, "multiple", correct=True, nth=0), option_id(attempt, "multiple", correct=False)]
    essay = "I would have a quiet, kind word with them away from the group."
    answers = {
        qid(attempt, "single"): single_right,
        qid(attempt, "multiple"): multi,
        qid(attempt, "true_false"): False,
        qid(attempt, "short_text"): "discretion & care",
        qid(attempt, "written"): essay,
    }
    response = learner_client.post(url("attempt_save", attempt), form_answers(attempt, answers))
    assert response.status_code == 302 and response["Location"] == url("attempt", attempt)
    attempt.refresh_from_db()
    assert attempt.answers == answers
    assert attempt.status == Status.IN_PROGRESS

    body = learner_client.get(url("attempt", attempt)).content.decode()
    assert f'value="{single_right}" checked' in body
    for other in (o for o in attempt.questions[0]["options"] if o["id"] != single_right):
        assert f'value="{other["id"]}">' in body  # not checked
    for oid in multi:
        assert f'type="checkbox" name="q-{qid(attempt, "multiple")}" value="{oid}" checked' in body
    assert f'value="{option_id(attempt, "multiple", correct=True, nth=1)}">' in body
    assert 'value="false" checked' in body and 'value="true" checked' not in body
    assert 'value="discretion &amp; care"' in body
    assert f">{html.escape(essay)}</textarea>" in body

    # Unticking every box of a multiple-choice question clears its answer (the hidden
    # marker says the question was on the form); other answers stay.
    mq = qid(attempt, "multiple")
    learner_client.post(url("attempt_save", attempt), {f"q-{mq}-present": "1"})
    attempt.refresh_from_db()
    assert mq not in attempt.answers
    assert attempt.answers[qid(attempt, "single")] == single_right


def test_saving_by_json_persists(learner_client, learner, quiz):
    attempt = attempt_for(learner, quiz)
    answers = {qid(attempt, "single"): option_id(attempt, "single", correct=False), qid(attempt, "true_false"): True}
    response = post_json(
        learner_client, url("attempt_save", attempt), {"answers": answers}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"saved": True, "answered": 2}
    attempt.refresh_from_db()
    assert attempt.answers == answers

    # One answer at a time, as the page's script sends them: the others are kept.
    one = {qid(attempt, "true_false"): "false"}
    assert post_json(learner_client, url("attempt_save", attempt), {"answers": one}).json()["answered"] == 2
    attempt.refresh_from_db()
    assert attempt.answers[qid(attempt, "true_false")] is False
    assert attempt.answers[qid(attempt, "single")] == answers[qid(attempt, "single")]

    # An empty answer clears one.
    post_json(learner_client, url("attempt_save", attempt), {"answers": {qid(attempt, "single"): None}})
    attempt.refresh_from_db()
    assert attempt.answers == {qid(attempt, "true_false"): False}


def test_submit_with_a_missing_answer_shows_the_error_at_the_question_and_stores_nothing(
    learner_client, learner, quiz
):
    attempt = attempt_for(learner, quiz)
    single_q, tf_q = qid(attempt, "single"), qid(attempt, "true_false")
    chosen = option_id(attempt, "single", correct=True)
    response = learner_client.post(url("attempt_submit", attempt), {f"q-{single_q}": chosen})
    assert response.status_code == 400
    body = text(response)
    # The message sits inside the unanswered question's fieldset, linked from the summary.
    question_html = re.search(rf'<li class="question has-error" id="q-{tf_q}">(.*?)</li>', body, re.S)
    assert question_html is not None
    assert f'<p class="field-error" id="q-{tf_q}-error">Please answer this question.</p>' in question_html.group(1)
    assert f'href="#q-{tf_q}-legend"' in body
    assert f'id="q-{single_q}-error"' not in body
    # What they chose is still on the form, but nothing was stored.
    assert f'value="{chosen}" checked' in body
    attempt.refresh_from_db()
    assert attempt.status == Status.IN_PROGRESS and attempt.answers == {} and attempt.submitted_at is None

    as_json = post_json(learner_client, url("attempt_submit", attempt), {"answers": {single_q: chosen}})
    assert as_json.status_code == 400
    assert as_json.json() == {"error": "Please answer this question.", "question": tf_q}
    attempt.refresh_from_db()
    assert attempt.status == Status.IN_PROGRESS and attempt.answers == {}


def test_submit_leads_to_the_result_which_waits_for_grading_then_shows_the_score(
    learner_client, learner, quiz, django_capture_on_commit_callbacks
):
    attempt = attempt_for(learner, quiz)
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        response = learner_client.post(url("attempt_submit", attempt), form_answers(attempt, answer_key(attempt)))
    assert response.status_code == 302 and response["Location"] == url("attempt_result", attempt)
    assert len(enqueued) == 1  # grading is sent to the worker once the submit commits
    attempt.refresh_from_db()
    assert attempt.status == Status.SUBMITTED

    waiting = learner_client.get(url("attempt_result", attempt))
    assert waiting.status_code == 200
    body = text(waiting)
    assert "We are marking them now" in body
    assert f'data-status-url="{url("attempt_status", attempt)}"' in body
    assert "Your score" not in body
    assert learner_client.get(url("attempt_status", attempt)).json() == {"status": "submitted", "ready": False}
    # The attempt page of a submitted attempt leads to the result, not back to the form.
    assert learner_client.get(url("attempt", attempt))["Location"] == url("attempt_result", attempt)

    enqueued[0]()  # the worker runs the grading task (eagerly here)
    assert learner_client.get(url("attempt_status", attempt)).json() == {"status": "graded", "ready": True}
    body = plain(learner_client.get(url("attempt_result", attempt)))
    assert "Your score: 100% (2 of 2 points). The pass mark is 70%." in body
    assert "✓ You passed." in body
    assert "We are marking them now" not in body


def test_a_failing_result_says_so(learner_client, learner, quiz, django_capture_on_commit_callbacks):
    attempt = attempt_for(learner, quiz)
    with django_capture_on_commit_callbacks(execute=True):
        learner_client.post(url("attempt_submit", attempt), form_answers(attempt, answer_key(attempt, right=False)))
    body = plain(learner_client.get(url("attempt_result", attempt)))
    assert "Your score: 0% (0 of 2 points)" in body
    assert "You did not pass this time." in body
    assert "You passed" not in body
    assert "Try again" in body  # unlimited attempts, no wait


# --- feedback policy -----------------------------------------------------------------------


def _feedback_shown(body: str) -> dict[str, bool]:
    return {
        "explanation": SINGLE_EXPLANATION in body or TF_EXPLANATION in body,
        "right answer": "The right answer:" in body,
        "option feedback": WRONG_OPTION_FEEDBACK in body,
        # Which questions were right is feedback too: on a true-or-false question it is the key.
        "per-question marks": any(mark in body for mark in ("✓ Right", "✗ Not right", "Partly right", " of 1 point")),
    }


NOTHING_SHOWN = {"explanation": False, "right answer": False, "option feedback": False, "per-question marks": False}
EVERYTHING_SHOWN = {"explanation": True, "right answer": True, "option feedback": True, "per-question marks": True}


@pytest.fixture
def result_page(learner_client, learner, django_capture_on_commit_callbacks):
    """``result_page(quiz, right=...)``: the learner's attempt at ``quiz``, all answers right
    or all wrong, graded; and the text of its result page."""

    def take(quiz, *, right: bool) -> tuple[QuizAttempt, str]:
        attempt = graded(attempt_for(learner, quiz), learner, right=right, capture=django_capture_on_commit_callbacks)
        return attempt, text(learner_client.get(url("attempt_result", attempt)))

    return take


def test_after_each_shows_explanations_and_right_answers(module, result_page):
    _, body = result_page(build_quiz(module, title="After each", feedback="after_each"), right=False)
    assert _feedback_shown(body) == EVERYTHING_SHOWN
    assert "The right answer: The participant" in body
    assert "The right answer: True" in body


def test_once_passed_hides_feedback_until_the_learner_passes(learner_client, module, result_page):
    quiz = build_quiz(module, title="Once passed", feedback="once_passed")
    first, body = result_page(quiz, right=False)
    assert _feedback_shown(body) == NOTHING_SHOWN
    assert "The right answers are shown once you pass." in body
    assert "The participant" not in body  # the right option's label (their answer was another)

    second, body = result_page(quiz, right=True)
    assert second.passed
    assert _feedback_shown(body)["explanation"]
    # Having passed, the earlier attempt's answers are explained too.
    earlier = text(learner_client.get(url("attempt_result", first)))
    assert _feedback_shown(earlier) == EVERYTHING_SHOWN


@pytest.mark.parametrize("right", [False, True])
def test_never_shows_explanations_or_right_answers(module, right, result_page):
    attempt, body = result_page(build_quiz(module, title="Never", feedback="never"), right=right)
    assert attempt.passed is right
    assert _feedback_shown(body) == NOTHING_SHOWN
    assert "This quiz shows your score only." in body
    assert ("✓ You passed." in body) is right


# --- attacks -------------------------------------------------------------------------------


@pytest.fixture
def intruder(course):
    user = UserFactory()
    enrollment_create(user=user, course=course)  # enrolled in the same course: still not theirs
    return user


def _snapshot(attempt) -> tuple:
    attempt = QuizAttempt.objects.get(pk=attempt.pk)
    return (attempt.status, attempt.answers, attempt.submitted_at, attempt.graded_at, attempt.score_awarded)


@pytest.mark.parametrize("state", ["open", "submitted", "graded"])
def test_another_learners_attempt_is_404_at_every_url(
    client, learner, intruder, quiz, state, django_capture_on_commit_callbacks
):
    attempt = attempt_for(learner, quiz)
    key = answer_key(attempt)
    if state != "open":
        with django_capture_on_commit_callbacks(execute=state == "graded"):
            services.attempt_submit(attempt_id=attempt.pk, user=learner, answers=key)
    before = _snapshot(attempt)
    client.force_login(intruder)
    for name in ("attempt", "attempt_result", "attempt_status"):
        assert client.get(url(name, attempt)).status_code == 404, name
    for name in ("attempt_save", "attempt_submit"):
        assert client.post(url(name, attempt), form_answers(attempt, key)).status_code == 404, name
        assert post_json(client, url(name, attempt), {"answers": key}).status_code == 404, name
    assert _snapshot(attempt) == before
    # ... exactly like an attempt that does not exist.
    missing = QuizAttempt.objects.order_by("-pk").first().pk + 1000
    assert client.get(reverse("courses:attempt", args=[missing])).status_code == 404


def test_a_visitor_is_sent_to_sign_in_from_every_attempt_url(client, learner, quiz):
    attempt = attempt_for(learner, quiz)
    for name in ("attempt", "attempt_result", "attempt_status"):
        assert client.get(url(name, attempt))["Location"].startswith(reverse("account_login")), name
    for name in ("attempt_save", "attempt_submit"):
        assert client.post(url(name, attempt), form_answers(attempt, answer_key(attempt))).status_code == 302
    assert _snapshot(attempt)[:2] == (Status.IN_PROGRESS, {})


def test_submitting_a_closed_attempt_changes_nothing(
    learner_client, learner, quiz, django_capture_on_commit_callbacks
):
    attempt = graded(attempt_for(learner, quiz), learner, right=False, capture=django_capture_on_commit_callbacks)
    before = _snapshot(attempt)
    right = answer_key(attempt, right=True)

    as_json = post_json(learner_client, url("attempt_submit", attempt), {"answers": right})
    assert as_json.status_code == 409
    assert as_json.json() == {"error": "This attempt has already been submitted."}

    as_form = learner_client.post(url("attempt_submit", attempt), form_answers(attempt, right))
    assert as_form.status_code == 302 and as_form["Location"] == url("attempt_result", attempt)
    page = text(learner_client.get(as_form["Location"]))
    assert "This attempt has already been submitted." in page

    save_json = post_json(learner_client, url("attempt_save", attempt), {"answers": right})
    assert save_json.status_code == 409
    assert save_json.json()["result_url"] == url("attempt_result", attempt)
    save_form = learner_client.post(url("attempt_save", attempt), form_answers(attempt, right))
    assert save_form["Location"] == url("attempt_result", attempt)

    assert _snapshot(attempt) == before
    assert QuizAttempt.objects.get(pk=attempt.pk).passed is False


def test_a_submitted_attempt_still_grading_cannot_be_resubmitted(
    learner_client, learner, quiz, django_capture_on_commit_callbacks
):
    attempt = attempt_for(learner, quiz)
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        learner_client.post(url("attempt_submit", attempt), form_answers(attempt, answer_key(attempt, right=False)))
        response = post_json(learner_client, url("attempt_submit", attempt), {"answers": answer_key(attempt)})
    assert response.status_code == 409
    assert len(enqueued) == 1  # graded once, not once per submit
    attempt.refresh_from_db()
    assert attempt.answers == answer_key(attempt, right=False)


def test_an_option_id_not_in_the_attempt_is_refused_and_nothing_is_stored(
    learner_client, learner, quiz, every_type_quiz
):
    attempt = attempt_for(learner, quiz)
    other = attempt_for(learner, every_type_quiz)
    single_q, tf_q = qid(attempt, "single"), qid(attempt, "true_false")
    saved = {tf_q: True}
    services.attempt_save_answers(attempt_id=attempt.pk, user=learner, answers=saved)
    foreign_option = option_id(other, "single", correct=True)  # a real option, of another quiz
    bad_answers = [
        {single_q: "not-an-option"},
        {single_q: foreign_option},
        {single_q: [option_id(attempt, "single", correct=True), option_id(attempt, "single", correct=False)]},
        {qid(other, "single"): foreign_option},  # a question that is not in this attempt
        {tf_q: "maybe"},
    ]
    for bad in bad_answers:
        for name in ("attempt_save", "attempt_submit"):
            response = post_json(learner_client, url(name, attempt), {"answers": bad})
            assert response.status_code == 400, (name, bad)
            assert set(response.json()) == {"error", "question"}
            assert response.json()["question"] == next(iter(bad))
    form = learner_client.post(
        url("attempt_save", attempt), {f"q-{single_q}": "not-an-option", f"q-{tf_q}": "false"}
    )
    assert form.status_code == 400
    assert "That is not one of this question's options." in text(form)
    form = learner_client.post(url("attempt_submit", attempt), {f"q-{single_q}": foreign_option, f"q-{tf_q}": "false"})
    assert form.status_code == 400
    attempt.refresh_from_db()
    assert attempt.status == Status.IN_PROGRESS and attempt.answers == saved


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"[]", b'"answers"', b'{"answers": ["a"]}', b'{"answers": "x"}', b'{"other": {}}',
     b"\xff\xfe"],
)
@pytest.mark.parametrize("name", ["attempt_save", "attempt_submit"])
def test_malformed_json_is_a_400_and_changes_nothing(learner_client, learner, quiz, body, name):
    attempt = attempt_for(learner, quiz)
    # (CONTENT_TYPE given explicitly: the test client drops it when the body is empty.)
    response = learner_client.post(
        url(name, attempt), data=body, content_type="application/json", CONTENT_TYPE="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "The answers could not be read. Please reload the page."
    assert _snapshot(attempt)[:2] == (Status.IN_PROGRESS, {})


def test_post_only_urls_refuse_get_and_get_only_urls_refuse_post(learner_client, learner, quiz):
    attempt = attempt_for(learner, quiz)
    assert learner_client.get(reverse("courses:quiz_start", args=[quiz.id])).status_code == 405
    for name in ("attempt_save", "attempt_submit"):
        assert learner_client.get(url(name, attempt)).status_code == 405, name
    for name in ("attempt", "attempt_result", "attempt_status"):
        assert learner_client.post(url(name, attempt)).status_code == 405, name
    assert QuizAttempt.objects.count() == 1
    assert _snapshot(attempt)[:2] == (Status.IN_PROGRESS, {})


def test_csrf_is_enforced_on_start_save_and_submit(learner, quiz):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    assert browser.post(reverse("courses:quiz_start", args=[quiz.id])).status_code == 403
    assert not QuizAttempt.objects.exists()

    attempt = attempt_for(learner, quiz)
    key = answer_key(attempt)
    assert browser.post(url("attempt_save", attempt), form_answers(attempt, key)).status_code == 403
    assert post_json(browser, url("attempt_save", attempt), {"answers": key}).status_code == 403
    assert browser.post(url("attempt_submit", attempt), form_answers(attempt, key)).status_code == 403
    assert post_json(browser, url("attempt_submit", attempt), {"answers": key}).status_code == 403
    assert _snapshot(attempt)[:2] == (Status.IN_PROGRESS, {})

    # The same requests with the page's token go through (so the 403s above were CSRF).
    page = browser.get(url("attempt", attempt)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    saved = post_json(browser, url("attempt_save", attempt), {"answers": key}, HTTP_X_CSRFTOKEN=token)
    assert saved.status_code == 200
    assert QuizAttempt.objects.get(pk=attempt.pk).answers == key


def test_a_passed_quiz_leads_on_to_what_comes_next(learner_client, learner, course, module, django_capture_on_commit_callbacks):
    from courses import services as learning
    from tests.factories import lessons_of

    quiz = build_quiz(module, title="Module check")
    after = module.add_child(instance=LessonPage(title="After the check", body=lesson_body()))
    enrollment = learner.enrollments.get()
    for lesson in lessons_of(course):
        if lesson.id != after.id:
            learning.lesson_complete(enrollment=enrollment, lesson=lesson)
    attempt = attempt_for(learner, quiz)
    with django_capture_on_commit_callbacks(execute=True):
        learner_client.post(url("attempt_submit", attempt), form_answers(attempt, answer_key(attempt)))
    body = text(learner_client.get(url("attempt_result", attempt)))
    assert f'href="{after.url}">Continue: After the check' in body.replace("\n", "")

    failed = attempt_for(learner, build_quiz(module, title="Second check"))
    with django_capture_on_commit_callbacks(execute=True):
        learner_client.post(url("attempt_submit", failed), form_answers(failed, answer_key(failed, right=False)))
    assert "Continue:" not in text(learner_client.get(url("attempt_result", failed)))


def test_a_typed_answer_shows_the_authors_wording_not_every_accepted_spelling(
    learner_client, learner, module, django_capture_on_commit_callbacks
):
    quiz = build_quiz(module, title="Typed", questions=[short_text()], feedback="after_each")
    attempt = attempt_for(learner, quiz)
    with django_capture_on_commit_callbacks(execute=True):
        learner_client.post(url("attempt_submit", attempt), form_answers(attempt, answer_key(attempt, right=False)))
    body = text(learner_client.get(url("attempt_result", attempt)))
    assert "The right answer: confidentiality" in body
    assert "confidentiality or confidence" not in body


def test_passing_the_last_item_offers_no_way_back_to_the_first_lesson(
    learner_client, learner, course, module, django_capture_on_commit_callbacks
):
    from courses import services as learning
    from tests.factories import lessons_of

    quiz = build_quiz(module, title="Final check")
    enrollment = learner.enrollments.get()
    for lesson in lessons_of(course):
        learning.lesson_complete(enrollment=enrollment, lesson=lesson)
    attempt = attempt_for(learner, quiz)
    with django_capture_on_commit_callbacks(execute=True):
        learner_client.post(url("attempt_submit", attempt), form_answers(attempt, answer_key(attempt)))
    body = text(learner_client.get(url("attempt_result", attempt)))
    assert "✓ You passed." in body and "Continue:" not in body
