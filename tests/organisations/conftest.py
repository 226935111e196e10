"""Fixtures for the organisation tests (builders are in ``support.py``)."""
from decimal import Decimal

import pytest

from tests.factories import UserFactory, build_course

from .support import build_world, make_org


@pytest.fixture
def world(catalogue, settings):
    return build_world(settings)


@pytest.fixture
def as_owner(client, world):
    client.force_login(world.owner)
    return client


@pytest.fixture
def owner():
    return UserFactory(email="manager@riverside.example", certificate_name="Morgan Ellis")


@pytest.fixture
def org(owner):
    return make_org(owner)


@pytest.fixture
def course(catalogue):
    return build_course(title="Meeting Facilitation", price=Decimal("40.00"))


@pytest.fixture
def stripe_configured(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_configured"
