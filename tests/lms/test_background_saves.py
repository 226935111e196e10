"""Saves a page's script makes in the background (reflections, quiz answers) get an answer
the script can trust when the session has ended or changed: never a redirect that
``fetch`` follows to a 200 (allauth answers its sign-in form as JSON, which read as
"saved"), never Django's HTML CSRF page."""
import pytest
from django.test import Client
from django.urls import reverse

from courses import services
from courses.models import ReflectionAnswer
from kernel.decorators import SIGNED_OUT
from lms.views import SESSION_CHANGED
from tests.factories import UserFactory, build_course, lessons_of

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def lesson_and_learner():
    course = build_course(modules=1, lessons_per_module=1)
    (lesson,) = lessons_of(course)
    learner = UserFactory()
    services.enrollment_create(user=learner, course=course)
    return course, lesson, learner


def _reflection_url(course, lesson):
    return reverse("courses:reflection", args=[course.id, lesson.id])


def test_a_signed_out_save_is_refused_with_a_reason_and_nothing_is_saved(client, lesson_and_learner):
    course, lesson, learner = lesson_and_learner
    response = client.post(_reflection_url(course, lesson), {"block_id": "x", "text": "Mine"}, **JSON)
    assert (response.status_code, response.json()) == (401, {"error": SIGNED_OUT})
    heartbeat = client.post(reverse("courses:heartbeat", args=[course.id, lesson.id]), **JSON)
    assert heartbeat.status_code == 401
    # A form posted without the script still goes to the sign-in page.
    response = client.post(_reflection_url(course, lesson), {"block_id": "x", "text": "Mine"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not ReflectionAnswer.objects.exists()


def test_a_signed_out_quiz_save_is_refused_with_a_reason(client):
    response = client.post(
        reverse("courses:attempt_save", args=[1]), data=b'{"answers": {}}', content_type="application/json", **JSON
    )
    assert (response.status_code, response.json()) == (401, {"error": SIGNED_OUT})
    status = client.get(reverse("courses:attempt_status", args=[1]), **JSON)
    assert status.status_code == 401


def test_a_stale_csrf_token_gets_a_reason_the_script_can_show(lesson_and_learner):
    course, lesson, learner = lesson_and_learner
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    browser.get(lesson.url)  # sets the CSRF cookie
    stale = {"block_id": "x", "text": "Mine", "csrfmiddlewaretoken": "a" * 64}
    response = browser.post(_reflection_url(course, lesson), stale, **JSON)
    assert (response.status_code, response.json()) == (403, {"error": SESSION_CHANGED})
    page = browser.post(_reflection_url(course, lesson), stale)  # a browser without the script
    assert page.status_code == 403 and page["Content-Type"].startswith("text/html")


def test_saving_an_empty_reflection_says_it_is_cleared(client, lesson_and_learner):
    course, lesson, learner = lesson_and_learner
    client.force_login(learner)
    block_id = next(block.id for block in lesson.body if block.block_type == "reflection")
    saved = client.post(_reflection_url(course, lesson), {"block_id": block_id, "text": "Breathe first."}, **JSON)
    assert saved.json() == {"saved": True, "cleared": False}
    cleared = client.post(_reflection_url(course, lesson), {"block_id": block_id, "text": "   "}, **JSON)
    assert cleared.json() == {"saved": True, "cleared": True}
    assert ReflectionAnswer.objects.get(user=learner).text == ""
