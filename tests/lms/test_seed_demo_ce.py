"""Continuing education in ``manage.py seed_demo``: the example approval (its provider
number a demo value), the facilitator course's CE hours and evaluation, and the demo
learner's CE certificate, earned with every rule really met and checked on the public
verification page with the code the README names; seeding again changes nothing."""
import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import User
from continuing_education import credit as rules
from continuing_education import demo as ce_demo
from continuing_education.models import (
    Approval, CECertificate, CECertificateEvent, CourseApproval, EvaluationPage, EvaluationResponse,
    EvaluationSubmission, ProfessionalLicence,
)
from continuing_education.selectors import ISSUED, ce_standing
from courses.models import Enrollment, QuizAttempt, QuizPage, StudyHour

from .test_seed_demo import FACILITATOR_SLUG, course, seed_demo, seeded_once, snapshot  # noqa: F401

CODE = "DEM0CEHR2026MFT10001"


def learner() -> User:
    return User.objects.get(email="learner@example.org")


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_once")
class TestDemoCE:
    def test_the_approval_says_it_is_an_example(self):
        approval = Approval.objects.get()
        assert approval.body.name == "Example Board of Addiction Professionals (demo)"
        assert approval.provider_number == "DEMO-0000" and "demo value" in approval.statement
        assert approval.is_current_on(approval.approved_from) and approval.approved_until >= approval.approved_from
        fac = course(FACILITATOR_SLUG)
        hours = CourseApproval.objects.get(approval=approval).hours
        assert CourseApproval.objects.get().course == fac
        assert Decimal("0") < hours <= fac.estimated_hours * approval.ce_hours_per_hour
        # The course's evaluation: the usual questions, published under the course.
        evaluation = EvaluationPage.objects.child_of(fac).live().get()
        assert [q.block_type for q in evaluation.questions] == ["rating"] * 3 + ["yes_no", "text", "text"]

    def test_the_learner_meets_every_rule_as_a_real_learner_would(self):
        holder = learner()
        fac = course(FACILITATOR_SLUG)
        certificate = CECertificate.objects.get(holder=holder)
        approval = certificate.approval
        assert certificate.code == CODE and certificate.display_code == "DEM0-CEHR-2026-MFT1-0001"
        assert (certificate.course, certificate.hours) == (fac, CourseApproval.objects.get().hours)
        assert certificate.provider_number == "DEMO-0000" and certificate.holder_name == "Alex Learner"
        assert certificate.licence_number == ce_demo.LICENCE["licence_number"] and not certificate.partial
        assert list(certificate.events.values_list("kind", flat=True)) == [CECertificateEvent.Kind.ISSUED]
        assert certificate.issued_notified_at and certificate.revoked_at is None
        # Every rule, read again by the same selector the status page uses.
        standing = ce_standing(user=holder, course=fac)
        [under] = standing.approvals
        assert under.status == ISSUED and all(rule.met for rule in under.rules), [r.text for r in under.rules]
        assert under.credit.completed_at == certificate.completed_at <= certificate.issued_at
        # Enrolled first, completed later; time on task from heartbeats, kept per hour.
        enrollment = Enrollment.objects.get(user=holder, course=fac)
        assert enrollment.status == Enrollment.Status.COMPLETED
        assert enrollment.enrolled_at < enrollment.completed_at <= certificate.completed_at
        hours = {h.hour: h.seconds for h in StudyHour.objects.filter(enrollment=enrollment)}
        assert sum(hours.values()) == enrollment.time_spent_seconds == certificate.time_on_task_seconds
        required = rules.required_seconds(certificate.hours, approval.ce_hours_per_hour, approval.time_on_task_percent)
        assert enrollment.time_spent_seconds >= required
        assert max(hours) < enrollment.completed_at and min(hours) > enrollment.enrolled_at
        # Spread over many days, each 24-hour period far below the daily cap.
        assert len({hour.date() for hour in hours}) >= 7
        periods = standing.approvals[0].credit.periods
        assert len(periods) >= 7 and all(p.seconds <= 3 * 3600 for p in periods)
        assert all(p.credited <= approval.daily_cap_hours for p in periods)
        # Every required quiz passed above the approval's passing score; the final's
        # written answer marked by the reviewer.
        required_quizzes = QuizPage.objects.live().descendant_of(fac).filter(required=True)
        for quiz in required_quizzes:
            best = QuizAttempt.objects.filter(user=holder, quiz=quiz, status=QuizAttempt.Status.GRADED).get()
            assert best.passed and best.percent >= approval.passing_score_percent, quiz.title
            assert best.graded_at < certificate.completed_at
        final = QuizAttempt.objects.get(user=holder, quiz__slug="final-assessment")
        assert final.reviewed_by.email == "reviewer@example.org" and final.percent < 100
        # The evaluation sent (anonymously) and the licence recorded.
        submitted = EvaluationSubmission.objects.get(user=holder, course=fac)
        assert enrollment.completed_at < submitted.submitted_at <= certificate.completed_at
        assert EvaluationResponse.objects.filter(course=fac).count() == 1
        assert ProfessionalLicence.objects.get(user=holder).licence_number == "DEMO-LADC-0042"

    def test_anyone_can_check_the_code_and_the_learner_sees_it(self, client, settings, seeded_once):
        settings.MEDIA_ROOT = seeded_once
        page = client.get(reverse("certification:verify", args=[CODE])).content.decode()
        text = " ".join(page.split())
        for expected in ("This continuing education (CE) certificate is genuine.", "Alex Learner",
                         "Meeting Facilitator Training", "DEMO-0000", "Example Board of Addiction Professionals"):
            assert expected in text, expected
        assert "DEMO-LADC-0042" not in page  # never the licence number
        typed = client.get(reverse("certification:lookup"), {"code": "dem0-cehr-2026-mft1-0001"})
        assert typed.url == reverse("certification:verify", args=[CODE])
        data = client.get(reverse("credentials:verify_json", args=[CODE])).json()
        assert data["continuing_education"]["provider_number"] == "DEMO-0000"
        assert data["continuing_education"]["hours"] == 8 and data["status"] == "valid"

        assert client.login(email="learner@example.org", password="demo-learner-pass")
        status = client.get(reverse("continuing_education:status")).content.decode()
        assert "DEM0-CEHR-2026-MFT1-0001" in status
        transcript = client.get(reverse("continuing_education:transcript")).content.decode()
        assert "DEM0-CEHR-2026-MFT1-0001" in transcript and "Meeting Facilitator Training" in transcript
        exported = client.get(reverse("continuing_education:transcript_csv"))
        rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
        assert any(CODE in "".join(row).replace("-", "") for row in rows)
        pdf = client.get(reverse("continuing_education:pdf", args=[CODE]))
        assert pdf.status_code == 200
        printed = " ".join(
            "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages).split()
        )
        assert "DEMO-0000" in printed and "Alex Learner" in printed


@pytest.mark.django_db
def test_an_older_demo_database_gets_its_ce_and_seeding_again_changes_nothing():
    """A database seeded before continuing education (no approval, no evaluation, the
    learner not on the paid course): seeding adds all of it; seeding again adds nothing."""
    seed_demo()
    CECertificateEvent.objects.all().delete()
    CECertificate.objects.all().delete()
    CourseApproval.objects.all().delete()
    Approval.objects.all().delete()
    EvaluationSubmission.objects.all().delete()
    EvaluationResponse.objects.all().delete()
    ProfessionalLicence.objects.all().delete()
    EvaluationPage.objects.all().delete()
    QuizAttempt.objects.filter(user=learner(), quiz__path__startswith=course(FACILITATOR_SLUG).path).delete()
    Enrollment.objects.filter(user=learner(), course=course(FACILITATOR_SLUG)).delete()

    out = seed_demo()
    assert "code DEM0-CEHR-2026-MFT1-0001" in out
    certificate = CECertificate.objects.get(code=CODE)
    assert ce_standing(user=learner(), course=course(FACILITATOR_SLUG)).approvals[0].status == ISSUED
    before = snapshot()
    seed_demo()
    assert snapshot() == before

    # An approval that has since ended is made current again; the certificate stands.
    Approval.objects.update(approved_until=certificate.completed_at.date() + timedelta(days=1))
    Approval.objects.update(approved_from=certificate.completed_at.date() - timedelta(days=400))
    seed_demo()
    approval = Approval.objects.get()
    assert approval.approved_until > certificate.completed_at.date() + timedelta(days=1)
    assert CECertificate.objects.get().issued_at == certificate.issued_at
