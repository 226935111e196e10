"""A course approved for CE hours, and learners who study it by the clock hour."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from continuing_education.models import (
    AccreditingBody,
    Approval,
    CourseApproval,
    EvaluationSubmission,
    ProfessionalLicence,
)
from courses import services as learning
from courses.models import StudyHour
from tests.factories import build_course, enrolled_learner, lessons_of


@pytest.fixture
def course(catalogue):
    return build_course(title="Meeting Basics", modules=1, lessons_per_module=2)


def make_approval(course, *, hours="2", body_name="NAADAC", **rules) -> Approval:
    body, _ = AccreditingBody.objects.get_or_create(name=f"{body_name} body", defaults={"short_name": body_name})
    today = timezone.localdate()
    fields = {
        "provider_number": "DEMO-123456", "statement": f"Approved by {body_name} as an education provider (demo).",
        "approved_from": today - timedelta(days=365), "approved_until": today + timedelta(days=365),
        **rules,
    }
    approval = Approval.objects.create(body=body, **fields)
    CourseApproval.objects.create(approval=approval, course=course, hours=Decimal(hours))
    return approval


@pytest.fixture
def approval(course):
    return make_approval(course)


@pytest.fixture
def learner(course):
    return enrolled_learner(course, certificate_name="Zoë Ñúñez-O'Brien", email="zoe@example.org")


def study(user, course, start, hours, seconds=3600):
    """``hours`` clock hours of ``seconds`` each from ``start`` (an hour's start, aware)."""
    enrollment = user.enrollments.get(course=course)
    for i in range(hours):
        StudyHour.objects.create(enrollment=enrollment, hour=start + timedelta(hours=i), seconds=seconds)
    enrollment.time_spent_seconds += hours * seconds
    enrollment.save(update_fields=["time_spent_seconds"])


def hour_start(moment):
    return moment.replace(minute=0, second=0, microsecond=0)


def complete_course(user, course):
    enrollment = user.enrollments.get(course=course)
    for lesson in lessons_of(course):
        learning.lesson_complete(enrollment=enrollment, lesson=lesson)


def give_licence(user, **fields):
    return ProfessionalLicence.objects.create(
        user=user, **{"profession": "counsellor", "issuing_board": "Ohio Chemical Dependency Professionals Board",
                      "region": "Ohio", "licence_number": "LCDC-II 12345", **fields},
    )


def evaluate(user, course):
    return EvaluationSubmission.objects.create(user=user, course=course)


def ready_learner(learner, course, *, studied_hours=2, start=None):
    """Every rule met, the study ended more than a day ago."""
    start = start or hour_start(timezone.now() - timedelta(days=3))
    study(learner, course, start, studied_hours)
    complete_course(learner, course)
    give_licence(learner)
    evaluate(learner, course)
    return learner


