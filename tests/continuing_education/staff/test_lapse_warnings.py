"""Staff are warned before an approval lapses: once per threshold, only the nearest
threshold reached, to everyone who manages CE and nobody else, each in their language and
time zone; safe to run twice and at the same moment (PostgreSQL threads)."""
import datetime
from datetime import timedelta

import pytest
from django.conf import settings
from wagtail.users.models import UserProfile

from continuing_education import tasks
from continuing_education.models import Approval, ApprovalReminder
from continuing_education.services.lapse_warnings import approval_lapse_warnings_send
from tests.concurrency import run_together
from tests.factories import UserFactory

from .conftest import grant

UNTIL = datetime.date(2027, 3, 31)


def run_on(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.timezone.utc)


@pytest.fixture
def lapsing(body):
    return Approval.objects.create(
        body=body, provider_number="DEMO-123", statement="s", approved_from=UNTIL - timedelta(days=730), approved_until=UNTIL,
    )


def warnings(mailoutbox):
    return [m for m in mailoutbox if "lapses in" in m.subject or "vence" in m.subject]


@pytest.mark.django_db
def test_each_threshold_warns_once_and_only_the_nearest_reached(lapsing, ce_staff, mailoutbox):
    assert approval_lapse_warnings_send(now=run_on(UNTIL - timedelta(days=91))) == 0  # before the first warning
    assert approval_lapse_warnings_send(now=run_on(UNTIL - timedelta(days=90))) == 1
    assert approval_lapse_warnings_send(now=run_on(UNTIL - timedelta(days=90), hour=20)) == 0  # the same day again
    assert approval_lapse_warnings_send(now=run_on(UNTIL - timedelta(days=45))) == 0  # between thresholds
    assert approval_lapse_warnings_send(now=run_on(UNTIL - timedelta(days=29))) == 1  # a day late: still sent
    # The beat missed the 7-day run and runs on the last day: one warning (7), not two.
    ApprovalReminder.objects.filter(days_before=7).delete()
    assert approval_lapse_warnings_send(now=run_on(UNTIL)) == 1
    assert approval_lapse_warnings_send(now=run_on(UNTIL + timedelta(days=1))) == 0  # lapsed: nothing more to warn of
    assert [m.subject for m in warnings(mailoutbox)] == [
        "CE approval National Association for Addiction Professionals DEMO-123 lapses in 90 days",
        "CE approval National Association for Addiction Professionals DEMO-123 lapses in 29 days",
        "CE approval National Association for Addiction Professionals DEMO-123 lapses in 0 days",
    ]
    assert sorted(ApprovalReminder.objects.values_list("days_before", flat=True)) == [7, 30, 90]
    body = warnings(mailoutbox)[0].body
    assert "provider number DEMO-123" in body and "31 March 2027" in body and "Hello Sam Staff," in body
    assert f"{settings.WAGTAILADMIN_BASE_URL}/admin/snippets/continuing_education/approval/edit/{lapsing.pk}/" in body


@pytest.mark.django_db
def test_an_approval_made_late_gets_only_the_nearest_warning(body, ce_staff, mailoutbox):
    Approval.objects.create(body=body, provider_number="LATE-1", statement="s", approved_from=UNTIL - timedelta(days=60), approved_until=UNTIL)
    assert approval_lapse_warnings_send(now=run_on(UNTIL - timedelta(days=20))) == 1
    assert list(ApprovalReminder.objects.values_list("days_before", flat=True)) == [30]
    assert len(warnings(mailoutbox)) == 1


@pytest.mark.django_db
def test_only_people_who_manage_ce_are_warned_each_in_their_language_and_zone(lapsing, mailoutbox):
    spanish = grant(UserFactory(email="ana@example.org", certificate_name="Ana"), "continuing_education.manage_ce_certificates")
    profile = UserProfile.get_for_user(spanish)
    profile.preferred_language, profile.current_time_zone = "es", "America/Mexico_City"
    profile.save()
    english = grant(UserFactory(email="ben@example.org", certificate_name="Ben"), "continuing_education.manage_ce_certificates")
    UserFactory(email="learner@example.org")
    grant(UserFactory(email="viewer@example.org"), "continuing_education.view_approval")
    UserFactory(email="root@example.org", is_superuser=True)
    UserFactory(email="gone@example.org", is_active=False).groups.add(*spanish.groups.all())

    assert approval_lapse_warnings_send(now=run_on(UNTIL - timedelta(days=7))) == 1
    by_address = {m.to[0]: m for m in warnings(mailoutbox)}
    assert set(by_address) == {spanish.email, english.email}
    es, en = by_address[spanish.email], by_address[english.email]
    assert es.subject == "La aprobación de EC National Association for Addiction Professionals DEMO-123 vence en 7 días"
    assert "Hola, Ana:" in es.body and "31 de marzo de 2027" in es.body
    # The approval covers its last day in the site's zone: midnight there, in each reader's own.
    assert settings.TIME_ZONE == "UTC"
    assert "31 de marzo de 2027, 18:00 CST" in es.body
    assert "1 April 2027, 00:00 UTC" in en.body


@pytest.mark.django_db
def test_with_nobody_to_tell_nothing_is_recorded_so_the_next_run_tries_again(lapsing, mailoutbox):
    assert approval_lapse_warnings_send(now=run_on(UNTIL - timedelta(days=10))) == 0
    assert not ApprovalReminder.objects.exists()


@pytest.mark.django_db
def test_a_failed_send_is_tried_again_next_run(lapsing, ce_staff, mail_server_down, mailoutbox):
    with pytest.raises(ConnectionRefusedError):
        approval_lapse_warnings_send(now=run_on(UNTIL - timedelta(days=10)))
    assert not ApprovalReminder.objects.exists()
    mail_server_down.undo()
    assert approval_lapse_warnings_send(now=run_on(UNTIL - timedelta(days=9))) == 1


@pytest.mark.django_db
def test_the_task_is_scheduled_and_runs_the_service(lapsing, ce_staff, mailoutbox, settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["ce-approval-lapse-warnings"]
    assert schedule["task"] == "continuing_education.tasks.approval_lapse_warnings_task"
    assert tasks.approval_lapse_warnings_task.name == schedule["task"]
    assert tasks.approval_lapse_warnings_task.apply().get() == 0  # today, far from this approval's end
    assert not warnings(mailoutbox)


# serialized_rollback: the flush after a transactional test would otherwise take the
# migrations' page tree and groups away from the tests that run after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_runs_at_the_same_moment_send_one_warning_per_threshold(body, ce_staff, mailoutbox):
    approvals = [
        Approval.objects.create(body=body, provider_number=f"P-{i}", statement="s", approved_from=UNTIL - timedelta(days=700), approved_until=UNTIL)
        for i in range(4)
    ]
    results, errors = run_together(4, lambda _: approval_lapse_warnings_send(now=run_on(UNTIL - timedelta(days=30))))
    assert errors == []
    assert sum(results) == 4  # shared out between the runs, never doubled
    assert sorted(m.subject.split()[-5] for m in warnings(mailoutbox)) == sorted(a.provider_number for a in approvals)
    assert ApprovalReminder.objects.filter(days_before=30).count() == 4
    # And run again afterwards: nothing more.
    assert approval_lapse_warnings_send(now=run_on(UNTIL - timedelta(days=30))) == 0
