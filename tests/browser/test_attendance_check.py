"""An officer checks an attendance slip on a phone, in Spanish: the name typed naturally
(no capitals, no accents) matches; a wrong name says only that no slip matches. axe-core
(WCAG 2.2 AA) on the form, the match and the miss; nothing scrolls sideways at 375 px."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certification.codes import display, new_code
from certification.models import Certificate, Programme
from tests.attendance.check.slips import make_slip, new_meeting
from tests.factories import UserFactory
from tests.marks import BROWSER

from .helpers import PHONE_375, assert_no_horizontal_scroll, check_axe

pytestmark = BROWSER


@pytest.fixture
def slip(transactional_db):
    facilitator = UserFactory(certificate_name="Sam Rivera")
    programme = Programme.objects.create(
        title="Meeting Facilitator", slug="meeting-facilitator", validity_months=24,
        signatory_name="Amara Osei", signatory_title="Training lead",
    )
    now = timezone.now()
    certificate = Certificate.objects.create(
        code=new_code(), holder=facilitator, programme=programme, holder_name="Sam Rivera",
        issued_at=now - timedelta(days=300), expires_at=now + timedelta(days=400),
    )
    meeting = new_meeting(facilitator)
    return make_slip(meeting=meeting, certificate=certificate, name="María José Núñez", day=timezone.localdate() - timedelta(days=3))


def test_an_officer_checks_a_slip_on_a_phone(another_browser, slip):
    page = another_browser(viewport=PHONE_375)
    page.goto("/es/attendance/check/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Comprobar un justificante de asistencia")
    assert_no_horizontal_scroll(page, "slip check form (375 px)")
    check_axe(page, "slip check form (375 px)")

    page.get_by_label("Código del justificante").fill(display(slip.code).lower())
    page.get_by_label("Nombre en el justificante").fill("maria jose nunez")
    page.get_by_role("button", name="Comprobar").click()
    result = page.get_by_role("status")
    expect(result).to_contain_text("Este justificante coincide")
    expect(result).to_contain_text("Reunión de 4 Puntos")
    expect(result).to_contain_text("America/Mexico_City")
    expect(result).to_contain_text("Vigente")
    assert_no_horizontal_scroll(page, "slip check, a match (375 px)")
    check_axe(page, "slip check, a match (375 px)")

    page.get_by_label("Código del justificante").fill(slip.code)
    page.get_by_label("Nombre en el justificante").fill("Otra Persona")
    page.get_by_role("button", name="Comprobar").click()
    expect(page.get_by_role("alert")).to_contain_text("Ningún justificante coincide")
    expect(page.get_by_label("Nombre en el justificante")).to_have_value("")  # never echoed back
    check_axe(page, "slip check, no match (375 px)")
