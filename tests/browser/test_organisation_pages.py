"""An organisation with more staff than one page holds, in a real browser: the Seats page
pages its holders and its history each on their own, the pagers are landmarks with names
of their own, and axe-core (WCAG 2.2 AA) finds nothing serious on either page, at a
desktop's and a phone's width. The dashboard uses the same pager. Runs against
``live_server`` (transactional database; see test_learner_journey.py)."""
import re
from decimal import Decimal

from django.db import transaction
from playwright.sync_api import expect

from organisations import services
from organisations.models import Membership
from tests.factories import UserFactory, build_course
from tests.marks import BROWSER

from .helpers import (
    PHONE, assert_no_horizontal_scroll, assert_page_healthy, check_axe, check_on_phone, screenshot, sign_in,
)

pytestmark = BROWSER

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
    check_on_phone(page, "the paged seats page on a phone")

    # The dashboard's pager is the same include.
    page.get_by_role("navigation", name=ORG).get_by_role("link", name="Staff progress").click()
    staff = page.get_by_role("navigation", name="Pages of staff")
    expect(staff).to_contain_text("Page 1 of 2")
    staff.get_by_role("link", name="Next page of staff").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(page.get_by_role("table", name=re.compile("^Staff progress by course")).locator("tbody tr")).to_have_count(10)
    check_axe(page, "manager's dashboard (page 2)")
    assert_page_healthy(page)


def test_on_a_phone_the_staff_table_scrolls_in_its_region_and_names_stay_in_view(page, live_server):
    """The audit: at 390 px the staff table is about 1,100 px wide inside a 356 px box.
    That is fine if a keyboard can reach and scroll the box and a screen reader hears its
    name; and while it scrolls, the person column stays in view and narrow enough to leave
    room for the figures scrolling past it."""
    course = build_course(title="Family & Friends Facilitator Training", price=Decimal("40.00"), modules=1)
    owner = UserFactory(email="lena@riverside.example", certificate_name="Lena Mensah")
    org = services.organisation_create(
        user=owner, name=ORG, kind="treatment", country="GB", billing_email="accounts@riverside.example"
    )
    services.seats_grant(organisation_id=org.pk, course=course, quantity=2, by=None, note="Invoice 2026-001")
    for email, name in (("samantha.jones-whitfield@riverside-recovery.example", "Samantha Jones-Whitfield"),
                        ("tom@riverside.example", "")):
        user = UserFactory(email=email, certificate_name=name)
        with transaction.atomic():
            services.membership_join(organisation_id=org.pk, user=user, role=Membership.Role.MEMBER)
            services.seat_take(organisation_id=org.pk, user=user, course=course)
    page.set_viewport_size(PHONE)
    sign_in(page, owner.email, next_url=f"/organisations/{org.pk}/")

    region = page.get_by_role("region", name="Staff progress by course")
    expect(region).to_have_attribute("tabindex", "0")
    box = region.evaluate("el => ({client: el.clientWidth, scroll: el.scrollWidth})")
    assert box["scroll"] > box["client"]  # the table is wider than the phone: it scrolls in the box
    assert_no_horizontal_scroll(page, "the manager's dashboard on a phone")
    table = page.get_by_role("table", name=re.compile("^Staff progress by course"))
    sam = table.get_by_role("rowheader", name=re.compile("Samantha Jones-Whitfield"))
    before = sam.bounding_box()
    frame = region.bounding_box()
    assert before["width"] <= frame["width"] / 2, before  # room left for the other columns

    # Tab from the link before the table reaches the box itself.
    page.get_by_role("link", name=re.compile("^Download all rows")).focus()
    page.keyboard.press("Tab")
    expect(region).to_be_focused()
    for _ in range(12):
        page.keyboard.press("ArrowRight")
    # Scrolled by the keyboard (smoothly: wait until it has moved, then settled).
    page.wait_for_function("el => el.scrollLeft > 200", arg=region.element_handle())
    page.wait_for_function(
        """el => new Promise(done => { const at = el.scrollLeft;
                                       setTimeout(() => done(el.scrollLeft === at), 300); })""",
        arg=region.element_handle(),
    )
    after = sam.bounding_box()
    assert abs(after["x"] - before["x"]) < 1 and after["x"] >= frame["x"]  # still in view, where it was
    # Nothing scrolled over it: the name is what is drawn at its place.
    covered_by = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('th')?.textContent || ''",
        [after["x"] + 10, after["y"] + 10],
    )
    assert "Samantha Jones-Whitfield" in covered_by
    screenshot(page, "organisation-dashboard-phone-scrolled")
    check_axe(page, "manager's dashboard (phone, scrolled)")
    assert_page_healthy(page)
