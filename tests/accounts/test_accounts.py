"""Sign-up with verification, the certificate name, throttled login, reset and email change."""
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import User
from accounts.tasks import purge_unverified_accounts_task, send_welcome_email_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase"


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_requires_email_verification_then_welcomes_once(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"certificate_name": "  Amaia   Etxeberria ", "email": "amaia@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="amaia@example.org")
    assert user.certificate_name == "Amaia Etxeberria"
    # Not signed in until the address is verified.
    assert client.get(reverse("courses:dashboard")).status_code == 302
    assert client.post(reverse("account_login"), {"login": "amaia@example.org", "password": PASSWORD}).status_code == 302
    assert "_auth_user_id" not in client.session
    link = confirmation_link(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("courses:dashboard")).status_code == 200
    welcome = [m for m in mail.outbox if m.subject.startswith("Welcome")]
    assert len(welcome) == 1 and welcome[0].to == ["amaia@example.org"]
    # A replayed welcome task sends nothing more.
    send_welcome_email_task(user.pk)
    assert len([m for m in mail.outbox if m.subject.startswith("Welcome")]) == 1


def test_signup_errors_are_shown_and_nothing_is_created(client):
    response = client.post(
        reverse("account_signup"),
        {"certificate_name": "   ", "email": "not-an-email", "password1": "short", "password2": "other"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    assert "This field is required" in body or "required" in body
    assert not User.objects.exists()


def test_duplicate_email_is_refused_case_insensitively(client):
    UserFactory(email="sam@example.org")
    response = client.post(
        reverse("account_signup"),
        {"certificate_name": "Sam", "email": "SAM@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert User.objects.filter(email__iexact="sam@example.org").count() == 1
    # allauth either shows an error or (to avoid account enumeration) pretends to send mail.
    assert response.status_code in (200, 302)


def test_login_is_throttled_after_repeated_failures(client, settings):
    user = UserFactory()
    url = reverse("account_login")
    for _ in range(5):
        response = client.post(url, {"login": user.email, "password": "wrong-password"})
        assert response.status_code == 200
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    # Even the right password is refused while throttled, with a clear message.
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    assert b"Too many failed sign-in attempts" in response.content


def test_password_reset_sends_a_working_link(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[-1].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")


def test_change_email_needs_verification_of_the_new_address(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="old@example.org")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"action_add": "", "email": "new@example.org"})
    user.refresh_from_db()
    assert user.email == "old@example.org"  # unchanged until verified
    link = confirmation_link(mail.outbox[-1])
    client.post(link)
    user.refresh_from_db()
    assert user.email == "new@example.org"


def test_profile_changes_certificate_name_and_rejects_blank(client):
    user = UserFactory(certificate_name="Old Name")
    client.force_login(user)
    url = reverse("accounts:profile")
    response = client.post(url, {"certificate_name": "   "})
    assert response.status_code == 200 and b"This field is required" in response.content
    user.refresh_from_db()
    assert user.certificate_name == "Old Name"
    client.post(url, {"certificate_name": "Zoë  Ólafsdóttir"})
    user.refresh_from_db()
    assert user.certificate_name == "Zoë Ólafsdóttir"


def test_unverified_accounts_are_purged_after_the_grace_period(settings):
    settings.UNVERIFIED_ACCOUNT_DAYS = 14
    stale = UserFactory(verified=False)
    User.objects.filter(pk=stale.pk).update(date_joined=timezone.now() - timedelta(days=15))
    fresh = UserFactory(verified=False)
    verified_old = UserFactory()
    User.objects.filter(pk=verified_old.pk).update(date_joined=timezone.now() - timedelta(days=400))
    staff = UserFactory(verified=False, is_staff=True)
    User.objects.filter(pk=staff.pk).update(date_joined=timezone.now() - timedelta(days=400))
    assert purge_unverified_accounts_task() == 1
    assert set(User.objects.values_list("pk", flat=True)) == {fresh.pk, verified_old.pk, staff.pk}
    assert purge_unverified_accounts_task() == 0


def test_welcome_is_sent_once():
    user = UserFactory()
    assert services.user_welcome(user_id=user.pk) is True
    assert services.user_welcome(user_id=user.pk) is False
    assert services.user_welcome(user_id=999999) is False
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_a_failed_welcome_send_is_not_marked_sent(mail_server_down):
    user = UserFactory()
    with pytest.raises(ConnectionRefusedError):
        services.user_welcome(user_id=user.pk)
    user.refresh_from_db()
    assert user.welcomed_at is None  # the retry will send it
    mail_server_down.undo()
    assert services.user_welcome(user_id=user.pk) is True


def test_account_emails_name_the_service_and_the_address(client, settings, django_capture_on_commit_callbacks):
    """allauth's templates greet from the site and sign off with its address; the
    "account already exists" email quotes the address asked about."""
    settings.WAGTAIL_SITE_NAME = "Facilitator Training"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), {
            "certificate_name": "Sam O'Brien", "email": "sam@example.org", "password1": PASSWORD, "password2": PASSWORD,
        })
    (verify,) = mail.outbox
    assert "Hello from Facilitator Training!" in verify.body
    assert "Thank you for using Facilitator Training!" in verify.body
    assert "testserver" in verify.body  # the site's address, from WAGTAILADMIN_BASE_URL
    mail.outbox.clear()
    UserFactory(email="taken@example.org")  # an account whose address is verified
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("account_signup"), {
            "certificate_name": "Someone", "email": "taken@example.org", "password1": PASSWORD, "password2": PASSWORD,
        })
    (exists,) = mail.outbox
    assert "Hello from Facilitator Training!" in exists.body
    assert re.search(r"using email address:\s+taken@example\.org", exists.body)


def test_plain_text_emails_are_not_html_escaped(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="obrien@example.org", certificate_name="Sam <b>O'Brien</b> & Ñúñez")
    with django_capture_on_commit_callbacks(execute=True):
        send_welcome_email_task(user.pk)
    (welcome,) = mail.outbox
    assert "Hello Sam <b>O'Brien</b> & Ñúñez," in welcome.body
    assert "&amp;" not in welcome.body and "&#x27;" not in welcome.body
    assert welcome.body.rstrip().endswith("— The Facilitator Training team, Recovery Facilitator Network")


def test_the_account_page_leads_to_receipts_and_says_how_to_get_or_delete_ones_data(client, settings):
    settings.CONTACT_EMAIL = "team@example.org"
    client.force_login(UserFactory(email="reader@example.org"))
    page = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{reverse("payments:my_orders")}">Your orders and receipts' in page
    assert 'href="mailto:team@example.org?subject=My%20data"' in page
    assert 'href="mailto:team@example.org">team@example.org</a>' in page  # the footer, on every page


def test_sign_in_messages_name_the_person_by_email_not_a_generated_username(client):
    user = UserFactory(email="sam.d@example.org", username="sam.d")  # as allauth makes one at sign-up
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert "Successfully signed in as sam.d@example.org." in texts, texts


def test_a_used_confirmation_link_says_what_to_do_next(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), {
            "certificate_name": "Ana", "email": "ana@example.org", "password1": PASSWORD, "password2": PASSWORD,
        })
    link = confirmation_link(mail.outbox[0])
    page = client.get(link).content.decode()
    assert 'Please confirm that <a href="mailto:ana@example.org">ana@example.org</a> is your email address.' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    client.logout()
    again = client.get(link).content.decode()
    assert "This link has already been used, or it has expired." in again
    assert f'<a href="{reverse("account_login")}">sign in</a>' in again
