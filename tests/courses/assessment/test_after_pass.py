"""After a pass: no "N attempts left", no "Try again". The quiz page says it is passed,
with the score, a way to look back over the answers and a way on; so does the result."""
import pytest
from django.urls import reverse
from django.utils import timezone

from courses.assessment import services
from courses.assessment.selectors import quiz_overview
from courses.models import QuizAttempt
from tests.factories import build_quiz, lessons_of

from .conftest import answer_key
from .test_views import plain

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def take(quiz, learner, capture, *, right: bool) -> QuizAttempt:
    attempt = services.attempt_start(user=learner, quiz=quiz)
    with capture(execute=True):
        services.attempt_submit(attempt_id=attempt.pk, user=learner, answers=answer_key(attempt, right=right))
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.GRADED
    return attempt


def test_the_quiz_page_after_a_pass_shows_the_pass_not_attempts_left(
    module, learner, learner_client, django_capture_on_commit_callbacks
):
    quiz = build_quiz(module, title="Module check", attempts_allowed=3)
    before = plain(learner_client.get(quiz.url))
    assert "You can make 3 attempts (3 left)." in before  # before any attempt, the count helps
    take(quiz, learner, django_capture_on_commit_callbacks, right=False)
    passed = take(quiz, learner, django_capture_on_commit_callbacks, right=True)

    page = plain(learner_client.get(quiz.url))
    day = timezone.localtime(passed.graded_at).strftime("%-d %B %Y")
    assert f"✓ You passed this quiz with 100% on {day}." in page
    assert "left)" not in page and "attempts left" not in page
    assert "You can make 3 attempts." in page  # the rule itself stays
    assert "Try again" not in page and "Start the quiz" not in page
    html = learner_client.get(quiz.url).content.decode()
    assert f'href="{reverse("courses:attempt_result", args=[passed.pk])}">Review your answers</a>' in html
    assert quiz_overview(quiz=quiz, user=learner).attempts_left is None


def test_after_a_pass_the_quiz_page_leads_on(module, course, learner, learner_client, django_capture_on_commit_callbacks):
    quiz = build_quiz(module, title="Module check", attempts_allowed=2)
    take(quiz, learner, django_capture_on_commit_callbacks, right=True)
    # The quiz is the module's last item: on to the course.
    html = learner_client.get(quiz.url).content.decode()
    assert f'class="button" href="{course.url}">Back to the course</a>' in html


def test_the_result_of_the_passing_attempt_offers_no_retry_and_says_no_attempts_left(
    module, learner, learner_client, django_capture_on_commit_callbacks
):
    quiz = build_quiz(module, title="Module check", attempts_allowed=3)
    failed = take(quiz, learner, django_capture_on_commit_callbacks, right=False)
    passed = take(quiz, learner, django_capture_on_commit_callbacks, right=True)
    result = plain(learner_client.get(reverse("courses:attempt_result", args=[passed.pk])))
    assert "✓ You passed." in result
    assert "Try again" not in result and "left" not in result
    earlier = plain(learner_client.get(reverse("courses:attempt_result", args=[failed.pk])))
    assert "you passed the quiz in a later attempt" in earlier
    assert "Try again" not in earlier and "left" not in earlier


def test_the_outline_shows_a_passed_quiz_as_done(module, course, learner, learner_client, django_capture_on_commit_callbacks):
    quiz = build_quiz(module, title="Module check", attempts_allowed=3)
    take(quiz, learner, django_capture_on_commit_callbacks, right=True)
    page = learner_client.get(lessons_of(course)[0].url).content.decode()
    row = page.split(">Module check<")[1].split("</li>")[0]
    assert "(completed)" in row and "left" not in row
