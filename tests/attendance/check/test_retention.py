"""Slips are deleted once expired and meeting codes once their window closes; the counts stay."""
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from attendance.models import MeetingCode, Slip, SlipCount
from attendance.services import retention
from attendance.tasks import attendance_retention_task
from tests.concurrency import run_together

from .slips import make_slip

# Transactional like the other multi-connection tests: serialized_rollback puts back the
# migrations' rows (content types, the site, groups) that the flush at the end removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def code_for(meeting, ended_at, valid_until):
    return MeetingCode.objects.create(
        meeting=meeting, code=f"C{ended_at:%m%d}X", meeting_date=ended_at.date(),
        meeting_starts_at=ended_at - timedelta(minutes=90), meeting_ends_at=ended_at, valid_until=valid_until,
    )


@pytest.fixture
def population(meeting, certificate):
    today = timezone.localdate()
    old = make_slip(meeting=meeting, certificate=certificate, name="A", day=today - timedelta(days=400))
    Slip.objects.filter(pk=old.pk).update(expires_on=today - timedelta(days=1))
    last_day = make_slip(meeting=meeting, certificate=certificate, name="B", day=today - timedelta(days=380))
    Slip.objects.filter(pk=last_day.pk).update(expires_on=today)  # still checkable today
    fresh = make_slip(meeting=meeting, certificate=certificate, name="C", day=today - timedelta(days=2))
    now = timezone.now()
    spent = code_for(meeting, now - timedelta(days=1), now - timedelta(minutes=1))
    open_code = code_for(meeting, now - timedelta(minutes=10), now + timedelta(minutes=50))
    return {"old": old, "last_day": last_day, "fresh": fresh, "spent": spent, "open": open_code}


def test_the_nightly_task_deletes_what_has_expired_and_nothing_else(population):
    counted = SlipCount.objects.values_list("slips", flat=True)
    before = sum(counted)
    assert attendance_retention_task.delay().get() == {"slips": 1, "meeting_codes": 1}
    assert set(Slip.objects.values_list("pk", flat=True)) == {population["last_day"].pk, population["fresh"].pk}
    assert list(MeetingCode.objects.values_list("pk", flat=True)) == [population["open"].pk]
    assert sum(SlipCount.objects.values_list("slips", flat=True)) == before == 3  # counts name no one: kept
    assert attendance_retention_task.delay().get() == {"slips": 0, "meeting_codes": 0}  # twice: nothing more


def test_two_sweeps_at_once_delete_each_row_once(population):
    results, errors = run_together(3, lambda i: retention.attendance_retention_sweep())
    assert not errors
    assert sum(r["slips"] for r in results) == 1 and sum(r["meeting_codes"] for r in results) == 1
    assert Slip.objects.count() == 2 and MeetingCode.objects.count() == 1


def test_many_expired_slips_go_in_batches(meeting, certificate, monkeypatch):
    monkeypatch.setattr(retention, "BATCH", 2)
    today = timezone.localdate()
    for n in range(5):
        make_slip(meeting=meeting, certificate=certificate, name=f"N{n}", day=today - timedelta(days=400))
    Slip.objects.update(expires_on=today - timedelta(days=1))
    assert retention.expired_slips_delete(today=today) == 5 and not Slip.objects.exists()


def test_the_task_is_on_the_nightly_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["attendance-retention"]
    assert entry["task"] == attendance_retention_task.name
