"""What stands between a learner and the certificate once a course's lessons are done
(``courses.next_steps``, with certification's part registered): the message after the last
lesson, the course page, the quiz result page and the completion email say the same thing,
each with a link to act; a finished course's main button never leads back to lesson 1."""
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.models import (
    Attestation,
    AttestationAnswer,
    Certificate,
    CodeOfConduct,
    ConductAcceptance,
    PracticalItem,
    PracticalSignoff,
    Programme,
)
from courses import next_steps
from courses import services as learning
from courses.assessment import services as quizzes
from courses.models import Enrollment
from courses.selectors import course_state
from tests.courses.assessment.conftest import submitted_for_review
from tests.factories import (
    UserFactory, answer_key, build_course, build_quiz, enrolled_learner, lessons_of, single, true_false, written,
)

pytestmark = pytest.mark.django_db

STATEMENT = "I have attended at least three mutual-help meetings"


@pytest.fixture
def course(catalogue):
    return build_course(title="Meeting Basics", modules=1, lessons_per_module=2)


@pytest.fixture
def programme(course):
    CodeOfConduct.objects.create(
        version="2026.1", text="<p>Listen without judging.</p>", published_at=timezone.now() - timedelta(days=30)
    )
    programme = Programme.objects.create(title="Meeting Facilitator", slug="meeting-facilitator", validity_months=24)
    programme.courses.add(course)
    programme.save()
    Attestation.objects.create(programme=programme, statement=STATEMENT)
    PracticalItem.objects.create(programme=programme, label="Co-facilitated meetings", required_count=2)
    return programme


@pytest.fixture
def learner(course):
    return enrolled_learner(course, email="zoe@example.org")


def enrollment_of(user, course) -> Enrollment:
    return Enrollment.objects.get(user=user, course=course)


def message_html(response) -> str:
    """The page's messages, as HTML (the message after the last lesson carries links)."""
    match = re.search(r'<div class="messages" role="status">(.*?)</div>', response.content.decode(), re.S)
    assert match, "no message on the page"
    return match.group(1)


def panel_html(response) -> str:
    match = re.search(r'<section class="next-steps[^"]*".*?</section>', response.content.decode(), re.S)
    assert match, "no 'what comes next' panel on the page"
    return match.group(0)


def main_button(response) -> tuple[str, str]:
    """The course page's main button: (href, text)."""
    box = response.content.decode().split('aria-label="Your place in this course"')[1]
    match = re.search(r'<a class="button" href="([^"]*)">([^<]*)</a>', box)
    assert match, "no main button on the course page"
    return match.group(1), match.group(2)


def finish_lessons(client, user, course, django_capture_on_commit_callbacks):
    """Complete every lesson through the view; the last response (followed) is returned."""
    client.force_login(user)
    for lesson in lessons_of(course):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("courses:complete", args=[course.id, lesson.id]), follow=True)
    return response


# --- the three places say the same --------------------------------------------------------------


def test_the_last_lesson_says_what_is_left_for_the_certificate_with_links(
    client, course, programme, learner, django_capture_on_commit_callbacks, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://training.example.org"
    response = finish_lessons(client, learner, course, django_capture_on_commit_callbacks)
    mine = f"{reverse('certification:mine')}#programme-{programme.pk}"

    # The message after the last lesson: completed, and each step with a link to act.
    message = message_html(response)
    assert "Well done — you have completed Meeting Basics." in message
    assert "Still to do for your Meeting Facilitator certificate:" in message
    assert f'<a href="{mine}">Accept the code of conduct (version 2026.1)</a>' in message
    assert f'<a href="{mine}">Confirm: “{STATEMENT}”</a>' in message
    assert "Co-facilitated meetings ×2" in message and "The training team signs this off" in message
    assert 'href="mailto:training@example.org"' in message  # what to do if a sign-off is missing

    # It lands on the course page, whose panel says the same, with the same links.
    assert response.redirect_chain[-1][0] == course.url + "#next-steps"
    panel = panel_html(response)
    assert "You completed Meeting Basics on" in panel
    assert f'<a href="{mine}">Accept the code of conduct (version 2026.1)</a>' in panel
    assert f'<a href="{mine}">Confirm: “{STATEMENT}”</a>' in panel
    assert "0 of 2 signed off by the training team" in panel
    # The main button leads to what is left, never back to the first lesson.
    assert main_button(response) == (mine, "What is left for your certificate")
    assert "Start the course" not in response.content.decode()
    assert f'class="button" href="{lessons_of(course)[0].url}"' not in response.content.decode()

    # The completion email: the same steps, each with an absolute link from BASE_URL.
    (email,) = [m for m in mail.outbox if m.subject == "You have completed Meeting Basics"]
    assert "Still to do for your Meeting Facilitator certificate:" in email.body
    assert f"- Accept the code of conduct (version 2026.1): Read it and accept it on My certificates.\n  https://training.example.org{mine}" in email.body
    assert f"- Confirm: “{STATEMENT}”: If this is true for you, confirm it on My certificates.\n  https://training.example.org{mine}" in email.body
    assert "- Co-facilitated meetings ×2: 0 of 2 signed off by the training team. The training team signs this off" in email.body


def test_once_everything_is_met_the_certificate_is_being_prepared_then_held(
    client, course, programme, learner, django_capture_on_commit_callbacks
):
    ConductAcceptance.objects.create(user=learner, code=CodeOfConduct.objects.get())
    AttestationAnswer.objects.create(user=learner, attestation=programme.attestations.get(), answer=True)
    PracticalSignoff.objects.create(
        user=learner, item=programme.practical_items.get(), count=2, done_on=timezone.now().date(),
        signed_by=UserFactory(is_staff=True),
    )
    state = course_state(course=course, user=learner, enrollment=enrollment_of(learner, course))
    assert [p.status for p in next_steps.completion_steps(state=state).programmes] == ["after_course"]

    response = finish_lessons(client, learner, course, django_capture_on_commit_callbacks)
    mine = f"{reverse('certification:mine')}#programme-{programme.pk}"
    # Read before the issuing task ran (it runs once the request's transaction commits).
    being_prepared = "Your Meeting Facilitator certificate is being prepared. We will email you when it is ready."
    assert being_prepared in message_html(response)
    assert being_prepared in panel_html(response)
    assert "Still to do" not in response.content.decode()
    # The completion email went before the certificate was issued too (tasks run in order).
    (email,) = [m for m in mail.outbox if m.subject == "You have completed Meeting Basics"]
    assert being_prepared in email.body and "Still to do" not in email.body
    assert f"Your certificates: http://testserver{mine}" in email.body  # BASE_URL in tests
    # Issued: the course page says so, and the main button leads to it.
    assert Certificate.objects.filter(holder=learner, programme=programme).exists()
    page = client.get(course.url)
    assert "You hold the Meeting Facilitator certificate. Valid until" in panel_html(page)
    assert main_button(page) == (mine, "View your certificate")


def test_a_course_in_no_programme_offers_to_review_it_not_to_start_it(
    client, course, learner, django_capture_on_commit_callbacks
):
    response = finish_lessons(client, learner, course, django_capture_on_commit_callbacks)
    assert "Well done — you have completed Meeting Basics." in message_html(response)
    assert main_button(response) == (f"{course.url}#outline-heading", "Review the course")
    page = client.get(course.url).content.decode()
    assert "Start the course" not in page and "Continue: " not in page
    # My learning leads to what comes next, not to a lesson.
    dashboard = client.get(reverse("courses:dashboard")).content.decode()
    assert f'href="{course.url}#next-steps">What comes next' in dashboard


def test_enrolling_again_in_a_finished_paid_course_leads_to_it_not_to_lesson_1(client, catalogue):
    paid = build_course(title="Paid Basics", modules=1, lessons_per_module=1, price="40.00")
    learner = UserFactory()
    enrollment, _ = learning.enrollment_create(user=learner, course=paid, source=Enrollment.Source.PAID)
    learning.lesson_complete(enrollment=enrollment, lesson=lessons_of(paid)[0])
    client.force_login(learner)
    response = client.post(reverse("courses:enrol", args=[paid.id]))
    assert response.status_code == 302 and response["Location"] == paid.url


# --- what is left inside the course -------------------------------------------------------------


@pytest.fixture
def final(course):
    """A required final assessment with a written answer (marked by a reviewer)."""
    return build_quiz(course, title="Final assessment", questions=[single(), written(min_length=20)], attempts_allowed=2)


def test_finishing_the_lessons_before_the_final_assessment_says_to_take_it(
    client, course, final, programme, learner, django_capture_on_commit_callbacks
):
    response = finish_lessons(client, learner, course, django_capture_on_commit_callbacks)
    message = message_html(response)
    assert "You have finished the lessons of Meeting Basics. To complete the course:" in message
    assert f'<a href="{final.url}">Take “Final assessment”</a>' in message
    assert "Still to do for your Meeting Facilitator certificate:" in message
    assert response.redirect_chain[-1][0] == final.url  # on to it, as before
    assert not [m for m in mail.outbox if "completed" in m.subject]  # not complete yet
    page = client.get(course.url)
    assert f'<a href="{final.url}">Take “Final assessment”</a>' in panel_html(page)
    assert main_button(page) == (final.url, "Take “Final assessment”")


def test_an_assessment_with_a_reviewer_says_since_when_everywhere(
    client, course, final, programme, learner, django_capture_on_commit_callbacks
):
    finish_lessons(client, learner, course, django_capture_on_commit_callbacks)
    attempt = submitted_for_review(final, learner, django_capture_on_commit_callbacks)
    day = timezone.localtime(attempt.submitted_at).strftime("%-d %B %Y")
    waiting = f"“Final assessment” is with a reviewer since {day}"

    result = client.get(reverse("courses:attempt_result", args=[attempt.pk]))
    assert waiting in panel_html(result)
    assert "Still to do for your Meeting Facilitator certificate:" in panel_html(result)
    page = client.get(course.url)
    assert waiting in panel_html(page)
    # Nothing to do about the assessment meanwhile: the main button leads to the certificate's other steps.
    assert main_button(page)[1] == "What is left for your certificate"


def test_a_failed_required_assessment_links_to_retake_it_then_says_when_attempts_are_used(
    client, course, learner, django_capture_on_commit_callbacks
):
    final = build_quiz(course, title="Final assessment", questions=[single(), true_false()], attempts_allowed=2)
    finish_lessons(client, learner, course, django_capture_on_commit_callbacks)

    def fail_once():
        attempt = quizzes.attempt_start(user=learner, quiz=final)
        with django_capture_on_commit_callbacks(execute=True):
            quizzes.attempt_submit(attempt_id=attempt.pk, user=learner, answers=answer_key(attempt, right=False))

    fail_once()
    panel = panel_html(client.get(course.url))
    assert f'<a href="{final.url}">Try “Final assessment” again</a>' in panel
    assert "Your last score was 0%; the pass mark is 70%." in panel
    fail_once()  # the second of two attempts
    panel = panel_html(client.get(course.url))
    assert "<strong>“Final assessment”: every attempt is used</strong>" in panel
    assert 'href="mailto:training@example.org"' in panel
    assert "Try “Final assessment” again" not in panel


# --- cost, and courses on their own ---------------------------------------------------------------


def test_a_learner_still_in_the_lessons_pays_nothing_for_it(client, course, programme, learner):
    client.force_login(learner)
    learning.lesson_complete(enrollment=enrollment_of(learner, course), lesson=lessons_of(course)[0])
    client.get(course.url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(course.url).content.decode()
    assert 'id="next-steps"' not in page
    assert not [q for q in queries.captured_queries if "certification_" in q["sql"]]
    from certification.next_steps import programme_steps

    next_steps.register_programme_lookup(None)
    try:
        with CaptureQueriesContext(connection) as without:
            client.get(course.url)
    finally:
        next_steps.register_programme_lookup(programme_steps)
    assert len(queries.captured_queries) == len(without.captured_queries)


def test_without_a_registered_lookup_a_course_counts_towards_no_programme(course, programme, learner):
    from certification.next_steps import programme_steps

    enrollment = enrollment_of(learner, course)
    for lesson in lessons_of(course):
        learning.lesson_complete(enrollment=enrollment, lesson=lesson)
    enrollment.refresh_from_db()
    state = course_state(course=course, user=learner, enrollment=enrollment)
    assert [p.title for p in next_steps.completion_steps(state=state).programmes] == ["Meeting Facilitator"]
    next_steps.register_programme_lookup(None)
    try:
        steps = next_steps.completion_steps(state=state)
        assert steps.programmes == [] and steps.completed
        assert steps.main_action.action == "Review the course"
    finally:
        next_steps.register_programme_lookup(programme_steps)


def test_another_learners_certificate_and_steps_are_not_mine(course, programme, learner):
    """The steps are the learner's own: someone else's acceptance, answers and certificate
    change nothing in them."""
    other = UserFactory()
    ConductAcceptance.objects.create(user=other, code=CodeOfConduct.objects.get())
    AttestationAnswer.objects.create(user=other, attestation=programme.attestations.get(), answer=True)
    enrollment = enrollment_of(learner, course)
    for lesson in lessons_of(course):
        learning.lesson_complete(enrollment=enrollment, lesson=lesson)
    enrollment.refresh_from_db()
    (standing,) = next_steps.completion_steps(
        state=course_state(course=course, user=learner, enrollment=enrollment)
    ).programmes
    assert standing.status == "to_do"
    assert [s.kind for s in standing.steps] == ["practical", "conduct", "attestation"]


def test_a_programme_that_also_asks_for_another_course_links_to_it(client, course, programme, learner):
    other = build_course(title="Family Meetings", modules=1, lessons_per_module=1)
    programme.courses.add(other)
    programme.save()
    enrollment = enrollment_of(learner, course)
    for lesson in lessons_of(course):
        learning.lesson_complete(enrollment=enrollment, lesson=lesson)
    client.force_login(learner)
    panel = panel_html(client.get(course.url))
    assert f'<a href="{other.url}">Complete “Family Meetings”</a>' in panel
    assert "Not started" in panel
    assert "Complete “Meeting Basics”" not in panel  # the course itself is done: never listed as left


def test_another_learners_attempt_is_not_in_my_steps(client, course, final, learner, django_capture_on_commit_callbacks):
    other = UserFactory()
    learning.enrollment_create(user=other, course=course)
    submitted_for_review(final, other, django_capture_on_commit_callbacks)  # theirs waits for a reviewer
    finish_lessons(client, learner, course, django_capture_on_commit_callbacks)
    panel = panel_html(client.get(course.url))
    assert f'<a href="{final.url}">Take “Final assessment”</a>' in panel
    assert "with a reviewer" not in panel


def test_titles_in_the_message_are_text_not_markup(client, catalogue, django_capture_on_commit_callbacks):
    course = build_course(title="Safety <script>alert(1)</script>", modules=1, lessons_per_module=1)
    build_quiz(course, title="Check <img src=x onerror=alert(1)>")
    learner = UserFactory()
    learning.enrollment_create(user=learner, course=course)
    message = message_html(finish_lessons(client, learner, course, django_capture_on_commit_callbacks))
    assert "Safety &lt;script&gt;alert(1)&lt;/script&gt;" in message
    assert "Take “Check &lt;img src=x onerror=alert(1)&gt;”" in message
    assert "<script>" not in message and "<img" not in message


def test_course_titles_in_the_steps_follow_the_language_read(course, programme, learner):
    """On Spanish pages the course is named by its Spanish translation, in the course's own
    steps and in a programme's "Complete ..." requirement (which links to it in Spanish)."""
    from django.utils import translation

    from certification.selectors.requirements import programme_progress
    from tests.courses.translated import in_spanish, spanish, translate_site, translate_tree

    translate_site()
    spanish_course = translate_tree(course)
    enrollment = enrollment_of(learner, course)
    for lesson in lessons_of(course):
        learning.lesson_complete(enrollment=enrollment, lesson=lesson)
    enrollment.refresh_from_db()
    titles = {}
    for language in ("en", "es"):
        with translation.override(language):
            state = course_state(course=course, user=learner, enrollment=enrollment)
            titles[language] = next_steps.completion_steps(state=state).course_title
            requirements = {r.ref: r for r in programme_progress(user=learner, programme=programme).requirements}
            if language == "es":
                assert in_spanish("Meeting Basics") in requirements[course.pk].label
                assert requirements[course.pk].url == spanish_course.url
            else:
                assert requirements[course.pk].label == "Complete “Meeting Basics”"
                assert requirements[course.pk].url == course.url
    assert titles == {"en": "Meeting Basics", "es": in_spanish("Meeting Basics")}
    assert spanish_course.locale == spanish()
