"""The learner's time on task against CE's requirement on the lesson and course pages, the
course page's CE panel before enrolling, and CE hours on catalogue cards: shown only for
courses with a current approval, from kept terms (no query on a warm page), following
every change of an approval at once."""
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from continuing_education import terms
from continuing_education.models import Approval, CourseApproval
from courses import services
from courses.models import CourseIndexPage, Enrollment
from tests.factories import UserFactory, build_course, lessons_of

from .learner_data import approve

pytestmark = pytest.mark.django_db


def enrolled(client, course, seconds=0):
    user = UserFactory()
    services.enrollment_create(user=user, course=course)
    Enrollment.objects.filter(user=user).update(time_spent_seconds=seconds)
    client.force_login(user)
    return user


def panel_text(html: str) -> str:
    found = re.search(r'<section class="panel ce-time".*?</section>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))) if found else ""


def test_required_time_follows_the_rules_and_rounds_up():
    t = terms.Terms(
        approval_id=1, body_name="B", body_short_name="", body_website="", provider_number="1", hours=terms.Decimal("6"),
        approved_from=None, approved_until=None, ce_hours_per_hour=terms.Decimal("1"), daily_cap_hours=terms.Decimal("8"),
        time_on_task_percent=100, passing_score_percent=80, requires_evaluation=True,
    )
    assert t.required_seconds == 6 * 3600
    half = terms.Terms(**{**t.__dict__, "ce_hours_per_hour": terms.Decimal("2"), "time_on_task_percent": 75})
    assert half.required_seconds == 6 / 2 * 3600 * 75 // 100
    odd = terms.Terms(**{**t.__dict__, "hours": terms.Decimal("0.25"), "time_on_task_percent": 33})
    assert odd.required_seconds == 297  # 296.999…: never a second less than the rule
    assert terms.duration_text(3 * 3600 + 59 * 60 + 59) == "3 h 59 min"
    assert terms.duration_text(3 * 3600 + 59 * 60 + 1, round_up=True) == "4 h 0 min"
    assert terms.duration_text(59) == "0 min"


def test_the_lesson_page_shows_time_on_task_against_ce_and_what_is_left(client):
    course = build_course(modules=1, lessons_per_module=2)
    approve(course, hours="6")
    approve(course, hours="4", body="NBCC", provider="NB-1")  # the larger requirement shows
    enrolled(client, course, seconds=2 * 3600 + 10 * 60)
    html = client.get(lessons_of(course)[0].url).content.decode()
    text = panel_text(html)
    assert "Time on task for CE" in text
    assert "Measured so far 2 h 10 min" in text and "Required for CE 6 h 0 min" in text
    assert "Left for CE 3 h 50 min" in text
    assert 'data-required="21600"' in html and 'data-format-hours="{hours} h {minutes} min"' in html
    assert "aria-live" not in re.search(r'<section class="panel ce-time".*?</section>', html, re.S).group(0)


def test_met_time_says_nothing_is_left(client):
    course = build_course(modules=1, lessons_per_module=1)
    approve(course, hours="1")
    enrolled(client, course, seconds=3700)
    assert "Left for CE Nothing: your time on task is enough for CE." in panel_text(client.get(lessons_of(course)[0].url).content.decode())


@pytest.mark.parametrize("case", ["no approval", "expired", "not yet", "withdrawn"])
def test_no_time_on_task_display_without_a_current_approval_or_a_place(client, case):
    course = build_course(modules=1, lessons_per_module=1)
    if case == "expired":
        approve(course, days_left=-2, started_days_ago=400)
    elif case == "not yet":
        approve(course, started_days_ago=-5)
    elif case != "no approval":
        approve(course)
    user = enrolled(client, course, seconds=60)
    lesson = lessons_of(course)[0]
    if case == "withdrawn":
        client.get(lesson.url)
        Enrollment.objects.filter(user=user).update(status=Enrollment.Status.WITHDRAWN)
        assert 'id="ce-time"' not in client.get(course.url).content.decode()
        return
    assert 'id="ce-time"' not in client.get(lesson.url).content.decode()
    assert 'id="ce-time"' not in client.get(course.url).content.decode()
    assert 'id="continuing-education"' not in client.get(course.url).content.decode()


def lesson_queries(client, lesson) -> int:
    client.get(lesson.url)  # warm
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(lesson.url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lesson_page_of_a_ce_course_asks_no_more_queries_than_any_lesson(client):
    plain = build_course(title="Plain", modules=1, lessons_per_module=2)
    with_ce = build_course(title="With CE", modules=1, lessons_per_module=2)
    approve(with_ce)
    enrolled(client, plain)
    without = lesson_queries(client, lessons_of(plain)[1])
    enrolled(client, with_ce, seconds=600)
    lesson = lessons_of(with_ce)[1]
    assert lesson_queries(client, lesson) == without
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(lesson.url).content.decode()
    assert 'id="ce-time"' in html
    assert not [q for q in ctx.captured_queries if "continuing_education" in q["sql"]]


def test_the_course_page_of_a_ce_course_asks_no_more_queries_than_any_course_page(client):
    plain = build_course(title="Plain", modules=1, lessons_per_module=2)
    with_ce = build_course(title="With CE", modules=1, lessons_per_module=2)
    approve(with_ce)
    for course in (plain, with_ce):
        client.get(course.url)
    counts = []
    for course in (plain, with_ce):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(course.url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    catalogue = CourseIndexPage.objects.get()
    client.get(catalogue.url)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(catalogue.url).content.decode()
    assert "6 CE hours (NAADAC)" in html
    assert not [q for q in ctx.captured_queries if "continuing_education" in q["sql"]]


def test_a_change_of_approval_shows_on_the_next_request(client):
    course = build_course(modules=1, lessons_per_module=1)
    enrolled(client, course, seconds=0)
    lesson = lessons_of(course)[0]
    assert 'id="ce-time"' not in client.get(lesson.url).content.decode()  # no approval: kept as none
    approval = approve(course, hours="6")
    assert "Required for CE 6 h 0 min" in panel_text(client.get(lesson.url).content.decode())
    CourseApproval.objects.filter(approval=approval).update(hours=2)  # an update sends no signal…
    row = CourseApproval.objects.get(approval=approval)
    row.hours = 3
    row.save()  # …a save does (the admin saves)
    assert "Required for CE 3 h 0 min" in panel_text(client.get(lesson.url).content.decode())
    approval.time_on_task_percent = 50
    approval.save()
    assert "Required for CE 1 h 30 min" in panel_text(client.get(lesson.url).content.decode())
    approval.approved_until = approval.approved_from + timedelta(days=1)
    approval.approved_from -= timedelta(days=400)
    approval.approved_until = approval.approved_from + timedelta(days=10)
    approval.save()  # lapsed
    assert 'id="ce-time"' not in client.get(lesson.url).content.decode()
    Approval.objects.filter(pk=approval.pk).delete()
    assert client.get(lesson.url).status_code == 200


def ce_panel(client, course) -> str:
    html = client.get(course.url).content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r'<section class="ce-panel".*?</section>', html, re.S).group(0)))


def test_the_course_page_shows_ce_hours_bodies_and_requirements_before_enrolling(client):
    course = build_course(modules=1, lessons_per_module=1, quiz=True)  # its quiz passes at 70 %
    approve(course, hours="6", passing_score_percent=75, daily_cap_hours=terms.Decimal("8"), time_on_task_percent=100)
    approve(course, hours="1.5", body="NBCC", provider="NB-77", requires_evaluation=False, daily_cap_hours=terms.Decimal("1"))
    approve(course, hours="9", body="OLD", provider="OLD-1", days_left=-10, started_days_ago=700)  # lapsed: not shown
    html = client.get(course.url).content.decode()
    panel = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r'<section class="ce-panel".*?</section>', html, re.S).group(0)))
    assert "NAADAC: 6 CE hours" in panel and "NBCC: 1.5 CE hours" in panel and "OLD" not in panel
    assert "Provider number DEMO-000123" in panel and "Provider number NB-77" in panel
    assert "at least 75%" in panel
    # Above the quiz's pass mark: said before enrolling, since a passed quiz is not taken again.
    assert panel.count(
        "Pass every required quiz with a score of at least 75%. That is more than a quiz needs to pass (from 70%), "
        "and a quiz cannot be taken again once passed: a pass below 75% completes the course but earns no CE hours."
    ) == 1
    assert "Pass every required quiz with a score of at least 80%. That" in panel  # NBCC: its default score
    assert panel.count("course evaluation") == 1  # NBCC does not ask for one
    assert "Spend at least 6 h 0 min" in panel and "Spend at least 1 h 30 min" in panel
    assert "at most 8 CE hours per 24 hours" in panel and "at most 1 CE hour per 24 hours" in panel
    assert panel.count("Record your professional licence") == 2
    assert reverse("continuing_education:licence") in html
    assert 'id="ce-time"' not in html  # not enrolled: no time on task


def test_the_course_page_shows_an_enrolled_learners_time_on_task(client):
    course = build_course(modules=1, lessons_per_module=1)
    approve(course, hours="2")
    enrolled(client, course, seconds=30 * 60)
    text = panel_text(client.get(course.url).content.decode())
    assert "Measured so far 30 min" in text and "Left for CE 1 h 30 min" in text


def test_a_translation_shows_its_source_courses_terms(client):
    from tests.courses.translated import translate_site, translate_tree

    course = build_course(modules=1, lessons_per_module=1)
    approve(course, hours="6")
    translate_site()
    spanish = translate_tree(course)
    html = client.get(spanish.url).content.decode()
    assert 'id="continuing-education"' in html and "DEMO-000123" in html


def test_the_score_rule_is_shown_only_for_required_quizzes_and_warns_only_below_it(client):
    from tests.factories import build_quiz

    course = build_course(modules=1, lessons_per_module=1)
    approval = approve(course, hours="6", passing_score_percent=80)
    assert "required quiz" not in ce_panel(client, course)  # no quiz: no score to reach
    module = course.get_children().first().specific
    quiz = build_quiz(module, title="Module check", pass_mark=80)
    panel = ce_panel(client, course)  # a new quiz shows at once (pages bump the content version)
    assert "Pass every required quiz with a score of at least 80%." in panel and "more than a quiz needs" not in panel
    quiz.pass_mark = 60
    quiz.save_revision().publish()
    assert "a quiz needs to pass (from 60%)" in ce_panel(client, course)
    approval.passing_score_percent = 60
    approval.save()
    assert "more than a quiz needs" not in ce_panel(client, course)
