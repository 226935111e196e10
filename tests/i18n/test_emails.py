"""Emails are written in their recipient's language and time zone (kernel/emails.py)."""
import copy
import datetime

import pytest
from wagtail.users.models import UserProfile

from accounts import services as account_services
from kernel import emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MOMENT = datetime.datetime(2026, 12, 5, 14, 30, tzinfo=datetime.timezone.utc)


@pytest.fixture
def notice_template(settings, tmp_path):
    """An email template with a translated subject and a time in its body."""
    folder = tmp_path / "i18n_test" / "email"
    folder.mkdir(parents=True)
    (folder / "notice_subject.txt").write_text('{% load i18n %}{% translate "Language and time zone" %}')
    (folder / "notice.txt").write_text("{% load when %}Starts {{ moment|when }}.")
    templates = copy.deepcopy(settings.TEMPLATES)
    for engine in templates:
        engine["DIRS"] = [tmp_path, *engine["DIRS"]]
    settings.TEMPLATES = templates
    return "i18n_test/email/notice"


def person(language="", zone=""):
    user = UserFactory()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language, profile.current_time_zone = language, zone
    profile.save()
    return user


def test_a_spanish_speaker_in_mexico_city_reads_spanish_and_their_own_time(mailoutbox, notice_template):
    user = person("es", "America/Mexico_City")
    emails.send_templated(template=notice_template, context={"moment": MOMENT}, to=[user.email])
    (message,) = mailoutbox
    assert message.subject == "Idioma y zona horaria"
    assert message.body == "Starts 5 de diciembre de 2026, 08:30 CST."


def test_the_recipient_may_be_named_and_the_address_found_whatever_its_case(mailoutbox, notice_template):
    user = person("es", "Europe/Madrid")
    emails.send_templated(template=notice_template, context={"moment": MOMENT}, to=["someone@example.org"], recipient=user.pk)
    emails.send_templated(template=notice_template, context={"moment": MOMENT}, to=[user.email.upper()])
    assert [m.body for m in mailoutbox] == ["Starts 5 de diciembre de 2026, 15:30 CET."] * 2


def test_no_account_or_no_choice_means_the_sites_language_and_zone(mailoutbox, notice_template):
    user = person()
    emails.send_templated(template=notice_template, context={"moment": MOMENT}, to=[user.email])
    emails.send_templated(template=notice_template, context={"moment": MOMENT}, to=["nobody@example.org"])
    assert {m.subject for m in mailoutbox} == {"Language and time zone"}
    assert {m.body for m in mailoutbox} == {"Starts 5 December 2026, 14:30 UTC."}


def test_sending_leaves_the_callers_language_and_zone_as_they_were(mailoutbox, notice_template):
    from django.utils import timezone, translation

    emails.send_templated(template=notice_template, context={"moment": MOMENT}, to=[person("es", "Asia/Tokyo").email])
    assert translation.get_language() == "en" and timezone.get_current_timezone_name() == "UTC"


def test_the_welcome_email_greets_in_the_persons_language(mailoutbox):
    user = person("es", "America/Mexico_City")
    assert account_services.user_welcome(user_id=user.pk)
    assert mailoutbox[0].subject.startswith("Te damos la bienvenida a ")


def test_a_recipient_who_saved_nothing_gets_the_language_and_zone_already_active(mailoutbox, notice_template):
    from django.utils import timezone, translation

    with translation.override("es"), timezone.override("Europe/Madrid"):
        emails.send_templated(template=notice_template, context={"moment": MOMENT}, to=[person().email])
    assert (mailoutbox[0].subject, mailoutbox[0].body) == ("Idioma y zona horaria", "Starts 5 de diciembre de 2026, 15:30 CET.")
