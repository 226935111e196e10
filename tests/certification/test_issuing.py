"""Issuing: requirements evaluated, one certificate per period, PDF and email after commit."""
import io

import pytest
from pypdf import PdfReader

from certification import codes, services
from certification.models import Certificate, CertificateEvent, ConductAcceptance
from certification.selectors import programme_progress

from .conftest import complete_course

pytestmark = pytest.mark.django_db


def test_requirements_list_what_is_done_and_left(learner, programme, course, code_of_conduct):
    progress = programme_progress(user=learner, programme=programme)
    assert [r.done for r in progress.requirements] == [False, False]
    assert not progress.met
    complete_course(learner, course)
    ConductAcceptance.objects.create(user=learner, code=code_of_conduct)
    progress = programme_progress(user=learner, programme=programme)
    assert progress.met and progress.done_count == 2


def test_completing_the_last_requirement_issues_renders_and_emails(
    learner, programme, course, code_of_conduct, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.conduct_accept(user=learner, code=code_of_conduct)
    assert not Certificate.objects.exists()  # the course is not complete yet
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, course)
    certificate = Certificate.objects.get()
    assert certificate.holder_name == "Zoë Ñúñez-O'Brien" and certificate.period == 1
    assert codes.normalise(certificate.display_code) == certificate.code
    assert certificate.pdf and certificate.pdf_revision == 1
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(certificate.pdf.read())).pages)
    assert "Zoë Ñúñez-O'Brien" in text and certificate.display_code in text and "Meeting Facilitator" in text
    assert [m.subject for m in mailoutbox if "certificate" in m.subject] == ["Your Meeting Facilitator certificate"]
    assert list(certificate.events.values_list("kind", flat=True)) == [CertificateEvent.Kind.ISSUED]


def test_evaluating_twice_issues_once(learner, programme, course, code_of_conduct, django_capture_on_commit_callbacks):
    ConductAcceptance.objects.create(user=learner, code=code_of_conduct)
    complete_course(learner, course)
    first = services.programmes_evaluate(user_id=learner.pk)
    second = services.programmes_evaluate(user_id=learner.pk)
    assert len(first) == 1 and second == []
    assert Certificate.objects.count() == 1
