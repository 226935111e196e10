from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from attendance.models import Meeting
from certification import codes as certificate_codes
from certification.models import Certificate, Programme
from tests.factories import UserFactory


def certificate_for(user, *, expires_in_days=365, revoked=False):
    programme, _ = Programme.objects.get_or_create(slug="meeting-facilitator", defaults={"title": "Meeting Facilitator"})
    now = timezone.now()
    return Certificate.objects.create(
        code=certificate_codes.new_code(), holder=user, programme=programme, holder_name=user.certificate_name,
        issued_at=now - timezone.timedelta(days=400), expires_at=now + timezone.timedelta(days=expires_in_days),
        revoked_at=now - timezone.timedelta(days=1) if revoked else None, revocation_reason="conduct" if revoked else "",
    )


def midday_zone():
    """A zone where it is about noon now, so a meeting around now never crosses midnight."""
    offset = 12 - timezone.now().hour  # -11 .. 12
    name = "Etc/GMT" + ("-" if offset > 0 else "+") + str(abs(offset)) if offset else "UTC"
    return ZoneInfo(name), name


def meeting_for(user, **kwargs):
    """A meeting running right now (an hour ago to an hour ahead), in a zone where it is noon."""
    zone, name = midday_zone()
    local = timezone.now().astimezone(zone)
    defaults = {
        "kind": Meeting.Kind.FOUR_POINT, "mode": Meeting.Mode.ONLINE, "weekday": local.weekday(),
        "starts_at": (local - timezone.timedelta(hours=1)).time().replace(second=0, microsecond=0),
        "ends_at": (local + timezone.timedelta(hours=1)).time().replace(second=0, microsecond=0),
        "time_zone": name, "country": "ES", "facilitator_display_name": "Sam R.",
    }
    defaults.update(kwargs)
    return Meeting.objects.create(facilitator=user, **defaults)


@pytest.fixture
def facilitator(db):
    user = UserFactory(certificate_name="Sam Rivera")
    certificate_for(user)
    return user


@pytest.fixture
def meeting(facilitator):
    return meeting_for(facilitator)
