import pytest
from django.utils import timezone

from certification.models import CodeOfConduct, Programme
from courses import services as learning
from tests.factories import build_course, enrolled_learner, lessons_of


@pytest.fixture
def code_of_conduct(db):
    return CodeOfConduct.objects.create(
        version="2026.1", text="<p>Listen without judging. Keep what is shared private.</p>",
        published_at=timezone.now() - timezone.timedelta(days=30),
    )


@pytest.fixture
def course(catalogue):
    return build_course(title="Meeting Basics", modules=1, lessons_per_module=2)


@pytest.fixture
def programme(course, code_of_conduct):
    programme = Programme.objects.create(
        title="Meeting Facilitator", slug="meeting-facilitator", validity_months=24,
        signatory_name="Amara Osei", signatory_title="Training lead",
    )
    programme.courses.add(course)
    programme.save()
    return programme


@pytest.fixture
def learner(course):
    return enrolled_learner(course, certificate_name="Zoë Ñúñez-O'Brien")


def complete_course(user, course):
    enrollment = user.enrollments.get(course=course)
    for lesson in lessons_of(course):
        learning.lesson_complete(enrollment=enrollment, lesson=lesson)
