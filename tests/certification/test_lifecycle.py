"""A certificate's life after issue: renewal, expiry, reminders, revocation, reissue for a
new name. Time moves through the services' ``now=`` arguments."""
import io
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from accounts.services import user_set_certificate_name
from certification import services
from certification.models import Certificate, CertificateEvent, ConductAcceptance, ExpiryReminder
from courses import services as learning
from tests.factories import UserFactory, build_course, lessons_of

from .conftest import complete_course

pytestmark = pytest.mark.django_db
Kind = CertificateEvent.Kind


def pdf_text(certificate) -> str:
    with certificate.pdf.open("rb") as handle:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


def reminders(mailoutbox):
    return [m for m in mailoutbox if "certificate expires on" in m.subject]


@pytest.fixture
def refresher(programme):
    course = build_course(title="Facilitator Refresher", modules=1, lessons_per_module=2)
    programme.renewal_courses.add(course)
    programme.save()
    return course


@pytest.fixture
def certified(learner, programme, course, code_of_conduct, django_capture_on_commit_callbacks):
    """The learner's first certificate, issued now, with its PDF."""
    ConductAcceptance.objects.create(user=learner, code=code_of_conduct)
    complete_course(learner, course)
    with django_capture_on_commit_callbacks(execute=True):
        [certificate] = services.programmes_evaluate(user_id=learner.pk)
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.period == 1
    return certificate


def issue(user, programme, *, now, **kwargs) -> Certificate:
    certificate, created = services.certificate_issue(user=user, programme=programme, period=1, now=now, **kwargs)
    assert created
    return certificate


# --- renewal -------------------------------------------------------------------------------------


def test_renewal_issues_the_next_period_linked_from_the_old_certificate(
    client, learner, programme, refresher, certified, django_capture_on_commit_callbacks, mailoutbox
):
    first = certified
    assert first.expires_at == first.issued_at + relativedelta(months=24)
    in_window = first.expires_at - timedelta(days=30)  # the window opens 90 days before expiry
    learning.enrollment_create(user=learner, course=refresher)
    assert services.programmes_evaluate(user_id=learner.pk, now=in_window) == []  # refresher not done yet

    enrollment = learner.enrollments.get(course=refresher)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons_of(refresher):
            learning.lesson_complete(enrollment=enrollment, lesson=lesson, now=in_window)
    # Completing it queued an evaluation for today, outside the window: nothing yet.
    assert Certificate.objects.filter(holder=learner).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        [second] = services.programmes_evaluate(user_id=learner.pk, now=in_window)
    assert services.programmes_evaluate(user_id=learner.pk, now=in_window) == []  # once only
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.period == 2 and second.code != first.code and second.holder == learner
    assert first.renewed_by == second
    assert second.issued_at == in_window
    # Renewing early costs nothing: the new validity runs on from the old expiry.
    assert second.expires_at == first.expires_at + relativedelta(months=24)
    assert second.pdf and second.holder_name == first.holder_name
    event = second.events.get()
    assert event.kind == Kind.RENEWED and event.detail["renews"] == first.code
    assert [m.to for m in mailoutbox if m.subject == "Your Meeting Facilitator certificate"] == [[learner.email]] * 2

    # The old certificate's page says it was renewed and points at the current one.
    html = client.get(reverse("certification:verify", args=[first.code])).content.decode()
    assert "This certificate has been renewed" in html
    assert second.display_code in html and f"?code={second.display_code}" in html
    data = client.get(reverse("credentials:verify_json", args=[first.code])).json()
    assert data["renewed_by"] == second.display_code and data["current_status"] == "valid"
    assert data["current_expires_on"] == second.expires_at.date().isoformat()
    assert data["status"] == "valid"  # the old one stays valid until it expires
    assert client.get(reverse("certification:verify", args=[second.code])).context["facts"]["renewed_by"] is None


def test_refresher_done_before_the_renewal_window_does_not_renew(learner, programme, refresher, certified):
    learning.enrollment_create(user=learner, course=refresher)
    complete_course(learner, refresher)  # today: long before the window opens
    in_window = certified.expires_at - timedelta(days=30)
    assert services.programmes_evaluate(user_id=learner.pk, now=in_window) == []
    before_window = certified.expires_at - timedelta(days=91)
    assert services.programmes_evaluate(user_id=learner.pk, now=before_window) == []
    assert Certificate.objects.filter(holder=learner).count() == 1


# --- expiry --------------------------------------------------------------------------------------


def test_a_certificate_expires_at_its_expiry_time(client, learner, programme, code_of_conduct):
    certificate = issue(learner, programme, now=timezone.now() - relativedelta(months=24) - timedelta(days=1))
    assert certificate.status(now=certificate.expires_at - timedelta(seconds=1)) == "valid"
    assert certificate.status(now=certificate.expires_at) == "expired"
    assert certificate.status() == "expired"

    html = client.get(reverse("certification:verify", args=[certificate.code])).content.decode()
    assert "Expired." in html and "no longer in force" in html and "✓ Valid" not in html
    assert client.get(reverse("credentials:verify_json", args=[certificate.code])).json()["status"] == "expired"
    client.force_login(learner)
    mine = client.get(reverse("certification:mine")).content.decode()
    assert "<strong>Expired</strong>" in mine


# --- reminders -----------------------------------------------------------------------------------


def test_reminders_go_once_per_threshold(learner, certified, mailoutbox):
    expires = certified.expires_at
    assert services.expiry_reminders_send(now=expires - timedelta(days=61)) == 0
    at_59 = expires - timedelta(days=59)
    assert services.expiry_reminders_send(now=at_59) == 1
    assert services.expiry_reminders_send(now=at_59) == 0  # the same moment again: no second email
    assert services.expiry_reminders_send(now=expires - timedelta(days=45)) == 0
    [sixty] = reminders(mailoutbox)
    assert sixty.to == [learner.email] and "in 59 days" in sixty.body

    at_29 = expires - timedelta(days=29)
    assert services.expiry_reminders_send(now=at_29) == 1
    assert services.expiry_reminders_send(now=at_29 + timedelta(hours=5)) == 0
    assert services.expiry_reminders_send(now=expires - timedelta(days=6)) == 1
    assert services.expiry_reminders_send(now=expires - timedelta(days=1)) == 0
    assert services.expiry_reminders_send(now=expires + timedelta(days=1)) == 0  # expired: nothing to remind
    assert len(reminders(mailoutbox)) == 3
    assert sorted(ExpiryReminder.objects.filter(certificate=certified).values_list("days_before", flat=True)) == [7, 30, 60]
    assert certified.events.filter(kind=Kind.REMINDED).count() == 3
    assert "Facilitator Refresher" not in sixty.body  # no renewal course: "contact the training team"


def test_a_certificate_already_inside_the_window_gets_only_the_nearest_reminder(learner, programme, mailoutbox):
    certificate = issue(learner, programme, now=timezone.now())
    run_at = certificate.expires_at - timedelta(days=20)  # past the 60- and 30-day marks already
    assert services.expiry_reminders_send(now=run_at) == 1
    assert services.expiry_reminders_send(now=run_at + timedelta(days=1)) == 0
    assert list(ExpiryReminder.objects.filter(certificate=certificate).values_list("days_before", flat=True)) == [30]
    assert len(reminders(mailoutbox)) == 1


def test_revoked_and_renewed_certificates_get_no_reminders(programme, code_of_conduct, mailoutbox):
    now = timezone.now()
    staff = UserFactory()
    revoked = issue(UserFactory(), programme, now=now)
    services.certificate_revoke(certificate_id=revoked.pk, by=staff, reason="error")
    renewed = issue(UserFactory(), programme, now=now)
    in_window = renewed.expires_at - timedelta(days=40)
    renewal, _ = services.certificate_issue(user=renewed.holder, programme=programme, period=2, now=in_window, renews=renewed)
    assert Certificate.objects.get(pk=renewed.pk).renewed_by == renewal
    for days in (59, 29, 6):
        assert services.expiry_reminders_send(now=revoked.expires_at - timedelta(days=days)) == 0
    assert reminders(mailoutbox) == [] and not ExpiryReminder.objects.exists()


# --- revocation ----------------------------------------------------------------------------------


def test_revoking_takes_effect_at_once_and_is_recorded(client, learner, certified, django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True)
    storage, old_pdf = certified.pdf.storage, certified.pdf.name
    assert storage.exists(old_pdf)
    with pytest.raises(services.CertificationError, match="Choose a reason"):
        services.certificate_revoke(certificate_id=certified.pk, by=staff, reason="because")
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate_id=certified.pk, by=staff, reason="requirements", note=" Practical not done. ")
    certified.refresh_from_db()
    assert certified.status() == "revoked" and certified.revoked_by == staff
    assert certified.revocation_reason == "requirements" and certified.revocation_note == "Practical not done."
    assert not certified.pdf and not storage.exists(old_pdf)
    event = certified.events.get(kind=Kind.REVOKED)
    assert event.actor == staff and event.at == certified.revoked_at
    assert event.detail == {"reason": "requirements", "note": "Practical not done."}

    client.force_login(learner)
    assert client.get(reverse("certification:pdf", args=[certified.code])).status_code == 404
    assert "Revoked." in client.get(reverse("certification:verify", args=[certified.code])).content.decode()

    with pytest.raises(services.CertificationError, match="already revoked"):
        services.certificate_revoke(certificate_id=certified.pk, by=UserFactory(), reason="error")
    fresh = Certificate.objects.get(pk=certified.pk)
    assert fresh.revoked_by == staff and fresh.revocation_reason == "requirements"
    assert fresh.events.filter(kind=Kind.REVOKED).count() == 1


# --- reissue for a new name ----------------------------------------------------------------------


def test_a_new_name_reissues_the_certificate_with_the_same_code(
    client, learner, certified, django_capture_on_commit_callbacks, mailoutbox
):
    old_name, old_pdf, storage = certified.holder_name, certified.pdf.name, certified.pdf.storage
    assert old_name in pdf_text(certified)
    with django_capture_on_commit_callbacks(execute=True):
        user_set_certificate_name(user=learner, name="  Zoë   Ñúñez  Okafor ")
    certificate = Certificate.objects.get(pk=certified.pk)
    assert certificate.code == certified.code
    assert certificate.holder_name == "Zoë Ñúñez Okafor"
    assert certificate.revision == 2 and certificate.pdf_revision == 2
    assert certificate.pdf.name != old_pdf and not storage.exists(old_pdf)
    text = pdf_text(certificate)
    assert "Zoë Ñúñez Okafor" in text and old_name not in text and certificate.display_code in text
    event = certificate.events.get(kind=Kind.REISSUED)
    assert event.detail == {"from": old_name, "to": "Zoë Ñúñez Okafor"} and event.actor == learner
    # The verification page follows; the "your certificate is ready" email is not sent again.
    assert escape("Zoë Ñúñez Okafor") in client.get(reverse("certification:verify", args=[certificate.code])).content.decode()
    assert len([m for m in mailoutbox if m.subject == "Your Meeting Facilitator certificate"]) == 1

    # The same name again changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        user_set_certificate_name(user=learner, name="Zoë Ñúñez Okafor")
    assert Certificate.objects.get(pk=certified.pk).revision == 2


def test_expired_and_revoked_certificates_are_not_reissued(programme, code_of_conduct, django_capture_on_commit_callbacks):
    expired_holder, revoked_holder = UserFactory(certificate_name="Old Name"), UserFactory(certificate_name="Old Name")
    expired = issue(expired_holder, programme, now=timezone.now() - relativedelta(months=25))
    revoked = issue(revoked_holder, programme, now=timezone.now())
    services.certificate_revoke(certificate_id=revoked.pk, by=UserFactory(), reason="holder")
    with django_capture_on_commit_callbacks(execute=True):
        user_set_certificate_name(user=expired_holder, name="New Name")
        user_set_certificate_name(user=revoked_holder, name="New Name")
    for certificate in (expired, revoked):
        fresh = Certificate.objects.get(pk=certificate.pk)
        assert fresh.holder_name == "Old Name" and fresh.revision == 1 and not fresh.pdf
        assert not fresh.events.filter(kind=Kind.REISSUED).exists()
