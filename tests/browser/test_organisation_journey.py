"""An organisation's journey in a real browser: a manager buys three seats
(through localstripe), invites three people, one accepts and completes a lesson, and the
dashboard shows it.

1. A signed-in professional creates an organisation through the form and becomes its owner.
2. On the Seats page they buy 3 places on a paid course ($40.00 each). Stripe is
   emulated as in ``test_payment_journey``: the Checkout shim answers Checkout Session
   creation, the hosted Stripe page is a stub, the order's PaymentIntent ($120.00) is
   paid in localstripe, and the manager comes back through the success URL to "3 places
   added"; the pool holds 3 and the receipt says 3 places.
3. They paste a list of four lines (one of them not an address): the preview names the
   bad line and why, and sends the three others; three invitations exist and three
   emails went out (Celery runs eagerly into the locmem outbox).
4. One invited person opens the emailed link in a browser of their own, reads what the
   employer will see, signs in, accepts, lands on the course and completes its first lesson.
5. The manager's dashboard shows them enrolled at the course's percentage for one lesson
   of three, the other two as invited, and the CSV export says the same.

axe-core (WCAG 2.2 AA) runs on each page of the journey; the invitation page and the
dashboard are checked at a phone's width too. Runs against ``live_server`` (transactional
database; see test_learner_journey.py).
"""
import csv
import io
import re
from decimal import Decimal

from playwright.sync_api import expect

from courses.models import Enrollment
from courses.selectors import progress_percent
from organisations.models import Invitation, Membership, Organisation, Seat, SeatPool
from payments.models import Order
from tests.factories import UserFactory, build_course, lessons_of
from tests.marks import BROWSER
from tests.payments.conftest import checkout_shim, localstripe, stripe_api  # noqa: F401  (fixtures)
from tests.payments.helpers import minor, pay_in_localstripe

from .helpers import assert_page_healthy, check_axe, check_on_phone, fill_sign_in, screenshot, sign_in

pytestmark = BROWSER

COURSE = "Facilitator Training"
ORG = "Riverside Recovery Centre"
# A long address (as many work addresses are): it must wrap, not push the page sideways.
SAM = "samantha.okafor.jones@riversiderecoverycentre.example"
STRIPE_PAGE = re.compile(r"^https://checkout\.stripe\.com/c/pay/cs_test_")
INVITATION_LINK = re.compile(r"https?://\S+/organisations/invitations/[^/\s]+/")
PEOPLE = "\n".join([
    f"Sam Jones <{SAM}>",
    "priya@riverside.example, Priya Shah",
    "not-an-email",
    "Tom Okafor <tom@riverside.example>",
])


def test_manager_buys_seats_invites_staff_and_follows_their_progress(
    page, another_browser, live_server, checkout_shim, stripe_api, settings, mailoutbox,  # noqa: F811
):
    # The site's address, for Stripe's return URLs and for the links in the invitations.
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    course = build_course(title=COURSE, price=Decimal("40.00"), modules=1, lessons_per_module=3)
    lessons = lessons_of(course)
    manager = UserFactory(email="lena@riverside.example", certificate_name="Lena Mensah")
    page.route(STRIPE_PAGE, lambda route: route.fulfill(
        status=200, content_type="text/html",
        body="<!doctype html><html lang='en'><title>Stripe Checkout (stub)</title><h1>Stripe Checkout</h1></html>",
    ))

    # --- 1. The manager creates the organisation ---------------------------------------------
    sign_in(page, manager.email, next_url="/organisations/")
    expect(page.get_by_role("heading", level=1, name="Your organisations")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Create an organisation").click()
    expect(page).to_have_url(live_server.url + "/organisations/new/")
    expect(page.get_by_role("heading", level=1, name="Create an organisation")).to_be_visible()
    form = page.get_by_role("main")
    expect(form.get_by_role("textbox", name=re.compile("^Billing email"))).to_have_value(manager.email)
    check_axe(page, "organisation create page")
    screenshot(page, "organisation-create")

    form.get_by_role("textbox", name=re.compile("^Name of the organisation")).fill(ORG)
    form.get_by_role("combobox", name=re.compile("^Kind of organisation")).select_option(
        label="Treatment or rehabilitation service"
    )
    form.get_by_role("combobox", name=re.compile("^Country")).select_option(value="GB")
    form.get_by_role("textbox", name=re.compile("^Billing email")).fill("accounts@riverside.example")
    form.get_by_role("button", name="Create the organisation").click()

    org = Organisation.objects.get()
    expect(page).to_have_url(f"{live_server.url}/organisations/{org.pk}/")
    expect(page.locator(".messages")).to_contain_text(f"{ORG} is set up and you are its owner.")
    assert (org.name, org.kind, str(org.country), org.billing_email) == (
        ORG, "treatment", "GB", "accounts@riverside.example",
    )
    assert Membership.objects.get(organisation=org, user=manager).role == Membership.Role.OWNER
    org_nav = page.get_by_role("navigation", name=ORG)

    # --- 2. Three seats through Stripe Checkout (localstripe) ------------------------------------
    org_nav.get_by_role("link", name="Seats").click()
    expect(page.get_by_role("heading", level=1, name=f"{ORG}: seats")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Your organisation has no places on a course yet.")
    expect(main).not_to_contain_text("Online payment is not set up")
    check_axe(page, "seats page (no places yet)")
    screenshot(page, "organisation-seats-empty")

    main.get_by_role("combobox", name=re.compile("^Course")).select_option(label=f"{COURSE} ($40.00 a place)")
    main.get_by_role("spinbutton", name=re.compile("^Number of places")).fill("3")
    main.get_by_role("button", name="Continue to payment").click()
    expect(page).to_have_url(STRIPE_PAGE)

    order = Order.objects.get(purpose=Order.Purpose.SEATS)
    assert (order.status, order.quantity, order.unit_amount, order.total_amount, order.email, order.user) == (
        Order.Status.PENDING, 3, Decimal("40.00"), Decimal("120.00"), "accounts@riverside.example", manager,
    )
    [session] = checkout_shim.sessions_by_id.values()
    [request] = checkout_shim.sessions()
    assert request["form"]["line_items[0][quantity]"] == ["3"]
    assert request["form"]["line_items[0][price_data][unit_amount]"] == ["4000"]
    assert page.url == session["url"]
    success_url = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])
    assert success_url.startswith(live_server.url)

    # Pay as Stripe's Checkout would: the order's PaymentIntent, in localstripe ($120.00).
    intent = pay_in_localstripe(stripe_api, order)
    assert (intent.amount, intent.currency, intent.status) == (12000, "usd", "succeeded") and minor(order) == 12000
    # Stripe's Checkout would have told us the PaymentIntent; localstripe has no sessions.
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id=intent.id, last_checked_at=None)
    page.goto(success_url)

    expect(page).to_have_url(re.compile(rf"/organisations/{org.pk}/seats/orders/{order.pk}/"))
    expect(page.get_by_role("heading", level=1, name=f"Your order for 3 places on {COURSE}")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(f"Paid: 3 places added to {COURSE}.")
    expect(page.get_by_role("main")).to_contain_text("Your organisation now has 3 free places on this course.")
    check_axe(page, "seat order page (paid)")
    screenshot(page, "organisation-seat-order-paid")
    order.refresh_from_db()
    assert (order.status, order.amount_paid) == (Order.Status.PAID, Decimal("120.00"))
    assert SeatPool.objects.get(organisation=org, course=course).total == 3

    page.get_by_role("link", name="See the receipt").click()
    expect(page.get_by_role("heading", level=1, name=f"Receipt {order.reference}")).to_be_visible()
    receipt = page.get_by_role("main")
    expect(receipt).to_contain_text(f"{COURSE}: 3 places × $40.00")
    expect(receipt.get_by_role("row", name=re.compile("Total paid"))).to_contain_text("$120.00")
    expect(receipt).to_contain_text(intent.id)
    check_axe(page, "receipt (seat order)")
    receipts = [m for m in mailoutbox if "3 places × $40.00" in m.body]
    assert [m.to for m in receipts] == [["accounts@riverside.example", manager.email]], (
        [(m.to, m.subject) for m in mailoutbox]
    )

    # The seats page counts them, and its history links the receipt.
    page.goto(f"/organisations/{org.pk}/seats/")
    pools = page.get_by_role("table", name="Places your organisation holds on each course")
    expect(pools.get_by_role("row", name=re.compile(COURSE))).to_have_text(re.compile(rf"{COURSE}\s*3\s*0\s*3\s*0"))
    history = page.get_by_role("table", name="Places added and removed, newest first")
    expect(history.get_by_role("link", name=f"Receipt {order.reference}")).to_be_visible()
    check_axe(page, "seats page (3 places)")
    screenshot(page, "organisation-seats")

    # --- 3. Invite three people with a pasted list (and one bad line) ---------------------------
    page.get_by_role("navigation", name=ORG).get_by_role("link", name="Invitations and managers").click()
    expect(page.get_by_role("heading", level=1, name=f"{ORG}: invitations and managers")).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_role("radio", name="Staff: a place on a course")).to_be_checked()
    check_axe(page, "invitations page")
    main.get_by_role("combobox", name=re.compile("^Course")).select_option(label=COURSE)
    main.get_by_role("textbox", name="Email addresses, one person per line").fill(PEOPLE)
    main.get_by_role("button", name="Check who will be invited").click()

    expect(page.get_by_role("heading", level=1, name="Check who will be invited")).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=2, name="1 row cannot be invited")).to_be_visible()
    bad = main.get_by_role("table", name="Rows that will not be sent, and why")
    bad_row = bad.get_by_role("row", name=re.compile("^3"))
    expect(bad_row).to_contain_text("not-an-email")
    expect(bad_row).to_contain_text("“not-an-email” is not an email address.")
    expect(main.get_by_role("heading", level=2, name="3 people will be invited")).to_be_visible()
    expect(main.locator("#places-note")).to_contain_text("You have 3 free places")
    expect(main.locator("#places-note")).to_contain_text("There is a place for each of them.")
    good = main.get_by_role("table", name="Untick anyone you do not want to invite")
    for email in (SAM, "priya@riverside.example", "tom@riverside.example"):
        expect(good.get_by_role("checkbox", name=f"Invite {email}")).to_be_checked()
    expect(good.get_by_role("row", name=re.compile("priya@riverside.example"))).to_contain_text("Priya Shah")
    assert not Invitation.objects.exists(), "the preview must not invite anyone"
    check_axe(page, "invitation preview")
    screenshot(page, "organisation-invitation-preview")

    main.get_by_role("button", name="Send 3 invitations").click()
    expect(page.get_by_role("heading", level=1, name=f"{ORG}: invitations and managers")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("3 invitations sent. Each link works for")
    invitations = {i.email: i for i in Invitation.objects.filter(organisation=org)}
    assert sorted(invitations) == ["priya@riverside.example", SAM, "tom@riverside.example"]
    assert {i.status for i in invitations.values()} == {Invitation.Status.PENDING}
    assert {i.course_id for i in invitations.values()} == {course.pk}
    assert all(i.sent_at for i in invitations.values())
    sent = [m for m in mailoutbox if m.subject == f"{ORG} has a place for you on “{COURSE}”"]
    assert sorted(address for m in sent for address in m.to) == sorted(invitations), (
        [(m.to, m.subject) for m in mailoutbox]
    )
    pending = page.get_by_role("table", name="Invitations not yet accepted")
    for email in invitations:
        expect(pending.get_by_role("row", name=re.compile(re.escape(email)))).to_contain_text(COURSE)
    check_axe(page, "invitations page (3 waiting)")

    # --- 4. Sam opens the emailed link in a browser of their own, signs in and accepts ----------
    [to_sam] = [m for m in sent if m.to == [SAM]]
    assert "Hello Sam Jones," in to_sam.body
    match = INVITATION_LINK.search(to_sam.body)
    assert match and match.group(0).startswith(live_server.url), f"no invitation link in the email:\n{to_sam.body}"
    sam = UserFactory(email=SAM, certificate_name="Sam Jones")
    staff = another_browser()
    staff.goto(match.group(0))
    expect(staff.get_by_role("heading", level=1, name=f"{ORG} has a place for you")).to_be_visible()
    main = staff.get_by_role("main")
    expect(main).to_contain_text(COURSE)
    expect(main).to_contain_text(manager.get_full_name() or manager.email)  # invited by
    sees = main.get_by_role("region", name=f"What {ORG} will see")
    expect(sees).to_contain_text("how far through it you are, as a percentage")
    expect(sees).to_contain_text("your written answers, or your answers to any question")
    expect(main.get_by_role("heading", level=2, name="What it will never see")).to_be_visible()
    expect(main.get_by_role("button", name=re.compile("^Accept"))).to_have_count(0)
    check_axe(staff, "invitation page (signed out)")
    check_on_phone(staff, "the invitation page on a phone", "organisation-invitation-phone")

    main.get_by_role("link", name="Sign in", exact=True).click()
    expect(staff).to_have_url(re.compile(r"/accounts/login/\?next="))
    fill_sign_in(staff, sam.email)
    expect(staff).to_have_url(match.group(0))
    accept = staff.get_by_role("button", name=f"Accept and join {ORG}")
    expect(accept).to_be_visible()
    expect(staff.locator("#other-address")).to_have_count(0)  # signed in with the invited address
    check_axe(staff, "invitation page (signed in)")
    screenshot(staff, "organisation-invitation-signed-in")
    accept.click()

    expect(staff).to_have_url(live_server.url + course.url)
    expect(staff.locator(".messages")).to_contain_text(
        f"You have joined {ORG} and your place on {COURSE} is ready."
    )
    enrollment = Enrollment.objects.get(user=sam, course=course)
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert Seat.objects.get(pool__organisation=org, user=sam, released_at__isnull=True)
    assert Invitation.objects.get(email=SAM).status == Invitation.Status.ACCEPTED

    staff.get_by_role("link", name="Start the course").click()
    expect(staff).to_have_url(live_server.url + lessons[0].url)
    expect(staff.get_by_role("heading", level=1, name=lessons[0].title)).to_be_visible()
    staff.get_by_role("button", name="Mark complete and continue").click()
    expect(staff).to_have_url(live_server.url + lessons[1].url)
    expect(staff.locator(".messages")).to_contain_text(f"“{lessons[0].title}” is complete.")
    assert_page_healthy(staff)

    percent = progress_percent(1, len(lessons))
    assert (len(lessons), percent) == (3, 33)
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == percent

    # --- 5. The manager's dashboard shows it ------------------------------------------------------
    page.get_by_role("navigation", name=ORG).get_by_role("link", name="Staff progress").click()
    expect(page).to_have_url(f"{live_server.url}/organisations/{org.pk}/")
    expect(page.get_by_role("heading", level=1, name=f"{ORG}: staff progress")).to_be_visible()
    for label, count in (("Invited", "2"), ("Enrolled", "1"), ("Completed", "0")):
        term = page.locator("dl.summary dt", has_text=re.compile(rf"^{label}$"))
        expect(term.locator("xpath=following-sibling::dd[1]")).to_have_text(count)
    staff_table = page.get_by_role("table", name="Staff progress by course")
    expect(staff_table.locator("tbody tr")).to_have_count(3)
    sam_row = staff_table.get_by_role("row", name=re.compile("Sam Jones"))
    expect(sam_row).to_contain_text(SAM)
    expect(sam_row).to_contain_text(COURSE)
    expect(sam_row).to_contain_text("In progress")
    expect(sam_row).to_contain_text(f"{percent}% complete")
    expect(sam_row.get_by_role("progressbar")).to_have_attribute("value", str(percent))
    for email in ("priya@riverside.example", "tom@riverside.example"):
        row = staff_table.get_by_role("row", name=re.compile(re.escape(email)))
        expect(row).to_contain_text("Invited")
        expect(row).to_contain_text("Not enrolled yet")
    check_axe(page, "manager's dashboard")
    screenshot(page, "organisation-dashboard")
    check_on_phone(page, "the manager's dashboard on a phone", "organisation-dashboard-phone")

    # The CSV export: the same three rows.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all rows as a spreadsheet (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("staff-progress-riverside-recovery-centre-")
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    by_email = {row["Email"]: row for row in rows}
    assert sorted(by_email) == ["priya@riverside.example", SAM, "tom@riverside.example"]
    sam_csv = by_email[SAM]
    assert (sam_csv["Name"], sam_csv["Course"], sam_csv["Status"], sam_csv["Progress %"]) == (
        "Sam Jones", COURSE, "In progress", str(percent),
    )
    assert sam_csv["Last activity"], "the completed lesson is Sam's last activity"
    for email in ("priya@riverside.example", "tom@riverside.example"):
        assert (by_email[email]["Status"], by_email[email]["Progress %"], by_email[email]["Course"]) == (
            "Invited", "", COURSE,
        )
    assert by_email["priya@riverside.example"]["Name"] == "Priya Shah"
    assert_page_healthy(page)
