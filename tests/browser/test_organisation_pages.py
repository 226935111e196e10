"""An organisation with more staff than one page holds, in a real browser: the Seats page
pages its holders and its history each on their own, the pagers are landmarks with names
of their own, and axe-core (WCAG 2.2 AA) finds nothing serious on either page, at a
desktop's and a phone's width. The dashboard uses the same pager. Runs against
``live_server`` (transactional database; see test_learner_journey.py)."""
import re
from decimal import Decimal

import pytest
from django.db import transaction
from playwright.sync_api import expect

from organisations import services
from organisations.models import Membership
from tests.factories import UserFactory, build_course

from .helpers import DESKTOP, PHONE, assert_no_horizontal_scroll, assert_page_healthy, check_axe, screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ORG = "Riverside Recovery Centre"


def test_seats_and_staff_are_shown_a_page_at_a_time(page, live_server):
    course = build_course(title="Facilitator Training", price=Decimal("40.00"), modules=1)
    owner = UserFactory(email="lena@riverside.example", certificate_name="Lena Mensah")
    org = services.organisation_create(
        user=owner, name=ORG, kind="treatment", country="GB", billing_email="accounts@riverside.example"
    )
    for i in range(60):  # 60 holders, 60 grants
        services.seats_grant(organisation_id=org.pk, course=course, quantity=1, by=None, note=f"Grant {i:03d}")
        user = UserFactory(email=f"holder{i:03d}@riverside.example")
        with transaction.atomic():
            services.membership_join(organisation_id=org.pk, user=user, role=Membership.Role.MEMBER)
            services.seat_take(organisation_id=org.pk, user=user, course=course)

    sign_in(page, owner.email, next_url=f"/organisations/{org.pk}/seats/")
    expect(page.get_by_role("heading", level=1, name=f"{ORG}: seats")).to_be_visible()
    held = page.get_by_role("navigation", name="Pages of staff holding a place")
    history = page.get_by_role("navigation", name="Pages of history")
    expect(held).to_contain_text("Page 1 of 2")
    expect(history).to_contain_text("Page 1 of 2")
    holders = page.get_by_role("table", name=re.compile("^Staff holding one of your places"))
    expect(holders.locator("tbody tr")).to_have_count(50)
    check_axe(page, "seats page (page 1 of each list)")
    screenshot(page, "organisation-seats-paged")

    held.get_by_role("link", name="Next page of staff holding a place").click()
    expect(page).to_have_url(re.compile(r"\?held_page=2#held$"))
    expect(holders.locator("tbody tr")).to_have_count(10)
    expect(page.get_by_role("navigation", name="Pages of staff holding a place")).to_contain_text("Page 2 of 2")
    expect(page.get_by_role("navigation", name="Pages of history")).to_contain_text("Page 1 of 2")

    page.get_by_role("navigation", name="Pages of history").get_by_role("link", name="Next page of history").click()
    expect(page).to_have_url(re.compile(r"\?held_page=2&history_page=2#history$"))
    expect(page.get_by_role("table", name=re.compile("^Places added and removed")).locator("tbody tr")).to_have_count(10)
    expect(holders.locator("tbody tr")).to_have_count(10)  # still the second page of holders
    check_axe(page, "seats page (page 2 of each list)")
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page, "the paged seats page on a phone")
    check_axe(page, "seats page (phone)")
    page.set_viewport_size(DESKTOP)

    # The dashboard's pager is the same include.
    page.get_by_role("navigation", name=ORG).get_by_role("link", name="Staff progress").click()
    staff = page.get_by_role("navigation", name="Pages of staff")
    expect(staff).to_contain_text("Page 1 of 2")
    staff.get_by_role("link", name="Next page of staff").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(page.get_by_role("table", name=re.compile("^Staff progress by course")).locator("tbody tr")).to_have_count(10)
    check_axe(page, "manager's dashboard (page 2)")
    assert_page_healthy(page)
