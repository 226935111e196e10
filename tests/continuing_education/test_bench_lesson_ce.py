"""``make bench`` measures the lesson of a course with CE hours (``lesson_ce``, the
time-on-task display on it) against the bare Wagtail page: its fixture serves the display
to the enrolled learners at the plain lesson's query count, and the report names the
target."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def warm_queries(client, url) -> tuple[int, str]:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_bench_ce_lesson_shows_the_display_at_the_plain_lessons_query_count(client):
    from bench import fixtures, report, run

    course = fixtures.build_course(slug="benchmark-course", title="Benchmark course", lessons=12, per_module=5)
    lesson = fixtures.live_lessons(course)[6]
    learners = [fixtures.make_learner(i) for i in range(2)]
    for learner in learners:
        fixtures.enrol_with_progress(learner, course, before=lesson)
    ce_lesson = fixtures.ce_lesson(learners, lesson)
    assert list(ce_lesson.body.raw_data) == list(lesson.body.raw_data)  # the bare page is its fair floor
    client.force_login(learners[1])
    plain, _ = warm_queries(client, lesson.url)
    with_ce, body = warm_queries(client, ce_lesson.url)
    assert 'id="ce-time"' in body and "Left for CE" in body
    assert with_ce == plain

    data = type("Data", (), {"lesson": lesson, "course": course, "bare": lesson, "lesson_es": lesson, "lesson_ce": ce_lesson})
    assert run.endpoints(data)["lesson_ce"].marker == 'id="ce-time"'
    figures = {"rps": 100.0, "p50_ms": 1.0, "p95_ms": 2.0, "queries": 5, "bytes": 1, "concurrency": 8}
    results = {"lesson": figures, "bare_wagtail": figures, "hello": figures, "lesson_ce": {**figures, "rps": 99.0}}
    assert "lesson_ce rps >= 1.0 x bare_wagtail rps: 0.99 x -> NOT met (queries: 5 with CE, 5 without)" in (
        report.targets(results, {"lessons_12": 5})
    )
