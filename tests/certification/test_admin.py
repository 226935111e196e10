"""The staff side in the Wagtail admin: certificates (list, inspect, revoke), practical
sign-offs, programmes and codes of conduct as snippets. Attacks first: who must not get in,
and a refused POST changes nothing."""
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils.html import escape
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification.admin.forms import PracticalSignoffForm
from certification.models import Certificate, CertificateEvent, ConductAcceptance, PracticalItem, PracticalSignoff
from kernel.when import day_text
from tests.factories import UserFactory

from .conftest import complete_course

pytestmark = pytest.mark.django_db

STAFF_GROUP = "Certification staff"


def index_url():
    return reverse("certificate_admin:index")


def inspect_url(certificate):
    return reverse("certificate_admin:inspect", args=[certificate.pk])


def revoke_url(certificate):
    return reverse("certificate_admin:revoke", args=[certificate.pk])


def reinstate_url(certificate):
    return reverse("certificate_admin:reinstate", args=[certificate.pk])


def signoff_url():
    return reverse("certification_signoffs:index")


def grant(user, *perms):
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


@pytest.fixture
def staff(db):
    user = UserFactory(email="sam.staff@example.org", certificate_name="Sam Staff")
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


@pytest.fixture
def viewer(db):
    """Admin access and the right to look at certificates, nothing more."""
    return grant(UserFactory(email="vic.viewer@example.org"), "wagtailadmin.access_admin", "certification.view_certificate")


@pytest.fixture
def certificate(learner, programme, course, code_of_conduct, django_capture_on_commit_callbacks):
    ConductAcceptance.objects.create(user=learner, code=code_of_conduct)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, course)  # completion → evaluation → issue → PDF → email
    certificate = Certificate.objects.get(holder=learner)
    assert certificate.pdf
    return certificate


REVOKE_POST = {"reason": "conduct", "note": "Breach reported and upheld.", "confirm": "on"}


def assert_untouched(certificate):
    fresh = Certificate.objects.get(pk=certificate.pk)
    assert fresh.revoked_at is None and fresh.revoked_by is None and fresh.revocation_reason == ""
    assert fresh.pdf.name == certificate.pdf.name
    assert not fresh.events.filter(kind=CertificateEvent.Kind.REVOKED).exists()


# --- the groups from the data migration --------------------------------------------------------


def test_certification_staff_group_has_its_permissions(staff):
    for perm in (
        "wagtailadmin.access_admin", "certification.revoke_certificate", "certification.signoff_practical",
        "certification.view_certificate", "certification.add_programme", "certification.change_programme",
        "certification.add_codeofconduct", "certification.change_codeofconduct",
    ):
        assert staff.has_perm(perm), perm


def test_course_publishers_edit_programmes_but_cannot_revoke_or_sign_off():
    publisher = UserFactory()
    publisher.groups.add(Group.objects.get(name="Course publishers"))
    for perm in ("add", "change", "view"):
        assert publisher.has_perm(f"certification.{perm}_programme")
        assert publisher.has_perm(f"certification.{perm}_codeofconduct")
    assert not publisher.has_perm("certification.revoke_certificate")
    assert not publisher.has_perm("certification.signoff_practical")


# --- attacks ---------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in_and_change_nothing(client, certificate, learner, programme):
    item = PracticalItem.objects.create(programme=programme, label="Observed role-play")
    for url in (index_url(), inspect_url(certificate), revoke_url(certificate), signoff_url()):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    assert client.post(revoke_url(certificate), REVOKE_POST).status_code == 302
    response = client.post(signoff_url(), {"email": learner.email, "item": item.pk, "count": 1, "done_on": "2026-01-05"})
    assert response.status_code == 302
    assert_untouched(certificate)
    assert not PracticalSignoff.objects.exists()


def test_learners_get_no_admin_and_change_nothing(client, certificate, learner, programme):
    item = PracticalItem.objects.create(programme=programme, label="Observed role-play")
    other = UserFactory()
    client.force_login(other)
    for url in (index_url(), inspect_url(certificate), revoke_url(certificate), signoff_url()):
        response = client.get(url)
        assert response.status_code == 302, url
        assert certificate.display_code.encode() not in response.content
    client.post(revoke_url(certificate), REVOKE_POST)
    client.post(signoff_url(), {"email": learner.email, "item": item.pk, "count": 5, "done_on": "2026-01-05"})
    assert_untouched(certificate)
    assert not PracticalSignoff.objects.exists()
    # The holder is no better placed to revoke or sign off for themselves.
    client.force_login(learner)
    client.post(revoke_url(certificate), REVOKE_POST)
    client.post(signoff_url(), {"email": learner.email, "item": item.pk, "count": 5, "done_on": "2026-01-05"})
    assert_untouched(certificate)
    assert not PracticalSignoff.objects.exists()


def test_staff_without_the_permissions_can_look_but_not_revoke_or_sign_off(client, certificate, learner, programme, viewer):
    item = PracticalItem.objects.create(programme=programme, label="Observed role-play")
    client.force_login(viewer)
    listing = client.get(index_url())
    assert listing.status_code == 200 and certificate.display_code in listing.content.decode()
    page = client.get(inspect_url(certificate))
    assert page.status_code == 200
    assert revoke_url(certificate) not in page.content.decode()
    assert revoke_url(certificate) not in listing.content.decode()

    refused = client.get(revoke_url(certificate))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    assert client.post(revoke_url(certificate), REVOKE_POST).status_code == 302
    assert_untouched(certificate)

    assert client.get(signoff_url()).status_code == 302
    client.post(signoff_url(), {"email": learner.email, "item": item.pk, "count": 1, "done_on": "2026-01-05"})
    assert not PracticalSignoff.objects.exists()


def test_admin_access_alone_does_not_show_certificates(client, certificate):
    client.force_login(grant(UserFactory(), "wagtailadmin.access_admin"))
    for url in (index_url(), inspect_url(certificate)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_nobody_edits_or_deletes_certificates_in_the_admin(client, certificate, staff):
    """Certificates change only through the services: not even a superuser edits rows."""
    superuser = UserFactory(is_staff=True, is_superuser=True)
    for user in (staff, superuser):
        client.force_login(user)
        for name in ("edit", "delete"):
            url = reverse(f"certificate_admin:{name}", args=[certificate.pk])
            assert client.get(url).status_code == 302
            client.post(url, {"holder_name": "Someone Else"})
        assert client.get(reverse("certificate_admin:add")).status_code == 302
        assert reverse("certificate_admin:edit", args=[certificate.pk]) not in client.get(inspect_url(certificate)).content.decode()
    assert Certificate.objects.get(pk=certificate.pk).holder_name == certificate.holder_name


def test_revoke_needs_the_csrf_token(certificate, staff):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    assert browser.post(revoke_url(certificate), REVOKE_POST).status_code == 403
    assert_untouched(certificate)
    # The same POST with the token from the form goes through: the token was all it lacked.
    form = browser.get(revoke_url(certificate)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert browser.post(revoke_url(certificate), {**REVOKE_POST, "csrfmiddlewaretoken": token}).status_code == 302
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is not None


# --- the revoke flow ---------------------------------------------------------------------------


def test_revoking_through_the_admin(client, certificate, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    listing = client.get(index_url()).content.decode()
    assert certificate.display_code in listing and escape(certificate.holder_name) in listing
    page = client.get(inspect_url(certificate)).content.decode()
    assert revoke_url(certificate) in page
    assert f"Issued to {escape(certificate.holder_name)}" in page  # the history

    form = client.get(revoke_url(certificate))
    assert form.status_code == 200 and b"Breach of the code of conduct" in form.content

    # Bad input: a message per field, nothing changes.
    response = client.post(revoke_url(certificate), {"reason": "", "note": ""})
    assert response.status_code == 200
    assert "Choose a reason for revoking." in response.content.decode()
    assert "Tick the box to confirm" in response.content.decode()
    response = client.post(revoke_url(certificate), {"reason": "other", "note": "  ", "confirm": "on"})
    assert "Say why in the note" in response.content.decode()
    response = client.post(revoke_url(certificate), {"reason": "made-up", "confirm": "on"})
    assert response.status_code == 200
    assert_untouched(certificate)

    storage, old_pdf = certificate.pdf.storage, certificate.pdf.name
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(revoke_url(certificate), REVOKE_POST)
    assert response.status_code == 302 and response["Location"] == inspect_url(certificate)

    certificate.refresh_from_db()
    assert certificate.revoked_at >= before and certificate.revoked_by == staff
    assert certificate.revocation_reason == "conduct" and certificate.revocation_note == "Breach reported and upheld."
    assert not certificate.pdf and not storage.exists(old_pdf)
    event = certificate.events.get(kind=CertificateEvent.Kind.REVOKED)
    assert event.actor == staff and event.detail == {"reason": "conduct", "note": "Breach reported and upheld."}

    page = client.get(inspect_url(certificate)).content.decode()
    assert "Reason: Breach of the code of conduct" in page and "sam.staff@example.org" in page
    assert revoke_url(certificate) not in page  # nothing left to revoke
    public = client.get(reverse("certification:verify", args=[certificate.code])).content.decode()
    assert "Revoked." in public and "Breach reported" not in public  # the note stays internal

    # Revoking again is refused and changes nothing.
    response = client.post(revoke_url(certificate), {"reason": "error", "note": "again", "confirm": "on"})
    assert response.status_code == 200 and "was revoked on" in response.content.decode()
    fresh = Certificate.objects.get(pk=certificate.pk)
    assert fresh.revocation_reason == "conduct" and fresh.revoked_at == certificate.revoked_at
    assert fresh.events.filter(kind=CertificateEvent.Kind.REVOKED).count() == 1


# --- the reinstate flow ------------------------------------------------------------------------

REINSTATE_POST = {"note": "Revoked the wrong certificate by mistake.", "confirm": "on"}


def test_reinstating_through_the_admin(client, certificate, staff, django_capture_on_commit_callbacks):
    from certification import services

    client.force_login(staff)
    assert reinstate_url(certificate) not in client.get(inspect_url(certificate)).content.decode()  # nothing to undo
    page = client.get(reinstate_url(certificate)).content.decode()
    assert "not revoked" in page and 'name="note"' not in page
    client.post(reinstate_url(certificate), REINSTATE_POST)
    assert not certificate.events.filter(kind=CertificateEvent.Kind.REINSTATED).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate_id=certificate.pk, by=staff, reason="error", note="Wrong person.")
    page = client.get(inspect_url(certificate)).content.decode()
    assert reinstate_url(certificate) in page and revoke_url(certificate) not in page
    assert reinstate_url(certificate) in client.get(revoke_url(certificate)).content.decode()

    # Bad input: a message per field, nothing changes.
    response = client.post(reinstate_url(certificate), {"note": "   "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say why the certificate is reinstated." in page and "Tick the box to confirm" in page
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reinstate_url(certificate), REINSTATE_POST)
    assert response.status_code == 302 and response["Location"] == inspect_url(certificate)
    certificate.refresh_from_db()
    assert certificate.status() == "valid" and certificate.revocation_reason == "" and certificate.pdf
    event = certificate.events.get(kind=CertificateEvent.Kind.REINSTATED)
    assert event.actor == staff and event.detail == {"note": REINSTATE_POST["note"]}
    page = client.get(inspect_url(certificate)).content.decode()
    assert "Reason: Issued in error. Note: Wrong person." in page  # the revocation stays in the history
    assert f"Note: {REINSTATE_POST['note']}" in page and revoke_url(certificate) in page
    public = client.get(reverse("certification:verify", args=[certificate.code])).content.decode()
    assert "Revoked." not in public and "Wrong person" not in public

    # Reinstating again is refused and changes nothing.
    response = client.post(reinstate_url(certificate), REINSTATE_POST)
    assert response.status_code == 200 and "not revoked" in response.content.decode()
    assert certificate.events.filter(kind=CertificateEvent.Kind.REINSTATED).count() == 1


def test_only_those_who_may_revoke_may_reinstate(client, certificate, learner, viewer, staff):
    from certification import services

    services.certificate_revoke(certificate_id=certificate.pk, by=staff, reason="error")
    for user in (None, learner, viewer):
        client.logout()
        if user is not None:
            client.force_login(user)
        assert client.get(reinstate_url(certificate)).status_code == 302
        assert client.post(reinstate_url(certificate), REINSTATE_POST).status_code == 302
    client.force_login(viewer)
    assert reinstate_url(certificate) not in client.get(inspect_url(certificate)).content.decode()
    fresh = Certificate.objects.get(pk=certificate.pk)
    assert fresh.revoked_at is not None and not fresh.events.filter(kind=CertificateEvent.Kind.REINSTATED).exists()

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    assert browser.post(reinstate_url(certificate), REINSTATE_POST).status_code == 403
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is not None


def test_listing_filters_and_search(client, certificate, staff, programme, code_of_conduct):
    from certification import services

    other = UserFactory(email="river.other@example.org")
    second, _ = services.certificate_issue(user=other, programme=programme, period=1, now=timezone.now())
    services.certificate_revoke(certificate_id=second.pk, by=staff, reason="error")
    client.force_login(staff)

    def codes_listed(**params):
        html = client.get(index_url(), params).content.decode()
        return {c.display_code for c in (certificate, second) if c.display_code in html}

    assert codes_listed() == {certificate.display_code, second.display_code}
    assert codes_listed(status="revoked") == {second.display_code}
    assert codes_listed(status="valid") == {certificate.display_code}
    assert codes_listed(status="expired") == set()
    assert codes_listed(programme=programme.pk) == {certificate.display_code, second.display_code}
    typed = certificate.display_code.lower().replace("-", " ")
    assert codes_listed(q=typed) == {certificate.display_code}
    assert codes_listed(q="RIVER.other@EXAMPLE.org") == {second.display_code}


# --- practical sign-off -------------------------------------------------------------------------


def test_signoff_form_holds_counts_dates_and_nothing_about_meetings():
    assert set(PracticalSignoffForm.base_fields) == {"email", "item", "count", "done_on"}
    assert {f.name for f in PracticalSignoff._meta.get_fields()} == {
        "id", "user", "item", "count", "done_on", "signed_by", "signed_at",
    }


def test_signing_off_the_last_requirement_issues_the_certificate(
    client, staff, learner, programme, course, code_of_conduct, django_capture_on_commit_callbacks, mailoutbox
):
    item = PracticalItem.objects.create(programme=programme, label="Co-facilitated meetings", required_count=2)
    ConductAcceptance.objects.create(user=learner, code=code_of_conduct)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, course)
    assert not Certificate.objects.exists()  # the practical part is still missing

    client.force_login(staff)
    page = client.get(signoff_url())
    assert page.status_code == 200 and "Meeting Facilitator: Co-facilitated meetings ×2" in page.content.decode()

    today = timezone.localdate()
    good = {"email": learner.email.upper(), "item": item.pk, "count": 1, "done_on": today.isoformat()}
    for bad, message in (
        ({"email": "nobody@example.org"}, "No learner has this email address."),
        ({"done_on": (today + timezone.timedelta(days=1)).isoformat()}, "The date cannot be in the future."),
        ({"count": 0}, "The count must be at least 1."),
        ({"item": 999999}, "Choose one of the listed requirements."),
        ({"email": staff.email}, "You cannot sign off your own practical work"),
    ):
        response = client.post(signoff_url(), {**good, **bad})
        assert response.status_code == 200 and message in response.content.decode(), bad
    assert not PracticalSignoff.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(signoff_url(), good)
    assert response.status_code == 302 and "email=" in response["Location"]
    assert not Certificate.objects.exists()
    record = client.get(response["Location"]).content.decode()
    assert "1 of 2" in record and "Sam Staff" in record and day_text(today) in record

    yesterday = today - timezone.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(signoff_url(), {**good, "done_on": yesterday.isoformat()})
    assert response.status_code == 302
    signoffs = PracticalSignoff.objects.filter(user=learner)
    assert signoffs.count() == 2 and {s.signed_by for s in signoffs} == {staff}
    certificate = Certificate.objects.get(holder=learner)
    assert certificate.pdf and certificate.programme == programme
    assert any(m.subject == "Your Meeting Facilitator certificate" for m in mailoutbox)
    record = client.get(response["Location"]).content.decode()
    assert "2 of 2" in record and "Done" in record


# --- snippets -----------------------------------------------------------------------------------


def test_programmes_and_codes_of_conduct_are_snippets_for_staff(client, staff, programme, code_of_conduct):
    client.force_login(staff)
    for model in ("programme", "codeofconduct"):
        listing = client.get(reverse(f"wagtailsnippets_certification_{model}:list"))
        assert listing.status_code == 200
        assert client.get(reverse(f"wagtailsnippets_certification_{model}:add")).status_code == 200
    assert "Meeting Facilitator" in client.get(reverse("wagtailsnippets_certification_programme:list")).content.decode()
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    for label in ("Certification", "Certificates", "Practical sign-offs", "Programmes", "Codes of conduct"):
        assert label in home, label


def test_course_publishers_see_programmes_but_not_certificates(client, programme):
    publisher = UserFactory()
    publisher.groups.add(Group.objects.get(name="Course publishers"))
    client.force_login(publisher)
    assert client.get(reverse("wagtailsnippets_certification_programme:edit", args=[programme.pk])).status_code == 200
    assert client.get(index_url()).status_code == 302
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Practical sign-offs" not in home
