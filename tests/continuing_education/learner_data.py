"""Approvals and CE certificates for the learner's CE pages' tests."""
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from certification.codes import new_code
from continuing_education.models import AccreditingBody, Approval, CECertificate, CourseApproval


def approve(course, *, hours="6", body="NAADAC", provider="DEMO-000123", days_left=300, started_days_ago=30, **rules):
    """An approval current today (unless told otherwise) giving ``course`` ``hours`` CE hours."""
    today = timezone.localdate()
    accrediting, _ = AccreditingBody.objects.get_or_create(
        name=f"{body} (accrediting body)", defaults={"short_name": body, "website": "https://body.example/"}
    )
    approval = Approval.objects.create(
        body=accrediting, provider_number=provider, statement=f"Approved by {body}.",
        approved_from=today - timedelta(days=started_days_ago), approved_until=today + timedelta(days=days_left), **rules,
    )
    CourseApproval.objects.create(approval=approval, course=course, hours=Decimal(hours))
    return approval


def ce_certificate(user, course, approval, *, hours="6", completed_at=None, revoked=False, title=None, **fields):
    now = timezone.now()
    completed_at = completed_at or now
    values = dict(
        code=new_code(), holder=user, course=course, approval=approval, hours=Decimal(hours),
        course_title=title or course.title, body_name=approval.body.name, provider_number=approval.provider_number,
        statement=approval.statement, holder_name=user.certificate_name or "Alex Learner", profession="Nurse",
        issuing_board="State Board of Nursing", licence_region="Ohio", licence_number="RN-12345",
        completed_at=completed_at, issued_at=completed_at, retain_until=(completed_at + timedelta(days=5 * 365)).date(),
        time_on_task_seconds=int(Decimal(hours) * 3600),
    )
    if revoked:
        values.update(revoked_at=now, revocation_reason=CECertificate.RevocationReason.ISSUED_IN_ERROR)
    values.update(fields)
    return CECertificate.objects.create(**values)
