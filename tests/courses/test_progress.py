"""Completion, gating, time on task and progress: services and the views around them."""
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Enrollment, LessonPage, LessonProgress
from tests.factories import UserFactory, build_course, lesson_body, lessons_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return UserFactory()


def enrol(user, course):
    return services.enrollment_create(user=user, course=course)[0]


def lesson_opened(learner):
    """The first lesson of a new course, opened by ``learner`` now: (enrolment, lesson, when)."""
    course = build_course()
    lesson = lessons_of(course)[0]
    enrollment = enrol(learner, course)
    start = timezone.now()
    services.lesson_view_record(enrollment=enrollment, lesson=lesson, now=start)
    return enrollment, lesson, start


def complete_url(course, lesson):
    return reverse("courses:complete", args=[course.id, lesson.id])


def test_completing_twice_changes_nothing(client, learner):
    course = build_course()
    lesson = lessons_of(course)[0]
    enrollment = enrol(learner, course)
    assert services.lesson_complete(enrollment=enrollment, lesson=lesson) is True
    first = LessonProgress.objects.get().completed_at
    assert services.lesson_complete(enrollment=enrollment, lesson=lesson) is False
    client.force_login(learner)
    client.post(complete_url(course, lesson))
    assert LessonProgress.objects.count() == 1
    assert LessonProgress.objects.get().completed_at == first
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 25


def test_completing_a_lesson_of_another_course_is_refused(client, learner):
    mine = build_course(title="Mine")
    other = build_course(title="Other")
    enrol(learner, mine)
    foreign = lessons_of(other)[0]
    client.force_login(learner)
    # Through my course's URL: the lesson is not in it.
    assert client.post(complete_url(mine, foreign)).status_code == 404
    # Through the other course's URL: I am not enrolled there.
    assert client.post(complete_url(other, foreign)).status_code == 404
    # The service refuses it as well, whoever calls it.
    with pytest.raises(services.LearningError):
        services.lesson_complete(enrollment=Enrollment.objects.get(), lesson=foreign)
    assert not LessonProgress.objects.exists()


def test_sequential_course_locks_later_lessons(client, learner):
    course = build_course(sequential=True)
    first, second, *_ = lessons_of(course)
    enrollment = enrol(learner, course)
    with pytest.raises(services.LessonLocked):
        services.lesson_complete(enrollment=enrollment, lesson=second)
    client.force_login(learner)
    response = client.post(complete_url(course, second))
    assert response.status_code == 302 and response["Location"] == second.url
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()
    response = client.get(second.url, follow=True)
    assert response.redirect_chain[-1][0] == first.url
    assert b"taken in order" in response.content
    services.lesson_complete(enrollment=enrollment, lesson=first)
    assert client.get(second.url).status_code == 200


def test_optional_lessons_do_not_block_or_count(learner):
    course = build_course(sequential=True, modules=1, lessons_per_module=3)
    first, optional, last = lessons_of(course)
    optional.required = False
    optional.save_revision().publish()
    enrollment = enrol(learner, course)
    services.lesson_complete(enrollment=enrollment, lesson=first)
    # The optional lesson is not a gate: the last lesson opens without it.
    services.lesson_complete(enrollment=enrollment, lesson=last)
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 100
    assert enrollment.status == Enrollment.Status.COMPLETED


def test_free_course_order_is_open(client, learner):
    course = build_course(sequential=False)
    last = lessons_of(course)[-1]
    enrol(learner, course)
    client.force_login(learner)
    assert client.get(last.url).status_code == 200
    client.post(complete_url(course, last))
    assert LessonProgress.objects.get(lesson=last).completed_at is not None


def test_course_completion_sets_status_and_emails_once(client, learner, django_capture_on_commit_callbacks):
    course = build_course(modules=1, lessons_per_module=2)
    enrollment = enrol(learner, course)
    client.force_login(learner)
    for lesson in lessons_of(course):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(complete_url(course, lesson))
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.progress_percent == 100
    assert enrollment.completed_at is not None
    completed_mails = [m for m in mail.outbox if "completed" in m.subject]
    assert len(completed_mails) == 1 and completed_mails[0].to == [learner.email]
    # Running the refresh again (a replayed task) sends nothing more.
    services.enrollment_refresh_progress(enrollment_id=enrollment.pk)
    from courses.tasks import course_completed_email_task

    course_completed_email_task(enrollment.pk)
    assert len([m for m in mail.outbox if "completed" in m.subject]) == 1


def test_a_failed_completion_email_is_retried_not_lost(learner, mail_server_down):
    course = build_course(modules=1, lessons_per_module=1)
    enrollment = enrol(learner, course)
    services.lesson_complete(enrollment=enrollment, lesson=lessons_of(course)[0])
    with pytest.raises(ConnectionRefusedError):
        services.enrollment_notify_completed(enrollment_id=enrollment.pk)
    enrollment.refresh_from_db()
    assert enrollment.completion_notified_at is None
    mail_server_down.undo()
    assert services.enrollment_notify_completed(enrollment_id=enrollment.pk) is True
    assert services.enrollment_notify_completed(enrollment_id=enrollment.pk) is False
    assert [m.subject for m in mail.outbox] == [f"You have completed {course.title}"]


def test_new_lesson_keeps_completion_at_100_percent(learner, django_capture_on_commit_callbacks):
    """Completion once reached stands (see test_completion_rule.py for every surface)."""
    course = build_course(modules=1, lessons_per_module=2)
    enrollment = enrol(learner, course)
    for lesson in lessons_of(course):
        services.lesson_complete(enrollment=enrollment, lesson=lesson)
    module = lessons_of(course)[0].get_parent()
    new = module.add_child(instance=LessonPage(title="New lesson", body=lesson_body(9), live=False))
    with django_capture_on_commit_callbacks(execute=True):
        new.save_revision().publish()
    enrollment.refresh_from_db()
    # Tasks run eagerly in unit tests: the publish signal refreshed every enrolment.
    assert enrollment.progress_percent == 100
    assert enrollment.status == Enrollment.Status.COMPLETED


def test_time_on_task_counts_gaps_between_heartbeats_only(learner):
    enrollment, lesson, start = lesson_opened(learner)
    assert services.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.id, now=start + timedelta(seconds=30)).page_seconds == 30
    assert services.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.id, now=start + timedelta(seconds=60)).page_seconds == 60
    # The learner walked away for an hour: that gap counts for nothing.
    later = start + timedelta(hours=1)
    assert services.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.id, now=later).page_seconds == 60
    assert services.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.id, now=later + timedelta(seconds=30)).page_seconds == 90
    # A replayed (older) heartbeat adds nothing.
    assert services.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.id, now=later).page_seconds == 90


def test_heartbeat_view_needs_an_opened_lesson_and_enrolment(client, learner):
    course = build_course()
    lesson = lessons_of(course)[0]
    url = reverse("courses:heartbeat", args=[course.id, lesson.id])
    client.force_login(learner)
    assert client.post(url).status_code == 404  # not enrolled
    enrol(learner, course)
    response = client.post(url)
    assert response.status_code == 400 and "Open the lesson" in response.json()["error"]
    client.get(lesson.url)
    assert client.post(url).status_code == 200


def test_continue_where_you_left_off(client, learner):
    course = build_course()
    lessons = lessons_of(course)
    enrol(learner, course)
    client.force_login(learner)
    client.get(lessons[2].url)
    page = client.get(course.url)
    assert f'href="{lessons[2].url}"'.encode() in page.content
    assert b"Start the course" in page.content or b"Continue" in page.content
    dashboard = client.get(reverse("courses:dashboard"))
    assert b"Continue where you left off" in dashboard.content
    assert lessons[2].title.encode() in dashboard.content


def test_dashboard_lists_only_my_enrolments(client, learner):
    mine = build_course(title="Mine")
    theirs = build_course(title="Theirs")
    enrol(learner, mine)
    enrol(UserFactory(), theirs)
    client.force_login(learner)
    page = client.get(reverse("courses:dashboard")).content.decode()
    assert "Mine" in page and "Theirs" not in page


def test_dashboard_needs_sign_in(client):
    response = client.get(reverse("courses:dashboard"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_quick_reload_keeps_timing_and_a_return_after_a_break_restarts_it(learner):
    enrollment, lesson, start = lesson_opened(learner)
    enrollment.refresh_from_db()
    # A reload 20 s in changes nothing: the heartbeat at 50 s counts all 50 s.
    services.lesson_view_record(enrollment=enrollment, lesson=lesson, now=start + timedelta(seconds=20))
    assert services.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.id, now=start + timedelta(seconds=50)).page_seconds == 50
    # Back after ten minutes away: the view starts timing again, the break counts nothing.
    back = start + timedelta(minutes=10)
    services.lesson_view_record(enrollment=enrollment, lesson=lesson, now=back)
    assert services.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.id, now=back + timedelta(seconds=30)).page_seconds == 80


def test_dashboard_continues_where_the_course_page_does_not_at_a_finished_lesson(client, learner):
    """The last lesson opened, once completed, is not where to continue: My learning
    offers the course page's next open item, in two queries whatever the number of courses."""
    course = build_course(title="Continue here", modules=1, lessons_per_module=3)
    lessons = lessons_of(course)
    enrollment = enrol(learner, course)
    client.force_login(learner)
    client.get(lessons[0].url)  # opened: the last lesson
    services.lesson_complete(enrollment=enrollment, lesson=lessons[0])
    dashboard = client.get(reverse("courses:dashboard")).content.decode()
    assert f'href="{lessons[1].url}">Continue where you left off: {lessons[1].title}' in dashboard
    assert f"Continue where you left off: {lessons[0].title}" not in dashboard
    course_page = client.get(course.url).content.decode()
    assert f'href="{lessons[1].url}"' in course_page

    for n in range(3):  # more courses, begun: the same queries
        other = build_course(title=f"Other {n}", modules=1, lessons_per_module=2)
        services.lesson_complete(enrollment=enrol(learner, other), lesson=lessons_of(other)[0])
    client.get(reverse("courses:dashboard"))
    with CaptureQueriesContext(connection) as one_more:
        client.get(reverse("courses:dashboard"))
    other = build_course(title="Other 4", modules=1, lessons_per_module=2)
    services.lesson_complete(enrollment=enrol(learner, other), lesson=lessons_of(other)[0])
    client.get(reverse("courses:dashboard"))
    with CaptureQueriesContext(connection) as again:
        page = client.get(reverse("courses:dashboard")).content.decode()
    assert len(again.captured_queries) == len(one_more.captured_queries)
    assert f"Continue where you left off: {lessons_of(other)[1].title}" in page

