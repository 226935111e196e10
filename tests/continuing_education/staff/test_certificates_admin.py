"""CE certificates in the admin: the listing and its filters, the inspect page with the full
history, revoke / reinstate / reissue through their pages, and the attacks: who must not
get in, and a refused or forged POST changes nothing."""
import re
from datetime import datetime, timezone as dt_timezone

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from wagtail.users.models import UserProfile

from continuing_education.models import CECertificate, CECertificateEvent
from tests.factories import UserFactory, build_course

from .conftest import grant, issue, licensed_learner

pytestmark = pytest.mark.django_db
Kind = CECertificateEvent.Kind
INDEX = reverse("ce_certificates:index")


def inspect_url(c):
    return reverse("ce_certificates:inspect", args=[c.pk])


def action_url(name, c):
    return reverse(f"ce_certificates:{name}", args=[c.pk])


REVOKE_POST = {"reason": "requirements", "note": "Quiz answers were shared.", "confirm": "on"}


def state(certificate):
    fresh = CECertificate.objects.get(pk=certificate.pk)
    return {f.name: getattr(fresh, f.name) for f in CECertificate._meta.concrete_fields}, fresh.events.count()


@pytest.fixture
def certificate(learner, course, approval):
    return issue(learner, course, approval, completed_at=datetime(2026, 11, 30, 23, 30, tzinfo=dt_timezone.utc))


# --- attacks ---------------------------------------------------------------------------------


def test_anonymous_visitors_and_learners_get_nothing_and_change_nothing(client, certificate, learner, course, approval):
    before = state(certificate)
    pages = [INDEX, inspect_url(certificate), reverse("ce_admin:report"), reverse("ce_admin:partial")] + [
        action_url(name, certificate) for name in ("revoke", "reinstate", "reissue")
    ]
    for who in (None, UserFactory(), learner):
        if who:
            client.force_login(who)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 302 and certificate.display_code.encode() not in response.content, url
        client.post(action_url("revoke", certificate), REVOKE_POST)
        client.post(action_url("reissue", certificate), {"confirm": "on"})
        client.post(reverse("ce_admin:partial"), {"email": learner.email, "course": course.pk, "approval": approval.pk, "hours": "1", "reason": "r"})
    assert state(certificate) == before and CECertificate.objects.count() == 1


def test_staff_who_may_only_look_cannot_act_403_and_nothing_changes(client, certificate, viewer, learner, course, approval):
    learner.certificate_name = "Another Name"
    learner.save()
    before = state(certificate)
    client.force_login(viewer)
    listing = client.get(INDEX).content.decode()
    assert certificate.display_code in listing and action_url("revoke", certificate) not in listing
    page = client.get(inspect_url(certificate)).content.decode()
    assert action_url("revoke", certificate) not in page and action_url("reissue", certificate) not in page
    assert client.get(reverse("ce_admin:report")).status_code == 200  # looking at figures is allowed
    for name, post in (("revoke", REVOKE_POST), ("reissue", {"confirm": "on"}), ("reinstate", {"note": "x", "confirm": "on"})):
        refused = client.post(action_url(name, certificate), post)
        assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home"), name
        # Asked for by a script (as the admin's own requests are), the refusal is a plain 403.
        assert client.post(action_url(name, certificate), post, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403
    partial = {"email": learner.email, "course": course.pk, "approval": approval.pk, "hours": "1", "reason": "r"}
    assert client.post(reverse("ce_admin:partial"), partial, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403
    assert state(certificate) == before and CECertificate.objects.count() == 1


def test_admin_access_alone_shows_no_ce_certificates(client, certificate):
    client.force_login(grant(UserFactory(), "wagtailadmin.access_admin"))
    for url in (INDEX, inspect_url(certificate), reverse("ce_admin:report")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_nobody_edits_or_deletes_ce_certificates_in_the_admin(client, certificate, ce_staff):
    before = state(certificate)
    for user in (ce_staff, UserFactory(is_staff=True, is_superuser=True)):
        client.force_login(user)
        for name in ("edit", "delete"):
            url = reverse(f"ce_certificates:{name}", args=[certificate.pk])
            assert client.get(url).status_code == 302
            client.post(url, {"hours": "60", "holder_name": "Someone Else"})
        assert client.get(reverse("ce_certificates:add")).status_code == 302
    assert state(certificate) == before


def test_revoke_needs_the_csrf_token(certificate, ce_staff):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ce_staff)
    before = state(certificate)
    assert browser.post(action_url("revoke", certificate), REVOKE_POST).status_code == 403
    assert state(certificate) == before
    form = browser.get(action_url("revoke", certificate)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert browser.post(action_url("revoke", certificate), {**REVOKE_POST, "csrfmiddlewaretoken": token}).status_code == 302
    assert CECertificate.objects.get(pk=certificate.pk).revoked_at is not None


# --- the listing and its filters ---------------------------------------------------------------


def test_the_listing_filters_by_body_approval_period_course_and_revoked(client, ce_staff, certificate, course, approval, body, catalogue):
    from continuing_education.models import AccreditingBody, Approval, CourseApproval

    other_body = AccreditingBody.objects.create(name="Canadian Addiction Counsellors Certification Federation", short_name="CACCF")
    other_approval = Approval.objects.create(
        body=other_body, provider_number="CA-9", statement="s", approved_from=approval.approved_from, approved_until=approval.approved_until,
    )
    other_course = build_course(title="Online Meetings", modules=1, lessons_per_module=1)
    CourseApproval.objects.create(approval=other_approval, course=other_course, hours=1)
    someone = licensed_learner(other_course, certificate_name="Ravi Patel", email="ravi@example.org")
    second = issue(someone, other_course, other_approval, hours=1, completed_at=datetime(2026, 12, 15, 12, tzinfo=dt_timezone.utc))
    from continuing_education.services import staff as services

    services.ce_certificate_revoke(certificate_id=second.pk, by=ce_staff, reason="holder")

    client.force_login(ce_staff)

    def codes(**query):
        page = client.get(INDEX, query).content.decode()
        return {c.display_code for c in (certificate, second) if c.display_code in page}

    assert codes() == {certificate.display_code, second.display_code}
    assert codes(body=body.pk) == {certificate.display_code}
    assert codes(approval=other_approval.pk) == {second.display_code}
    assert codes(course=other_course.pk) == {second.display_code}
    assert codes(revoked="yes") == {second.display_code}
    assert codes(revoked="no") == {certificate.display_code}
    assert codes(completed_at_from="2026-12-01", completed_at_to="2026-12-31") == {second.display_code}
    assert codes(q="ravi@example") == {second.display_code}
    assert codes(q=certificate.code.lower()) == {certificate.display_code}
    # Days are the staff member's: 30 November 23:30 UTC is 1 December in Madrid.
    profile = UserProfile.get_for_user(ce_staff)
    profile.current_time_zone = "Europe/Madrid"
    profile.save()
    assert codes(completed_at_from="2026-12-01", completed_at_to="2026-12-31") == {certificate.display_code, second.display_code}


def test_the_listings_queries_do_not_grow_with_its_rows(client, ce_staff, certificate, course, approval, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(ce_staff)
    client.get(INDEX)
    with CaptureQueriesContext(connection) as one:
        client.get(INDEX)
    for i in range(5):
        issue(licensed_learner(course, email=f"more{i}@example.org"), course, approval)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(INDEX)


# --- inspect, revoke, reinstate, reissue through the pages -----------------------------------------


def test_revoke_reinstate_and_reissue_through_the_admin_with_the_history(client, certificate, ce_staff, learner):
    client.force_login(ce_staff)
    page = client.get(inspect_url(certificate)).content.decode()
    assert escape(certificate.holder_name) in page and "LCDC-0042" in page and "Issued for 6 CE hours" in page
    assert action_url("revoke", certificate) in page and action_url("reissue", certificate) in page

    # Bad input: a message per field, nothing changes.
    before = state(certificate)
    response = client.post(action_url("revoke", certificate), {"reason": "", "note": ""})
    assert "Choose a reason for revoking." in response.content.decode()
    assert "Tick the box to confirm" in response.content.decode()
    response = client.post(action_url("revoke", certificate), {"reason": "other", "note": " ", "confirm": "on"})
    assert escape("Say why in the note when the reason is “Other”.") in response.content.decode()
    assert client.post(action_url("revoke", certificate), {"reason": "made-up", "confirm": "on"}).status_code == 200
    assert state(certificate) == before

    response = client.post(action_url("revoke", certificate), REVOKE_POST)
    assert response.status_code == 302 and response["Location"] == inspect_url(certificate)
    page = client.get(inspect_url(certificate)).content.decode()
    assert "Reason: Requirements found not to be met. Note: Quiz answers were shared." in page
    assert "sam.staff@example.org" in page and action_url("reinstate", certificate) in page
    again = client.post(action_url("revoke", certificate), REVOKE_POST).content.decode()
    assert "This CE certificate was revoked on" in again
    reissue = client.get(action_url("reissue", certificate)).content.decode()
    assert "reinstate it before reissuing it" in reissue

    assert "Say why the CE certificate is reinstated." in client.post(action_url("reinstate", certificate), {"note": " ", "confirm": "on"}).content.decode()
    assert client.post(action_url("reinstate", certificate), {"note": "Checked again: fine.", "confirm": "on"}).status_code == 302

    learner.certificate_name = "Zoë Núñez"
    learner.save()
    form = client.get(action_url("reissue", certificate)).content.decode()
    assert escape("Zoë Núñez") in form and "(changed)" in form
    assert client.post(action_url("reissue", certificate), {"note": "Married name.", "confirm": "on"}).status_code == 302
    fresh = CECertificate.objects.get(pk=certificate.pk)
    assert fresh.holder_name == "Zoë Núñez" and fresh.revision == 2 and fresh.status() == "valid"
    page = client.get(inspect_url(certificate)).content.decode()
    assert escape("name “Zoë Ñúñez-O'Brien” → “Zoë Núñez”. Note: Married name.") in page
    kinds = list(fresh.events.values_list("kind", flat=True))
    assert kinds == [Kind.ISSUED, Kind.REVOKED, Kind.REINSTATED, Kind.REISSUED]
    # Nothing left to reissue: said, and nothing changes.
    response = client.post(action_url("reissue", certificate), {"confirm": "on"})
    assert "there is nothing to reissue" in response.content.decode()
    assert CECertificate.objects.get(pk=certificate.pk).revision == 2


def test_the_inspect_page_and_history_read_in_the_staff_members_language_and_zone(client, certificate, ce_staff):
    profile = UserProfile.get_for_user(ce_staff)
    profile.preferred_language, profile.current_time_zone = "es", "America/Mexico_City"
    profile.save()
    client.force_login(ce_staff)
    page = client.get(inspect_url(certificate)).content.decode()
    assert "30 de noviembre de 2026, 17:30 CST" in page  # 23:30 UTC
    assert "Historial" in page and "Horas de EC" in page
