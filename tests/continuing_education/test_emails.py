"""The CE emails are written in the recipient's language and time zone."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.users.models import UserProfile

from continuing_education import services
from continuing_education.models import CECertificate

from .conftest import complete_course, evaluate, give_licence, hour_start, make_approval, ready_learner, study

pytestmark = pytest.mark.django_db


def test_the_unmet_email_in_spanish_says_when_the_rest_is_credited_in_the_learners_zone(learner, course, mailoutbox):
    UserProfile.objects.update_or_create(
        user=learner, defaults={"preferred_language": "es", "current_time_zone": "America/Mexico_City"})
    make_approval(course, hours="10", daily_cap_hours=Decimal("8"))
    first = hour_start(timezone.now() - timedelta(hours=12))
    study(learner, course, first, 10)
    give_licence(learner)
    evaluate(learner, course)
    complete_course(learner, course)
    services.ce_evaluate(user_id=learner.pk, course_id=course.pk)
    [email] = [m for m in mailoutbox if "lo que falta" in m.subject]
    assert email.subject == "Tus horas de EC de Meeting Basics: lo que falta"
    assert "hasta ahora tienes reconocidas 8 de 10 horas, y el resto se reconocerá el" in " ".join(email.body.split())
    assert "CST" in email.body or "UTC-06:00" in email.body  # the learner's zone, named
    assert "/es/continuing-education/" in email.body


def test_the_issued_email_in_spanish(learner, course, mailoutbox):
    UserProfile.objects.update_or_create(user=learner, defaults={"preferred_language": "es"})
    make_approval(course)
    ready_learner(learner, course)
    services.ce_evaluate(user_id=learner.pk, course_id=course.pk)
    services.ce_certificate_notify_issued(certificate_id=CECertificate.objects.get().pk)
    [email] = [m for m in mailoutbox if "certificado de EC" in m.subject]
    assert email.subject == "Tu certificado de EC de Meeting Basics"
    assert "2 horas de EC aprobadas por NAADAC body" in " ".join(email.body.split())
