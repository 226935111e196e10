"""What staff do to CE certificates in the admin, with the same audit trail as facilitator
certificates: revoke (reason and note), reinstate, reissue after a name or licence change,
and grant partial credit.

Every change is made under the certificate's row lock, recorded in its history
(``CECertificateEvent``: who, when, what) and announced with
``events.ce_certificate_changed`` inside the transaction, so listeners (the verification
cache) act only once it commits. Nothing here renders a PDF: a certificate whose
``pdf_revision`` is below its ``revision`` is rendered anew when it is next downloaded.

``certificate_figures`` is what a CE certificate copies when it is made (from the approval,
the course and the holder's licence, as they are then): editing an approval or a course's
hours afterwards never changes a certificate issued. Automatic issue may share it.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from certification import codes
from certification.selectors import status_lists_changed
from certification.services import holder_name, status_entries_retire_for
from courses.models import CoursePage, Enrollment
from kernel.errors import Refusal

from .. import events
from ..models import Approval, CECertificate, CECertificateEvent, CourseApproval, ProfessionalLicence
from ..models.approvals import QUARTER_HOUR
from ..selectors.credit import is_source_course, partial_credit_limit

Kind = CECertificateEvent.Kind
Reason = CECertificate.RevocationReason
# The licence as a CE certificate prints it: its fields there and on the licence.
LICENCE_FIELDS = (("profession", "display_profession"), ("issuing_board", "issuing_board"),
                  ("licence_region", "region"), ("licence_number", "licence_number"))


class CEStaffError(Refusal):
    """A staff action the rules refuse; ``message`` says why, for the staff member."""


def retain_until(*, approval: Approval, issued_at: datetime) -> date:
    """Boards audit for years: the approval's retention, counted from the day of issue."""
    return timezone.localdate(issued_at) + relativedelta(years=approval.retention_years)


def certificate_figures(
    *, user: User, course: CoursePage, approval: Approval, licence: ProfessionalLicence, hours: Decimal,
    completed_at: datetime, issued_at: datetime, time_on_task_seconds: int,
) -> dict[str, object]:
    """The fields a new ``CECertificate`` copies, as they are at issue (see the module's
    docstring): the hours credited, the course's title, the approval's body, provider number
    and statement, the holder's printed name and licence, the dates, the time on task."""
    return {
        "holder": user, "course": course, "approval": approval, "hours": hours,
        "course_title": course.title, "body_name": approval.body.name,
        "provider_number": approval.provider_number, "statement": approval.statement,
        "holder_name": holder_name(user),
        **{field: str(getattr(licence, source)) for field, source in LICENCE_FIELDS},
        "completed_at": completed_at, "issued_at": issued_at,
        "retain_until": retain_until(approval=approval, issued_at=issued_at),
        "time_on_task_seconds": time_on_task_seconds,
    }


def _announce(certificate: CECertificate, kind: str) -> None:
    events.ce_certificate_changed.send(
        sender=CECertificate, certificate_id=certificate.pk, code=certificate.code, kind=kind
    )


def _locked(certificate_id: int) -> CECertificate:
    return CECertificate.objects.select_for_update().select_related("holder").get(pk=certificate_id)


def ce_certificate_revoke(
    *, certificate_id: int, by: User, reason: str, note: str = "", now: datetime | None = None
) -> CECertificate:
    """Staff withdraw a CE certificate: verification says "revoked" at once and its PDF is
    deleted (no longer served). Who, when and why are kept on it and in its history."""
    now = now or timezone.now()
    note = note.strip()
    if reason not in Reason.values:
        raise CEStaffError(gettext("Choose a reason for revoking."))
    if reason == Reason.OTHER and not note:
        raise CEStaffError(gettext("Say why in the note when the reason is “Other”."))
    with transaction.atomic():
        certificate = _locked(certificate_id)
        if certificate.revoked_at:
            raise CEStaffError(gettext("This CE certificate is already revoked."))
        old_pdf = certificate.pdf.name if certificate.pdf else None
        certificate.revoked_at, certificate.revoked_by = now, by
        certificate.revocation_reason, certificate.revocation_note = reason, note
        # No PDF is served for a revoked certificate; should it be reinstated, a revision
        # of 0 makes the next download render it anew.
        certificate.pdf, certificate.pdf_revision = "", 0
        certificate.save(update_fields=[
            "revoked_at", "revoked_by", "revocation_reason", "revocation_note", "pdf", "pdf_revision",
        ])
        CECertificateEvent.objects.create(
            certificate=certificate, kind=Kind.REVOKED, at=now, actor=by, detail={"reason": reason, "note": note}
        )
        _announce(certificate, Kind.REVOKED)
        # Its place in the published revocation lists (if a credential was ever downloaded)
        # now reads "revoked": the lists are built afresh once this commits.
        status_lists_changed()
        if old_pdf:
            storage = certificate.pdf.storage
            transaction.on_commit(lambda: storage.delete(old_pdf))
        return certificate


def ce_certificate_reinstate(*, certificate_id: int, by: User, note: str, now: datetime | None = None) -> CECertificate:
    """Staff undo a revocation (one made in error): verification says valid again and the
    PDF is made anew on its next download. The revocation stays in the history, and its
    digital credentials already downloaded stay revoked for other verifiers: the next one
    downloaded gets a new place in the revocation lists."""
    now = now or timezone.now()
    note = note.strip()
    if not note:
        raise CEStaffError(gettext("Say why the CE certificate is reinstated."))
    with transaction.atomic():
        certificate = _locked(certificate_id)
        if certificate.revoked_at is None:
            raise CEStaffError(gettext("This CE certificate is not revoked."))
        certificate.revoked_at, certificate.revoked_by = None, None
        certificate.revocation_reason, certificate.revocation_note = "", ""
        certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "revocation_note"])
        CECertificateEvent.objects.create(certificate=certificate, kind=Kind.REINSTATED, at=now, actor=by, detail={"note": note})
        # A published revocation is final for the credentials that carry it (the standard's
        # "revocation" purpose), as for facilitator certificates: the old place keeps its bit
        # set and the next credential downloaded gets a new place, whose bit is clear.
        status_entries_retire_for(kind=CECertificate.STATUS_KIND, object_id=certificate.pk, now=now)
        _announce(certificate, Kind.REINSTATED)
        return certificate


def ce_certificate_reissue(*, certificate_id: int, by: User, note: str = "", now: datetime | None = None) -> CECertificate:
    """After the holder changed their printed name or their licence: copy the current ones
    onto the certificate, same code, ``revision`` + 1 (a new PDF on the next download), and
    record what changed (old → new). The hours, course and approval stay as issued."""
    now = now or timezone.now()
    with transaction.atomic():
        certificate = _locked(certificate_id)
        if certificate.revoked_at:
            raise CEStaffError(gettext("This CE certificate is revoked: reinstate it before reissuing it."))
        licence = ProfessionalLicence.objects.filter(user_id=certificate.holder_id).first()
        if licence is None:
            raise CEStaffError(gettext("The holder has no professional licence on their profile any more."))
        new = {"holder_name": holder_name(certificate.holder)}
        new.update({field: str(getattr(licence, source)) for field, source in LICENCE_FIELDS})
        changed = {field: value for field, value in new.items() if getattr(certificate, field) != value}
        if not changed:
            raise CEStaffError(gettext(
                "The holder's name and licence are already those on the certificate: there is nothing to reissue."
            ))
        detail = {"from": {f: getattr(certificate, f) for f in changed}, "to": changed}
        if note.strip():
            detail["note"] = note.strip()
        for field, value in changed.items():
            setattr(certificate, field, value)
        certificate.revision += 1
        certificate.save(update_fields=[*changed, "revision"])
        CECertificateEvent.objects.create(certificate=certificate, kind=Kind.REISSUED, at=now, actor=by, detail=detail)
        _announce(certificate, Kind.REISSUED)
        return certificate


def _check_hours(hours: Decimal, *, most_by_time: Decimal, approved: Decimal) -> None:
    try:
        quarters = hours / QUARTER_HOUR
    except (InvalidOperation, TypeError):
        quarters = None
    if quarters is None or not hours.is_finite() or hours <= 0:
        raise CEStaffError(gettext("Enter the hours to credit, more than 0."))
    if quarters % 1:
        raise CEStaffError(gettext("Use quarter hours: for example 1.25, 1.5 or 6."))
    if hours > most_by_time:
        raise CEStaffError(
            gettext("The learner's time on task allows at most %(most)s CE hours: partial credit is never above the time actually spent.")
            % {"most": most_by_time}
        )
    if hours > approved:
        raise CEStaffError(
            gettext("The course carries %(approved)s CE hours under this approval: no more can be credited.")
            % {"approved": approved}
        )


def ce_partial_credit_grant(
    *, learner: User, course: CoursePage, approval: Approval, hours: Decimal, reason: str, by: User,
    now: datetime | None = None,
) -> CECertificate:
    """Staff grant a learner partial CE credit for a course under an approval: never above
    the time actually spent (as CE hours, rounded down to a quarter hour) nor the course's
    approved hours, with a reason, for a learner whose licence is on record. It makes the
    CE certificate (``partial``, ``granted_by``), completed and issued now; one per
    learner, course and approval, however many staff grant at once."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise CEStaffError(gettext("Give the reason for the partial credit: it is kept with the certificate."))
    if not is_source_course(course):
        raise CEStaffError(gettext("Choose the course in its original language: its translations share its CE hours."))
    if not approval.is_current_on(timezone.localdate(now)):
        raise CEStaffError(gettext("This approval is not current today: an approval not in force issues nothing."))
    licence = ProfessionalLicence.objects.filter(user=learner).first()
    if licence is None:
        raise CEStaffError(gettext("The learner has not recorded a professional licence: a CE certificate needs it."))
    with transaction.atomic():
        # The enrolment's lock makes two grants for one learner and course wait for each other.
        enrollment = Enrollment.objects.select_for_update().filter(user=learner, course=course).first()
        if enrollment is None:
            raise CEStaffError(gettext("The learner is not enrolled in this course: there is no time on task to credit."))
        course_approval = CourseApproval.objects.select_related("approval").filter(approval=approval, course=course).first()
        if course_approval is None:
            raise CEStaffError(gettext("This course carries no CE hours under this approval."))
        if CECertificate.objects.filter(holder=learner, course=course, approval=approval).exists():
            raise CEStaffError(gettext("The learner already has a CE certificate for this course under this approval."))
        limit = partial_credit_limit(enrollment=enrollment, course_approval=course_approval)
        _check_hours(hours, most_by_time=limit.by_time_spent, approved=limit.approved_hours)
        figures = certificate_figures(
            user=learner, course=course, approval=approval, licence=licence, hours=hours, completed_at=now,
            issued_at=now, time_on_task_seconds=limit.time_spent_seconds,
        )
        for _ in range(3):  # a code collision (2^-100) is tried again; a second grant is refused
            try:
                with transaction.atomic():
                    certificate = CECertificate.objects.create(
                        code=codes.new_code(), partial=True, partial_reason=reason, granted_by=by, **figures
                    )
                    break
            except IntegrityError:
                if CECertificate.objects.filter(holder=learner, course=course, approval=approval).exists():
                    raise CEStaffError(
                        gettext("The learner already has a CE certificate for this course under this approval.")
                    ) from None
        else:
            raise RuntimeError("Could not allocate a CE certificate code")
        CECertificateEvent.objects.create(
            certificate=certificate, kind=Kind.PARTIAL, at=now, actor=by,
            detail={
                "hours": str(hours), "reason": reason, "time_on_task_seconds": limit.time_spent_seconds,
                "approved_hours": str(limit.approved_hours),
            },
        )
        _announce(certificate, Kind.PARTIAL)
        return certificate
