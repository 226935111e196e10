"""What the staff side of continuing education is tested with: an accrediting body and a
current approval carrying a 6-hour course, a licensed learner enrolled in it with time on
task, and staff: the "CE staff" group, and a viewer who may only look."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from continuing_education.models import AccreditingBody, Approval, CECertificate, CourseApproval, ProfessionalLicence
from continuing_education.services import staff as staff_services
from courses.models import CoursePage, Enrollment
from tests.factories import UserFactory, build_course, enrolled_learner

STAFF_GROUP = "CE staff"
HOUR = 3600


def grant(user, *perms):
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


@pytest.fixture
def body(db):
    return AccreditingBody.objects.create(name="National Association for Addiction Professionals", short_name="NAADAC")


@pytest.fixture
def course(catalogue):
    course = build_course(title="Meeting Facilitator Training", modules=1, lessons_per_module=2)
    CoursePage.objects.filter(pk=course.pk).update(estimated_hours=Decimal("6.0"))
    course.refresh_from_db()
    return course


@pytest.fixture
def approval(body, course):
    today = timezone.localdate()
    approval = Approval.objects.create(
        body=body, provider_number="DEMO-123", statement="Approved by NAADAC as an education provider (demo).",
        approved_from=today - timedelta(days=300), approved_until=today + timedelta(days=400),
    )
    CourseApproval.objects.create(approval=approval, course=course, hours=Decimal("6"))
    return approval


@pytest.fixture
def learner(course):
    user = enrolled_learner(course, certificate_name="Zoë Ñúñez-O'Brien", email="zoe@example.org")
    Enrollment.objects.filter(user=user, course=course).update(time_spent_seconds=2 * HOUR + 50 * 60)  # 2 h 50 min
    ProfessionalLicence.objects.create(
        user=user, profession="counsellor", issuing_board="Ohio Chemical Dependency Professionals Board",
        region="Ohio", licence_number="LCDC-0042",
    )
    return user


@pytest.fixture
def ce_staff(db):
    user = UserFactory(email="sam.staff@example.org", certificate_name="Sam Staff")
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


@pytest.fixture
def viewer(db):
    """Admin access and the right to look at CE certificates, nothing more."""
    return grant(UserFactory(email="vic.viewer@example.org"), "wagtailadmin.access_admin", "continuing_education.view_cecertificate")


@pytest.fixture
def partial_certificate(learner, course, approval, ce_staff) -> CECertificate:
    return staff_services.ce_partial_credit_grant(
        learner=learner, course=course, approval=approval, hours=Decimal("2.5"),
        reason="Left the course after a family emergency.", by=ce_staff,
    )


def issue(learner, course, approval, *, hours=Decimal("6"), completed_at=None, code=None) -> CECertificate:
    """A CE certificate as automatic issue makes one (every rule met), with its "issued" event."""
    completed_at = completed_at or timezone.now()
    licence = ProfessionalLicence.objects.get(user=learner)
    figures = staff_services.certificate_figures(
        user=learner, course=course, approval=approval, licence=licence, hours=hours, completed_at=completed_at,
        issued_at=completed_at, time_on_task_seconds=6 * HOUR,
    )
    from certification import codes

    certificate = CECertificate.objects.create(code=code or codes.new_code(), **figures)
    certificate.events.create(kind="issued", at=completed_at, detail={"hours": str(hours)})
    return certificate


def licensed_learner(course, **fields):
    user = enrolled_learner(course, **fields)
    ProfessionalLicence.objects.create(
        user=user, profession="nurse", issuing_board="Board of Nursing", region="Ontario", licence_number=f"RN-{user.pk}"
    )
    return user
