"""Time on task kept per UTC hour (``StudyHour``) and as the enrolment's total, from the
heartbeats of lessons and quiz attempts (``courses.services.study_time``), and the
migration that laid time spent before hours were kept into hours."""
import importlib
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps as global_apps
from django.db.models import Sum
from django.urls import reverse

from courses import services
from courses.assessment import services as quiz_services
from courses.models import Enrollment, LessonProgress, QuizAttempt, StudyHour
from tests.concurrency import run_together
from tests.factories import UserFactory, build_course, build_quiz, lessons_of

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def hours_of(enrollment) -> dict[datetime, int]:
    return dict(StudyHour.objects.filter(enrollment=enrollment).order_by("hour").values_list("hour", "seconds"))


def assert_totals_agree(enrollment) -> int:
    enrollment.refresh_from_db()
    summed = StudyHour.objects.filter(enrollment=enrollment).aggregate(s=Sum("seconds"))["s"] or 0
    assert enrollment.time_spent_seconds == summed
    return summed


def opened(user, course, lesson, at):
    enrollment = services.enrollment_create(user=user, course=course)[0]
    services.lesson_view_record(enrollment=enrollment, lesson=lesson, now=at)
    return Enrollment.objects.get(pk=enrollment.pk)


def test_hour_pieces_split_at_utc_hours_and_add_up_to_the_whole_gap():
    start = NOON - timedelta(seconds=10.5)
    assert services.hour_pieces(start, NOON + timedelta(seconds=19.2)) == [
        (NOON - timedelta(hours=1), 10), (NOON, 19),
    ]
    assert services.hour_pieces(NOON, NOON + timedelta(seconds=30)) == [(NOON, 30)]
    assert services.hour_pieces(NOON, NOON) == [] and services.hour_pieces(NOON, NOON - timedelta(seconds=5)) == []
    # Another zone's times land in the UTC hour they fall in.
    from zoneinfo import ZoneInfo

    local = datetime(2026, 3, 2, 7, 59, 50, tzinfo=ZoneInfo("America/New_York"))  # 12:59:50 UTC
    assert services.hour_pieces(local, local + timedelta(seconds=30)) == [(NOON, 10), (NOON + timedelta(hours=1), 20)]
    long = services.hour_pieces(NOON + timedelta(minutes=30), NOON + timedelta(hours=2, minutes=15))
    assert long == [(NOON, 1800), (NOON + timedelta(hours=1), 3600), (NOON + timedelta(hours=2), 900)]


def test_a_gap_across_an_hour_goes_to_both_hours_and_the_total():
    course = build_course(modules=1, lessons_per_module=1)
    lesson = lessons_of(course)[0]
    start = NOON - timedelta(seconds=20)
    enrollment = opened(UserFactory(), course, lesson, start)
    beat = services.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.id, now=NOON + timedelta(seconds=10))
    assert beat == services.Heartbeat(page_seconds=30, course_seconds=30)
    assert hours_of(enrollment) == {NOON - timedelta(hours=1): 20, NOON: 10}
    beat = services.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.id, now=NOON + timedelta(seconds=40))
    assert beat.course_seconds == 60 and hours_of(enrollment)[NOON] == 40
    assert assert_totals_agree(enrollment) == 60


def test_a_long_or_replayed_gap_counts_nothing_anywhere():
    course = build_course(modules=1, lessons_per_module=1)
    lesson = lessons_of(course)[0]
    enrollment = opened(UserFactory(), course, lesson, NOON)
    services.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.id, now=NOON + timedelta(seconds=30))
    away = services.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.id, now=NOON + timedelta(hours=2))
    assert away.course_seconds == 30
    replayed = services.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.id, now=NOON + timedelta(seconds=30))
    assert replayed.course_seconds == 30 and hours_of(enrollment) == {NOON: 30}
    assert assert_totals_agree(enrollment) == 30


def test_two_lessons_of_a_course_add_up_but_an_hour_never_holds_more_than_an_hour():
    course = build_course(modules=1, lessons_per_module=2)
    first, second = lessons_of(course)
    enrollment = opened(UserFactory(), course, first, NOON)
    services.lesson_view_record(enrollment=enrollment, lesson=second, now=NOON)
    StudyHour.objects.create(enrollment=enrollment, hour=NOON, seconds=3590)
    Enrollment.objects.filter(pk=enrollment.pk).update(time_spent_seconds=3590)
    services.lesson_heartbeat(enrollment=enrollment, lesson_id=first.id, now=NOON + timedelta(seconds=30))
    beat = services.lesson_heartbeat(enrollment=enrollment, lesson_id=second.id, now=NOON + timedelta(seconds=30))
    assert hours_of(enrollment) == {NOON: 3600}  # two tabs at once cannot make an hour longer
    assert beat.course_seconds == 3600 and assert_totals_agree(enrollment) == 3600
    # The lessons' own times still say how long each was open.
    assert set(LessonProgress.objects.filter(enrollment=enrollment).values_list("time_spent_seconds", flat=True)) == {30}


def test_the_heartbeat_answers_the_courses_total(client):
    course = build_course(modules=1, lessons_per_module=2)
    first, second = lessons_of(course)
    user = UserFactory()
    services.enrollment_create(user=user, course=course)
    client.force_login(user)
    client.get(first.url)
    Enrollment.objects.filter(user=user).update(time_spent_seconds=600)  # earlier lessons' time
    answer = client.post(reverse("courses:heartbeat", args=[course.id, first.id])).json()
    assert answer["course_time_spent_seconds"] >= 600 and answer["time_spent_seconds"] < 60
    # Another learner's heartbeat on the same lesson touches only their own enrolment.
    other = UserFactory()
    services.enrollment_create(user=other, course=course)
    client.force_login(other)
    client.get(first.url)
    assert client.post(reverse("courses:heartbeat", args=[course.id, first.id])).json()["course_time_spent_seconds"] < 60
    assert Enrollment.objects.get(user=user).time_spent_seconds == answer["course_time_spent_seconds"]


# --- races ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_heartbeat_sent_eight_times_at_once_counts_once():
    course = build_course(modules=1, lessons_per_module=1)
    lesson = lessons_of(course)[0]
    enrollment = opened(UserFactory(), course, lesson, NOON - timedelta(seconds=20))
    now = NOON + timedelta(seconds=10)
    results, errors = run_together(
        8, lambda _: services.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.id, now=now)
    )
    assert errors == [] and len(results) == 8
    assert hours_of(enrollment) == {NOON - timedelta(hours=1): 20, NOON: 10}
    assert assert_totals_agree(enrollment) == 30


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_heartbeats_of_several_lessons_at_once_make_each_hour_once_and_keep_totals_agreeing():
    course = build_course(modules=2, lessons_per_module=3)
    lessons = lessons_of(course)
    start = NOON - timedelta(seconds=15)
    enrollment = opened(UserFactory(), course, lessons[0], start)
    for lesson in lessons[1:]:
        services.lesson_view_record(enrollment=enrollment, lesson=lesson, now=start)
    now = NOON + timedelta(seconds=15)
    results, errors = run_together(
        len(lessons), lambda i: services.lesson_heartbeat(enrollment=enrollment, lesson_id=lessons[i].id, now=now)
    )
    assert errors == []  # no unique-constraint error when two make the same hour, no deadlock
    assert hours_of(enrollment) == {NOON - timedelta(hours=1): 15 * len(lessons), NOON: 15 * len(lessons)}
    assert assert_totals_agree(enrollment) == 30 * len(lessons)
    assert max(r.course_seconds for r in results) == 30 * len(lessons)


# --- quiz attempts ------------------------------------------------------------------------


@pytest.fixture
def attempt():
    course = build_course(modules=1, lessons_per_module=1)
    quiz = build_quiz(course.get_children().first().specific)
    user = UserFactory()
    services.enrollment_create(user=user, course=course)
    started = quiz_services.attempt_start(user=user, quiz=quiz)
    QuizAttempt.objects.filter(pk=started.pk).update(started_at=NOON)
    return QuizAttempt.objects.get(pk=started.pk)


def test_time_on_a_quiz_attempt_counts_like_a_lessons(attempt):
    beat = services.attempt_heartbeat
    assert beat(attempt_id=attempt.pk, user_id=attempt.user_id, now=NOON + timedelta(seconds=30)) == 30
    assert beat(attempt_id=attempt.pk, user_id=attempt.user_id, now=NOON + timedelta(seconds=60)) == 60
    assert beat(attempt_id=attempt.pk, user_id=attempt.user_id, now=NOON + timedelta(seconds=30)) == 60  # replayed
    assert beat(attempt_id=attempt.pk, user_id=attempt.user_id, now=NOON + timedelta(hours=1)) == 60  # away
    assert hours_of(attempt.enrollment) == {NOON: 60}
    assert assert_totals_agree(attempt.enrollment) == 60


def test_a_quiz_heartbeat_counts_nothing_past_the_time_limit(attempt):
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=NOON + timedelta(seconds=20))
    assert services.attempt_heartbeat(attempt_id=attempt.pk, user_id=attempt.user_id, now=NOON + timedelta(seconds=30)) == 20


def test_the_attempt_heartbeat_is_the_learners_own_and_only_while_open(client, attempt):
    url = reverse("courses:attempt_heartbeat", args=[attempt.pk])
    assert client.post(url).status_code in (302, 401, 403)  # signed out: nothing counted
    client.force_login(UserFactory())
    assert client.post(url).status_code == 404  # another learner's attempt
    assert not StudyHour.objects.exists()
    with pytest.raises(services.LearningError):
        services.attempt_heartbeat(attempt_id=attempt.pk, user_id=UserFactory().pk, now=NOON + timedelta(seconds=30))
    client.force_login(attempt.user)
    QuizAttempt.objects.filter(pk=attempt.pk).update(last_seen_at=None, started_at=datetime.now(UTC) - timedelta(seconds=30))
    answer = client.post(url)
    assert answer.status_code == 200 and 29 <= answer.json()["course_time_spent_seconds"] <= 31
    QuizAttempt.objects.filter(pk=attempt.pk).update(status=QuizAttempt.Status.SUBMITTED, submitted_at=NOON)
    assert client.post(url).status_code == 409
    assert assert_totals_agree(attempt.enrollment) == answer.json()["course_time_spent_seconds"]


def test_the_attempt_page_sends_heartbeats(client, attempt):
    client.force_login(attempt.user)
    page = client.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()
    assert f'data-heartbeat-url="{reverse("courses:attempt_heartbeat", args=[attempt.pk])}"' in page


# --- the migration's backfill --------------------------------------------------------------


def test_the_migration_lays_earlier_time_into_hours_from_first_view_and_totals_agree():
    backfill = importlib.import_module("courses.migrations.0008_time_on_task_by_hour").backfill
    course = build_course(modules=1, lessons_per_module=3)
    first, second, third = lessons_of(course)
    enrollment = services.enrollment_create(user=UserFactory(), course=course)[0]
    other = services.enrollment_create(user=UserFactory(), course=course)[0]
    rows = [
        (enrollment, third, NOON + timedelta(minutes=10), 2500),  # laid from 12:00 on
        (enrollment, first, NOON + timedelta(minutes=50), 1500),  # 12:00 has 1100 s left, 400 s in 13:00
        (enrollment, second, NOON + timedelta(hours=1, minutes=5), 4000),  # 13:00's 3200 s left, 800 s in 14:00
        (other, first, NOON, 7300),  # two full hours and 100 s
        (other, second, NOON, 0),  # opened only: nothing
    ]
    for e, lesson, at, seconds in rows:
        progress = LessonProgress.objects.create(enrollment=e, lesson=lesson, last_seen_at=at, time_spent_seconds=seconds)
        LessonProgress.objects.filter(pk=progress.pk).update(first_viewed_at=at)
    backfill(global_apps, None)
    h = timedelta(hours=1)
    assert hours_of(enrollment) == {NOON: 3600, NOON + h: 3600, NOON + 2 * h: 800}
    assert hours_of(other) == {NOON: 3600, NOON + h: 3600, NOON + 2 * h: 100}
    assert assert_totals_agree(enrollment) == 8000 and assert_totals_agree(other) == 7300
