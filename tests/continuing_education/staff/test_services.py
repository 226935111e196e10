"""Staff actions on CE certificates (services/staff.py): revoke, reinstate, reissue and
partial credit, each with its history, its signal and its refusals that change nothing."""
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from continuing_education import events
from continuing_education.models import CECertificate, CECertificateEvent, CourseApproval, ProfessionalLicence
from continuing_education.selectors.credit import hours_for_time_spent, quarter_hours_down
from continuing_education.services import staff
from continuing_education.services.staff import CEStaffError
from courses.models import Enrollment
from tests.courses.translated import translate
from tests.factories import UserFactory

from .conftest import HOUR, issue

pytestmark = pytest.mark.django_db
Kind = CECertificateEvent.Kind


@pytest.fixture
def signals():
    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs)

    events.ce_certificate_changed.connect(listen)
    yield heard
    events.ce_certificate_changed.disconnect(listen)


def snapshot(certificate):
    fresh = CECertificate.objects.get(pk=certificate.pk)
    return {f.name: getattr(fresh, f.name) for f in CECertificate._meta.concrete_fields}, fresh.events.count()


# --- quarter hours ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "seconds, ratio, hours",
    [(0, "1", "0"), (899, "1", "0"), (900, "1", "0.25"), (10_199, "1", "2.75"), (10_200, "1", "2.75"),
     (10_800, "1", "3"), (3600, "0.5", "0.5"), (3000, "1.5", "1.25"), (7199, "2", "3.75")],
)
def test_time_on_task_as_ce_hours_is_rounded_down_to_a_quarter_hour(seconds, ratio, hours):
    assert hours_for_time_spent(seconds=seconds, ce_hours_per_hour=Decimal(ratio)) == Decimal(hours)
    assert quarter_hours_down(Decimal("-1")) == 0


# --- partial credit --------------------------------------------------------------------------


def test_partial_credit_copies_the_figures_as_granted(learner, course, approval, ce_staff, signals):
    now = timezone.now()
    certificate = staff.ce_partial_credit_grant(
        learner=learner, course=course, approval=approval, hours=Decimal("2.75"), reason=" Family emergency. ", by=ce_staff,
        now=now,
    )
    assert certificate.partial and certificate.granted_by == ce_staff and certificate.partial_reason == "Family emergency."
    assert certificate.hours == Decimal("2.75") and certificate.time_on_task_seconds == 2 * HOUR + 50 * 60
    assert certificate.course_title == "Meeting Facilitator Training"
    assert (certificate.body_name, certificate.provider_number) == (approval.body.name, "DEMO-123")
    assert certificate.statement == approval.statement
    assert certificate.holder_name == "Zoë Ñúñez-O'Brien"
    assert (certificate.profession, certificate.issuing_board, certificate.licence_region, certificate.licence_number) == (
        "Addiction or substance use counsellor", "Ohio Chemical Dependency Professionals Board", "Ohio", "LCDC-0042",
    )
    assert certificate.completed_at == now == certificate.issued_at
    assert certificate.retain_until == timezone.localdate(now).replace(year=timezone.localdate(now).year + 5)
    assert len(certificate.code) == 20 and certificate.revision == 1
    event = certificate.events.get()
    assert event.kind == Kind.PARTIAL and event.actor == ce_staff
    assert event.detail == {"hours": "2.75", "reason": "Family emergency.", "time_on_task_seconds": 10_200, "approved_hours": "6.00"}
    assert signals == [{"certificate_id": certificate.pk, "code": certificate.code, "kind": Kind.PARTIAL, "signal": events.ce_certificate_changed}]


@pytest.mark.parametrize(
    "hours, message",
    [
        ("3", "at most 2.75 CE hours"),  # 2 h 50 min on task: 2.75, never 3
        ("2.6", "quarter hours"),
        ("0", "more than 0"),
        ("-1", "more than 0"),
        ("NaN", "more than 0"),
        ("Infinity", "more than 0"),
    ],
)
def test_partial_credit_above_the_time_spent_or_not_in_quarter_hours_is_refused(learner, course, approval, ce_staff, hours, message):
    with pytest.raises(CEStaffError, match=message):
        staff.ce_partial_credit_grant(learner=learner, course=course, approval=approval, hours=Decimal(hours), reason="r", by=ce_staff)
    assert not CECertificate.objects.exists()


def test_partial_credit_is_never_above_the_courses_approved_hours(learner, course, approval, ce_staff):
    Enrollment.objects.filter(user=learner).update(time_spent_seconds=20 * HOUR)
    CourseApproval.objects.filter(approval=approval).update(hours=Decimal("4"))
    with pytest.raises(CEStaffError, match="carries 4.00 CE hours"):
        staff.ce_partial_credit_grant(learner=learner, course=course, approval=approval, hours=Decimal("4.25"), reason="r", by=ce_staff)
    assert staff.ce_partial_credit_grant(learner=learner, course=course, approval=approval, hours=Decimal("4"), reason="r", by=ce_staff).hours == 4


def test_partial_credit_needs_a_reason_a_licence_an_enrolment_an_approved_course_and_a_current_approval(
    learner, course, approval, ce_staff, catalogue
):
    grant = dict(learner=learner, course=course, approval=approval, hours=Decimal("1"), by=ce_staff)
    with pytest.raises(CEStaffError, match="reason"):
        staff.ce_partial_credit_grant(**grant, reason="   ")
    stranger = UserFactory()
    with pytest.raises(CEStaffError, match="licence"):
        staff.ce_partial_credit_grant(**{**grant, "learner": stranger}, reason="r")
    ProfessionalLicence.objects.create(user=stranger, profession="nurse", issuing_board="B", region="R", licence_number="N")
    with pytest.raises(CEStaffError, match="not enrolled"):
        staff.ce_partial_credit_grant(**{**grant, "learner": stranger}, reason="r")
    CourseApproval.objects.filter(approval=approval).delete()
    with pytest.raises(CEStaffError, match="no CE hours under this approval"):
        staff.ce_partial_credit_grant(**grant, reason="r")
    CourseApproval.objects.create(approval=approval, course=course, hours=6)
    approval.approved_until = timezone.localdate() - timezone.timedelta(days=1)
    approval.approved_from = approval.approved_until - timezone.timedelta(days=30)
    approval.save()
    with pytest.raises(CEStaffError, match="not current"):
        staff.ce_partial_credit_grant(**grant, reason="r")
    assert not CECertificate.objects.exists()


def test_partial_credit_for_a_translation_is_refused(learner, course, approval, ce_staff):
    spanish_course = translate(course)
    with pytest.raises(CEStaffError, match="original language"):
        staff.ce_partial_credit_grant(
            learner=learner, course=spanish_course, approval=approval, hours=Decimal("1"), reason="r", by=ce_staff
        )
    assert not CECertificate.objects.exists()


def test_a_second_grant_or_a_grant_beside_an_issued_certificate_is_refused(learner, course, approval, ce_staff, partial_certificate):
    before = snapshot(partial_certificate)
    with pytest.raises(CEStaffError, match="already has a CE certificate"):
        staff.ce_partial_credit_grant(learner=learner, course=course, approval=approval, hours=Decimal("1"), reason="r", by=ce_staff)
    assert snapshot(partial_certificate) == before and CECertificate.objects.count() == 1


# --- revoke and reinstate --------------------------------------------------------------------


def test_revoke_then_reinstate_keep_the_whole_history(learner, course, approval, ce_staff, signals):
    certificate = issue(learner, course, approval)
    certificate.pdf.save("ce.pdf", ContentFile(b"%PDF"), save=False)
    CECertificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name, pdf_revision=1)
    storage, pdf_name = certificate.pdf.storage, certificate.pdf.name

    with pytest.raises(CEStaffError, match="reason"):
        staff.ce_certificate_revoke(certificate_id=certificate.pk, by=ce_staff, reason="made-up")
    with pytest.raises(CEStaffError, match="Other"):
        staff.ce_certificate_revoke(certificate_id=certificate.pk, by=ce_staff, reason="other", note=" ")
    with pytest.raises(CEStaffError, match="not revoked"):
        staff.ce_certificate_reinstate(certificate_id=certificate.pk, by=ce_staff, note="why")
    assert signals == []

    revoked = staff.ce_certificate_revoke(certificate_id=certificate.pk, by=ce_staff, reason="error", note="Wrong learner.")
    assert revoked.status() == "revoked" and revoked.revoked_by == ce_staff and revoked.revocation_note == "Wrong learner."
    assert not revoked.pdf and revoked.pdf_revision == 0
    with pytest.raises(CEStaffError, match="already revoked"):
        staff.ce_certificate_revoke(certificate_id=certificate.pk, by=ce_staff, reason="error")
    with pytest.raises(CEStaffError, match="Say why"):
        staff.ce_certificate_reinstate(certificate_id=certificate.pk, by=ce_staff, note="  ")

    reinstated = staff.ce_certificate_reinstate(certificate_id=certificate.pk, by=ce_staff, note="Revoked in error.")
    assert reinstated.status() == "valid" and reinstated.revocation_reason == "" and reinstated.revoked_by is None
    assert reinstated.pdf_revision < reinstated.revision  # the next download renders it anew
    kinds = list(reinstated.events.values_list("kind", "actor", "detail"))
    assert kinds == [
        ("issued", None, {"hours": "6"}),
        ("revoked", ce_staff.pk, {"reason": "error", "note": "Wrong learner."}),
        ("reinstated", ce_staff.pk, {"note": "Revoked in error."}),
    ]
    assert [s["kind"] for s in signals] == [Kind.REVOKED, Kind.REINSTATED]
    assert storage.exists(pdf_name)  # deleted only once the revocation commits (not in this test's transaction)


def test_the_revoked_pdf_is_deleted_once_the_revocation_commits(learner, course, approval, ce_staff, django_capture_on_commit_callbacks):
    certificate = issue(learner, course, approval)
    certificate.pdf.save("ce.pdf", ContentFile(b"%PDF"))
    storage, name = certificate.pdf.storage, certificate.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        staff.ce_certificate_revoke(certificate_id=certificate.pk, by=ce_staff, reason="holder")
    assert not storage.exists(name)


# --- reissue ---------------------------------------------------------------------------------


def test_reissue_copies_the_current_name_and_licence_and_records_old_and_new(learner, course, approval, ce_staff, signals):
    certificate = issue(learner, course, approval)
    with pytest.raises(CEStaffError, match="nothing to reissue"):
        staff.ce_certificate_reissue(certificate_id=certificate.pk, by=ce_staff)
    learner.certificate_name = "Zoë Núñez"
    learner.save()
    ProfessionalLicence.objects.filter(user=learner).update(licence_number="LCDC-0043", region="Ohio")

    reissued = staff.ce_certificate_reissue(certificate_id=certificate.pk, by=ce_staff, note="Married name.")
    assert (reissued.holder_name, reissued.licence_number, reissued.revision) == ("Zoë Núñez", "LCDC-0043", 2)
    assert reissued.code == certificate.code and reissued.hours == certificate.hours  # the rest as issued
    assert reissued.pdf_revision < reissued.revision  # rendered anew on the next download, not here
    event = reissued.events.get(kind=Kind.REISSUED)
    assert event.actor == ce_staff
    assert event.detail == {
        "from": {"holder_name": "Zoë Ñúñez-O'Brien", "licence_number": "LCDC-0042"},
        "to": {"holder_name": "Zoë Núñez", "licence_number": "LCDC-0043"},
        "note": "Married name.",
    }
    assert [s["kind"] for s in signals] == [Kind.REISSUED]


def test_reissue_is_refused_for_a_revoked_certificate_or_a_holder_without_a_licence(learner, course, approval, ce_staff):
    certificate = issue(learner, course, approval)
    learner.certificate_name = "New Name"
    learner.save()
    ProfessionalLicence.objects.filter(user=learner).delete()
    with pytest.raises(CEStaffError, match="no professional licence"):
        staff.ce_certificate_reissue(certificate_id=certificate.pk, by=ce_staff)
    staff.ce_certificate_revoke(certificate_id=certificate.pk, by=ce_staff, reason="holder")
    before = snapshot(certificate)
    with pytest.raises(CEStaffError, match="reinstate it"):
        staff.ce_certificate_reissue(certificate_id=certificate.pk, by=ce_staff)
    assert snapshot(certificate) == before


def test_editing_an_approval_or_a_courses_hours_never_changes_issued_certificates(learner, course, approval, ce_staff):
    certificate = issue(learner, course, approval)
    before = snapshot(certificate)
    CourseApproval.objects.filter(approval=approval).update(hours=Decimal("3"))
    approval.provider_number, approval.statement = "NEW-1", "A new statement."
    approval.body.name = "Renamed body"
    approval.body.save()
    approval.save()
    assert snapshot(certificate) == before
