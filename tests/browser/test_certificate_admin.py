"""Staff revoke a certificate and reinstate it in the Wagtail admin, in a real browser,
on a desktop and on a 375 px phone; the revoke and reinstate pages pass axe-core.
Afterwards the public verification page says "Valid" again.
"""
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from certification import services
from certification.models import Certificate, Programme
from tests.factories import UserFactory
from tests.marks import BROWSER

from .helpers import (
    DESKTOP, PHONE_375, assert_no_horizontal_scroll, assert_page_healthy, check_axe, screenshot, sign_in,
)

pytestmark = BROWSER


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_375], ids=["desktop", "phone"])
def test_staff_revoke_then_reinstate_a_certificate(page, live_server, viewport):
    programme = Programme.objects.create(title="Meeting Facilitator", slug="meeting-facilitator", validity_months=24)
    holder = UserFactory(certificate_name="Noor Haddad")
    certificate, _ = services.certificate_issue(user=holder, programme=programme, period=1, now=timezone.now())
    staff = UserFactory(email="sam.staff@example.org")
    staff.groups.add(Group.objects.get(name="Certification staff"))
    page.set_viewport_size(viewport)
    label = "phone" if viewport is PHONE_375 else "desktop"

    sign_in(page, staff.email, next_url=f"/admin/certificates/inspect/{certificate.pk}/")
    page.get_by_role("link", name="Revoke").first.click()
    expect(page).to_have_url(re.compile(rf"/admin/certificates/revoke/{certificate.pk}/$"))
    check_axe(page, f"revoke page ({label})")
    assert_no_horizontal_scroll(page, f"The revoke page ({label})")
    page.get_by_label("Reason").select_option("error")
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name=re.compile("^Revoke certificate")).click()
    expect(page.get_by_text(re.compile("is revoked"))).to_be_visible()

    page.get_by_role("link", name="Reinstate").first.click()
    expect(page).to_have_url(re.compile(rf"/admin/certificates/reinstate/{certificate.pk}/$"))
    page.get_by_role("button", name=re.compile("^Reinstate certificate")).click()  # empty: errors, nothing changes
    expect(page.get_by_text("Say why the certificate is reinstated.")).to_be_visible()
    check_axe(page, f"reinstate page with errors ({label})")
    assert_no_horizontal_scroll(page, f"The reinstate page ({label})")
    screenshot(page, f"certificate-reinstate-{label}")
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is not None

    page.get_by_label("Why is the certificate reinstated?").fill("Revoked the wrong certificate.")
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name=re.compile("^Reinstate certificate")).click()
    expect(page.get_by_text(re.compile("is reinstated"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Revoked the wrong certificate.")  # the history
    assert Certificate.objects.get(pk=certificate.pk).status() == "valid"

    page.goto(f"/certificates/verify/{certificate.code}/")
    expect(page.get_by_role("status")).to_contain_text("Valid")
    assert_page_healthy(page)
