"""Staff see counts of slips (per month, meeting kind, region; CSV) and edit the slip
settings with the group's permission; nothing else about slips."""
from datetime import date

import pytest
from django.contrib.auth.models import Group

from attendance.models import AttendancePolicy, Meeting, SlipCount
from tests.factories import UserFactory

from .slips import make_slip, new_meeting

COUNTS = "/admin/attendance/"
POLICY = "/admin/attendance/settings/"


@pytest.fixture
def staff(db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Attendance staff"))
    return user


@pytest.fixture
def counted(meeting, certificate, facilitator):
    online = new_meeting(facilitator, kind=Meeting.Kind.FAMILY_FRIENDS, mode="online", town="", country="")
    make_slip(meeting=meeting, certificate=certificate, name="Ana Pérez", day=date(2026, 10, 7))
    make_slip(meeting=meeting, certificate=certificate, name="Luis Gómez", day=date(2026, 10, 14))
    return make_slip(meeting=online, certificate=certificate, name="Ana Pérez", day=date(2026, 11, 4))


def test_staff_see_counts_and_only_counts(client, staff, counted):
    client.force_login(staff)
    page = client.get(COUNTS).content.decode()
    assert "October 2026" in page and "November 2026" in page
    assert "4-Point meeting" in page and "Family &amp; Friends meeting" in page and "Mexico" in page
    for never in ("Ana", "Pérez", counted.code, counted.name_hash, "Sam R."):
        assert never not in page


def test_the_counts_as_csv(client, staff, counted):
    client.force_login(staff)
    response = client.get(COUNTS + "?export=csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "Month,Kind of meeting,Country,Slips"
    assert lines[1:] == ["2026-11,Family & Friends meeting,,1", "2026-10,4-Point meeting,Mexico,2"]


def test_the_counts_outlive_the_slips(client, staff, counted):
    counted.__class__.objects.all().delete()
    assert sum(SlipCount.objects.values_list("slips", flat=True)) == 3


def test_staff_change_the_settings_within_bounds(client, staff):
    client.force_login(staff)
    assert client.post(POLICY, {"retention_months": 6, "request_window_minutes": 30}).status_code == 302
    assert (AttendancePolicy.current().retention_months, AttendancePolicy.current().request_window_minutes) == (6, 30)
    refused = client.post(POLICY, {"retention_months": 0, "request_window_minutes": 30})
    assert refused.status_code == 200 and AttendancePolicy.current().retention_months == 6


def test_others_see_nothing(client, db, counted):
    other = UserFactory(is_staff=True)  # in the admin, without the group
    client.force_login(other)
    assert client.get(COUNTS).status_code in (302, 403)
    assert client.get(COUNTS + "?export=csv").status_code in (302, 403)
    assert client.post(POLICY, {"retention_months": 1, "request_window_minutes": 5}).status_code in (302, 403)
    assert AttendancePolicy.current().retention_months == 12


def test_counts_only_staff_cannot_change_the_settings(client, staff):
    group = Group.objects.create(name="Reports")
    group.permissions.set(Group.objects.get(name="Attendance staff").permissions.exclude(codename="change_attendancepolicy"))
    reader = UserFactory()
    reader.groups.add(group)
    client.force_login(reader)
    assert client.get(COUNTS).status_code == 200
    assert client.post(POLICY, {"retention_months": 1, "request_window_minutes": 5}).status_code in (302, 403)
