import pytest
from django.utils import timezone

from certification.codes import new_code
from certification.models import Certificate, Programme
from tests.factories import UserFactory

from .slips import new_meeting


@pytest.fixture
def facilitator(db):
    return UserFactory(certificate_name="Sam Rivera")


@pytest.fixture
def programme(db):
    return Programme.objects.create(
        title="Meeting Facilitator", slug="meeting-facilitator", validity_months=24,
        signatory_name="Amara Osei", signatory_title="Training lead",
    )


@pytest.fixture
def certificate(facilitator, programme):
    now = timezone.now()
    return Certificate.objects.create(
        code=new_code(), holder=facilitator, programme=programme, holder_name="Sam Rivera",
        issued_at=now - timezone.timedelta(days=400), expires_at=now + timezone.timedelta(days=330),
    )


@pytest.fixture
def meeting(facilitator):
    return new_meeting(facilitator)
