"""The lesson of a course with CE hours, for the ``lesson_ce`` measurement: the same body
as the measured lesson (so the bare Wagtail page is its fair floor), in a 20-lesson course
under a current CE approval, the learners enrolled with time on task already measured, so
the page shows the time-on-task display with every figure filled in."""
from datetime import timedelta
from decimal import Decimal

from .fixtures import build_course, enrol_with_progress, live_lessons

CE_SLUG = "benchmark-ce-course"


def ce_lesson(users: list, measured):
    """The CE course's middle lesson (its body the measured lesson's), learners enrolled."""
    from django.utils import timezone

    from continuing_education.models import AccreditingBody, Approval, CourseApproval
    from courses.models import Enrollment

    course = build_course(slug=CE_SLUG, title="CE benchmark course", lessons=20)
    lesson = live_lessons(course)[10]
    lesson.body = list(measured.body.raw_data)
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    body, _ = AccreditingBody.objects.get_or_create(name="Bench Accrediting Body", defaults={"short_name": "BAB"})
    today = timezone.localdate()
    approval = Approval.objects.create(
        body=body, provider_number="BENCH-1", statement="Benchmark approval (not a real provider number).",
        approved_from=today - timedelta(days=30), approved_until=today + timedelta(days=365),
    )
    CourseApproval.objects.create(approval=approval, course=course, hours=Decimal("6"))
    for user in users:
        enrol_with_progress(user, course, before=lesson)
    Enrollment.objects.filter(course=course).update(time_spent_seconds=2 * 3600 + 600)
    return lesson
