"""Granting partial credit in the admin (forged POSTs refused, two staff at once give one
certificate) and the report of CE certificates per body and period, with its CSV."""
import csv
import io
from datetime import datetime, timezone as dt_timezone
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape
from wagtail.users.models import UserProfile

from continuing_education.models import CECertificate, ProfessionalLicence
from continuing_education.services import staff as services
from tests.concurrency import run_together
from tests.factories import UserFactory

from .conftest import issue, licensed_learner

PARTIAL = reverse("ce_admin:partial")
REPORT = reverse("ce_admin:report")


def grant_post(learner, course, approval, hours="2.5", reason="Left after a family emergency."):
    return {"email": learner.email, "course": course.pk, "approval": approval.pk, "hours": hours, "reason": reason}


@pytest.mark.django_db
def test_staff_see_the_limit_then_grant_partial_credit(client, ce_staff, learner, course, approval):
    client.force_login(ce_staff)
    page = client.get(PARTIAL, {"email": learner.email}).content.decode()
    assert "2 h 50 min" in page and "2.75" in page  # time on task, and as CE hours rounded down
    response = client.post(PARTIAL, grant_post(learner, course, approval, hours="2.75"))
    certificate = CECertificate.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ce_certificates:inspect", args=[certificate.pk])
    assert certificate.partial and certificate.hours == Decimal("2.75") and certificate.granted_by == ce_staff
    page = client.get(response["Location"]).content.decode()
    assert "2.75 CE hours granted. Reason: Left after a family emergency." in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, message",
    [
        ({"hours": "3"}, "at most 2.75 CE hours"),
        ({"hours": "500"}, "at most 2.75 CE hours"),
        ({"hours": "1.1"}, "Use quarter hours"),
        ({"hours": "-2"}, "Enter the hours to credit, more than 0."),
        ({"hours": "abc"}, "Enter a number of hours"),
        ({"reason": "   "}, "Give the reason for the partial credit"),
        ({"email": "nobody@example.org"}, "No learner has this email address."),
        ({"course": "999999"}, "Choose one of the courses listed."),
        ({"approval": "999999"}, "Choose one of the approvals listed."),
    ],
)
def test_forged_or_bad_grants_are_refused_and_change_nothing(client, ce_staff, learner, course, approval, change, message):
    client.force_login(ce_staff)
    response = client.post(PARTIAL, {**grant_post(learner, course, approval), **change})
    assert response.status_code == 200 and escape(message) in response.content.decode()
    assert not CECertificate.objects.exists()


@pytest.mark.django_db
def test_a_learner_without_a_licence_is_refused(client, ce_staff, learner, course, approval):
    ProfessionalLicence.objects.filter(user=learner).delete()
    client.force_login(ce_staff)
    assert "has not recorded a professional licence" in client.get(PARTIAL, {"email": learner.email}).content.decode()
    response = client.post(PARTIAL, grant_post(learner, course, approval))
    assert "has not recorded a professional licence" in response.content.decode()
    assert not CECertificate.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_staff_granting_at_once_make_one_certificate(learner, course, approval, ce_staff):
    other = UserFactory(email="other.staff@example.org")
    other.groups.add(*ce_staff.groups.all())
    by = [ce_staff, other, ce_staff, other]
    results, errors = run_together(4, lambda i: services.ce_partial_credit_grant(
        learner=learner, course=course, approval=approval, hours=Decimal("2"), reason=f"Grant {i}", by=by[i],
    ))
    assert len(results) == 1 and CECertificate.objects.count() == 1
    assert len(errors) == 3 and all(isinstance(e, services.CEStaffError) and "already has" in e.message for e in errors)
    assert CECertificate.objects.get().events.count() == 1


# --- the report --------------------------------------------------------------------------------


@pytest.fixture
def issued(learner, course, approval, ce_staff):
    """November: two certificates (one partial); December: one valid, one revoked."""
    rows = [
        issue(learner, course, approval, completed_at=datetime(2026, 11, 3, 10, tzinfo=dt_timezone.utc)),
        issue(licensed_learner(course, email="b@example.org"), course, approval, hours=Decimal("5.5"),
              completed_at=datetime(2026, 11, 30, 23, 30, tzinfo=dt_timezone.utc)),
        issue(licensed_learner(course, email="c@example.org"), course, approval, completed_at=datetime(2026, 12, 10, tzinfo=dt_timezone.utc)),
        issue(licensed_learner(course, email="d@example.org"), course, approval, completed_at=datetime(2026, 12, 11, tzinfo=dt_timezone.utc)),
    ]
    CECertificate.objects.filter(pk=rows[1].pk).update(partial=True, partial_reason="r", granted_by=ce_staff)
    services.ce_certificate_revoke(certificate_id=rows[3].pk, by=ce_staff, reason="error")
    return rows


@pytest.mark.django_db
def test_the_report_counts_certificates_and_hours_per_approval_and_month(client, ce_staff, issued):
    client.force_login(ce_staff)
    page = client.get(REPORT).content.decode()
    assert "DEMO-123" in page and "November 2026" in page and "December 2026" in page
    response = client.get(REPORT, {"export": "csv"})
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:7] == ["Month", "Accrediting body", "Provider number", "Approved from", "Approved until", "CE certificates", "CE hours"]
    body = "National Association for Addiction Professionals"
    assert [r[:3] + r[5:] for r in rows[1:]] == [
        ["2026-12", body, "DEMO-123", "1", "6", "0", "1"],
        ["2026-11", body, "DEMO-123", "2", "11.5", "1", "0"],
    ]
    # A chosen range, in the staff member's zone: in Madrid, 30 November 23:30 UTC is December.
    profile = UserProfile.get_for_user(ce_staff)
    profile.current_time_zone = "Europe/Madrid"
    profile.save()
    response = client.get(REPORT, {"export": "csv", "date_from": "2026-12-01", "date_to": "2026-12-31"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r[0] + " " + r[5] + " " + r[6] for r in rows[1:]] == ["2026-12 2 11.5"]


@pytest.mark.django_db
def test_the_report_refuses_a_period_ending_before_it_starts_and_shows_no_figures(client, ce_staff, issued):
    client.force_login(ce_staff)
    page = client.get(REPORT, {"date_from": "2026-12-31", "date_to": "2026-12-01"}).content.decode()
    assert "The end of the period cannot be before its start." in page and "ce-report-row" not in page
    assert client.get(REPORT, {"date_from": "2026-12-31", "date_to": "2026-12-01", "export": "csv"})["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_the_report_costs_the_same_queries_whatever_the_certificates(client, ce_staff, issued, course, approval, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(ce_staff)
    client.get(REPORT)
    with CaptureQueriesContext(connection) as before:
        client.get(REPORT)
    for i in range(6):
        issue(licensed_learner(course, email=f"e{i}@example.org"), course, approval)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(REPORT)
