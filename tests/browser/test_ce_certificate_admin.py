"""CE staff revoke a CE certificate in the Wagtail admin, in a real browser, on a desktop
and on a 375 px phone: from the listing to the inspect page, the revoke page (with its
errors first) and back to the history. The listing, the revoke page and the inspect page
pass axe-core."""
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from certification import codes
from continuing_education.models import AccreditingBody, Approval, CECertificate, CourseApproval, ProfessionalLicence
from continuing_education.services.staff import certificate_figures
from tests.factories import UserFactory, build_course, enrolled_learner
from tests.marks import BROWSER

from .helpers import DESKTOP, PHONE_375, assert_no_horizontal_scroll, assert_page_healthy, check_axe, screenshot, sign_in

pytestmark = BROWSER


def ce_certificate() -> CECertificate:
    course = build_course(title="Meeting Facilitator Training", modules=1, lessons_per_module=1)
    body = AccreditingBody.objects.create(name="National Association for Addiction Professionals", short_name="NAADAC")
    today = timezone.localdate()
    approval = Approval.objects.create(
        body=body, provider_number="DEMO-123", statement="Approved as an education provider (demo).",
        approved_from=today - timezone.timedelta(days=30), approved_until=today + timezone.timedelta(days=600),
    )
    CourseApproval.objects.create(approval=approval, course=course, hours=Decimal("1"))
    holder = enrolled_learner(course, certificate_name="Noor Haddad")
    licence = ProfessionalLicence.objects.create(
        user=holder, profession="social_worker", issuing_board="Board of Social Work", region="Ontario", licence_number="SW-77",
    )
    now = timezone.now()
    figures = certificate_figures(
        user=holder, course=course, approval=approval, licence=licence, hours=Decimal("1"), completed_at=now, issued_at=now,
        time_on_task_seconds=3600,
    )
    certificate = CECertificate.objects.create(code=codes.new_code(), **figures)
    certificate.events.create(kind="issued", at=now, detail={"hours": "1"})
    return certificate


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_375], ids=["desktop", "phone"])
def test_ce_staff_revoke_a_ce_certificate(page, live_server, viewport):
    certificate = ce_certificate()
    staff = UserFactory(email="sam.staff@example.org")
    staff.groups.add(Group.objects.get(name="CE staff"))
    page.set_viewport_size(viewport)
    label = "phone" if viewport is PHONE_375 else "desktop"

    sign_in(page, staff.email, next_url="/admin/ce-certificates/")
    # Again without the "signed in" message, which axe may catch halfway through fading in.
    page.reload()
    expect(page.get_by_role("link", name=certificate.display_code)).to_be_visible()
    check_axe(page, f"CE certificates listing ({label})")
    page.get_by_role("link", name=certificate.display_code).click()
    expect(page).to_have_url(re.compile(rf"/admin/ce-certificates/inspect/{certificate.pk}/$"))
    expect(page.get_by_role("main")).to_contain_text("SW-77")

    page.get_by_role("link", name="Revoke").first.click()
    expect(page).to_have_url(re.compile(rf"/admin/ce-certificates/revoke/{certificate.pk}/$"))
    page.get_by_role("button", name=re.compile("^Revoke CE certificate")).click()  # empty: errors, nothing changes
    expect(page.get_by_text("Choose a reason for revoking.")).to_be_visible()
    check_axe(page, f"revoke page with errors ({label})")
    assert_no_horizontal_scroll(page, f"The CE revoke page ({label})")
    screenshot(page, f"ce-certificate-revoke-{label}")
    assert CECertificate.objects.get(pk=certificate.pk).revoked_at is None

    page.get_by_label("Reason").select_option("error")
    page.get_by_label("Note").fill("Issued to the wrong learner.")
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name=re.compile("^Revoke CE certificate")).click()
    expect(page.get_by_text(re.compile("is revoked"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Reason: Issued in error. Note: Issued to the wrong learner.")
    expect(page.get_by_role("link", name="Reinstate")).to_be_visible()
    # Wagtail fades the "revoked" message in: axe reads colours mid-fade as too faint, so it
    # checks the page once the message is shown and every transition has finished.
    page.wait_for_function(
        "() => { const li = document.querySelector('.messages li.success');"
        " if (!li) return false;"
        " const box = li.closest('[data-controller~=\\'w-messages\\']') || li;"
        " return box.getAnimations({subtree: true}).every(a => a.playState !== 'running')"
        " && getComputedStyle(li).opacity === '1'; }"
    )
    check_axe(page, f"CE certificate inspect page, revoked ({label})")
    fresh = CECertificate.objects.get(pk=certificate.pk)
    assert fresh.status() == "revoked" and fresh.revoked_by == staff and fresh.revocation_reason == "error"
    assert_page_healthy(page)
