"""Issuing when several workers run at the same moment, against PostgreSQL: threads with
their own connections, released together by a barrier."""
import pytest

from continuing_education import services
from continuing_education.models import CECertificate, CECertificateEvent
from tests.concurrency import run_together

from .conftest import ready_learner


# serialized_rollback: the flush after a transactional test would otherwise take the
# migrations' page tree away from the tests that run after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_concurrent_evaluations_issue_one_ce_certificate(learner, course, approval, mailoutbox):
    ready_learner(learner, course)
    assert not CECertificate.objects.exists()

    results, errors = run_together(8, lambda _: services.ce_evaluate(user_id=learner.pk, course_id=course.pk))
    assert errors == []
    assert sum(len(issued) for issued in results) == 1
    certificate = CECertificate.objects.get(holder=learner, approval=approval)
    assert [c.pk for issued in results for c in issued] == [certificate.pk]
    assert CECertificateEvent.objects.filter(certificate=certificate).count() == 1
    assert [m.subject for m in mailoutbox].count("Your CE certificate for Meeting Basics") == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_issues_meet_at_the_unique_constraint(learner, course, approval, monkeypatch):
    """Both pass the "already issued?" check (made to find nothing): the constraint decides."""
    from django.utils import timezone

    from continuing_education.selectors import ce_standing
    from continuing_education.services import issuing

    monkeypatch.setattr(issuing, "_already_issued", lambda **kwargs: None)
    ready_learner(learner, course)
    standing = ce_standing(user=learner, course=course)
    enrollment = standing.enrollment
    results, errors = run_together(2, lambda _: services.ce_certificate_issue(
        user=learner, standing=standing.approvals[0], enrollment=enrollment, now=timezone.now()))
    assert errors == []
    assert sorted(created for _certificate, created in results) == [False, True]
    assert len({certificate.pk for certificate, _created in results}) == 1
    assert CECertificate.objects.count() == 1
