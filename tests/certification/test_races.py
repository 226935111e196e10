"""Issuing and reminding when several workers run at the same moment, against PostgreSQL:
threads with their own connections, released together by a barrier."""
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from certification import services
from certification.models import Certificate, ConductAcceptance, ExpiryReminder
from tests.concurrency import run_together
from tests.factories import UserFactory

from .conftest import complete_course


# serialized_rollback: the flush after a transactional test would otherwise take the
# migrations' page tree away from the tests that run after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_concurrent_evaluations_issue_one_certificate(learner, programme, course, code_of_conduct, mailoutbox):
    complete_course(learner, course)  # its own evaluation finds the code of conduct missing
    assert not Certificate.objects.exists()
    ConductAcceptance.objects.create(user=learner, code=code_of_conduct)  # no evaluation queued

    results, errors = run_together(8, lambda _: services.programmes_evaluate(user_id=learner.pk))
    assert errors == []
    assert len(results) == 8
    assert sum(len(issued) for issued in results) == 1
    certificate = Certificate.objects.get(holder=learner, programme=programme)
    assert [c.pk for issued in results for c in issued] == [certificate.pk]
    assert certificate.events.count() == 1
    assert [m.subject for m in mailoutbox].count("Your Meeting Facilitator certificate") == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_reminder_runs_send_one_email_per_certificate(programme, code_of_conduct, mailoutbox):
    now = timezone.now()
    certificates = [
        services.certificate_issue(user=UserFactory(), programme=programme, period=1, now=now)[0] for _ in range(6)
    ]
    run_at = certificates[0].expires_at - timedelta(days=59)

    results, errors = run_together(2, lambda _: services.expiry_reminders_send(now=run_at))
    assert errors == []
    assert sum(results) == 6  # shared out between the runs, never doubled
    sent = Counter(m.to[0] for m in mailoutbox if "certificate expires on" in m.subject)
    assert sent == Counter({c.holder.email: 1 for c in certificates})
    assert ExpiryReminder.objects.filter(days_before=60).count() == 6
