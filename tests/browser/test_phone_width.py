"""Every page a learner, a manager and a visitor reach, on a 375 px phone, over the seeded
demo (its real courses, organisation and people): no page is wider than the screen.

A page fails when ``document.documentElement.scrollWidth`` exceeds ``clientWidth``; the
failure lists the elements that stick out past the screen's right edge (those not inside
a box that scrolls or clips them), so the fix can start from the message. All pages are
walked before failing, so one run lists every page that needs work.

The walk also does what the pages are for: a manager signing in without ``next`` lands on
their organisation's dashboard, the staff table says it scrolls sideways and shows a
shadow at the edge where more columns wait, buying seats without Stripe keys shows the
form and then says plainly why nothing was bought, and a visitor opening the invitation
is offered an account with the invited address filled in. axe-core (WCAG 2.2 AA) checks
the pages this workstream changed.
"""
import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from certification import services as certification
from certification.models import Programme
from continuing_education.demo import CE_CODE
from courses.assessment import services as quizzes
from courses.demo.progress import complete_items
from courses.models import CoursePage, Enrollment, LessonPage, QuizPage
from courses.outline import build_outline
from organisations import selectors as org_selectors
from organisations import services as org_services
from organisations.models import Invitation, Organisation
from payments import services as payments
from payments.models import Order
from tests.factories import answer_key
from tests.marks import BROWSER
from tests.organisations.support import pay, seat_order

from .helpers import PHONE_375, assert_page_healthy, check_axe, screenshot, sign_in

pytestmark = BROWSER

# Addresses like this one are real: the pages must wrap them, not widen.
LONG_EMAIL = "samantha.okafor.jones-whitfield@riversiderecoverycentre.example"

# What sticks out of the page: elements whose right edge passes the screen's and that
# are not inside a box that scrolls or clips (those are the page's own business). Only
# the outermost such element of each branch is named, with its size.
OVERFLOW = """() => {
  const doc = document.documentElement, width = doc.clientWidth;
  const contained = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const sticksOut = el => el.getBoundingClientRect().right > width + 0.5;
  const name = el => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    if (el.classList.length) text += '.' + [...el.classList].join('.');
    const words = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
    const box = el.getBoundingClientRect();
    return `${text} [${Math.round(box.left)}–${Math.round(box.right)} px] “${words}”`;
  };
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticksOut(el) || contained(el)) continue;
    const parent = el.parentElement;
    if (parent && parent !== document.body && sticksOut(parent)) continue;  // named with its parent
    offenders.push(name(el));
  }
  return {scroll: doc.scrollWidth, client: width, offenders: offenders.slice(0, 12)};
}"""


class Walk:
    """Visits pages at 375 px, noting each that is wider than the screen."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        self.seen: list[str] = []

    def check(self, label: str):
        self.page.wait_for_load_state("load")
        found = self.page.evaluate(OVERFLOW)
        self.seen.append(label)
        if found["scroll"] > found["client"]:
            lines = "\n".join(f"      {o}" for o in found["offenders"]) or "      (no single element: see the screenshot)"
            self.problems.append(
                f"- {label} ({self.page.url}): {found['scroll']} px wide on a {found['client']} px screen\n{lines}"
            )
            screenshot(self.page, "overflow-" + re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-"))

    def visit(self, url: str, label: str, *, status: int = 200):
        response = self.page.goto(url)
        assert response.status == status, f"{label}: {url} answered {response.status}"
        self.check(label)

    def assert_fits(self):
        assert not self.problems, (
            f"{len(self.problems)} of {len(self.seen)} pages are wider than a 375 px phone:\n" + "\n".join(self.problems)
        )


@pytest.fixture
def demo(settings):
    settings.STRIPE_SECRET_KEY = ""  # as in the demo: no card payments
    call_command("seed_demo", stdout=StringIO())
    courses = list(CoursePage.objects.live().order_by("pk"))
    free = next(c for c in courses if c.is_free)
    paid = next(c for c in courses if not c.is_free)
    return {
        "learner": User.objects.get(email="learner@example.org"),
        "manager": User.objects.get(email="manager@example.org"),
        "org": Organisation.objects.get(memberships__user__email="manager@example.org"),
        "free": free,
        "paid": paid,
    }


# A written answer long enough for any written question of the demo (150 characters at least).
WRITTEN = (
    "I would thank them for coming and for saying how hard tonight is, remind the group gently that we "
    "share experience rather than advice, and offer a quiet word after the meeting about where to find "
    "support tonight. " * 2
)


def lessons_and_quizzes(course):
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    quizzes_ = list(QuizPage.objects.live().descendant_of(course).order_by("path"))
    return lessons, quizzes_


def test_every_learner_manager_and_visitor_page_fits_a_375_px_phone(another_browser, live_server, demo, settings):
    learner, manager, org, free, paid = demo["learner"], demo["manager"], demo["org"], demo["free"], demo["paid"]
    base = live_server.url

    # --- a visitor ---------------------------------------------------------------------------
    visitor = another_browser(viewport=PHONE_375)
    walk = Walk(visitor)
    walk.visit("/", "home (visitor)")
    walk.visit("/courses/", "catalogue (visitor)")
    walk.visit(paid.url, "paid course page (visitor)")
    walk.visit("/about/", "about page")
    walk.visit("/certificates/verify/", "certificate lookup")
    walk.visit("/accounts/login/", "sign in")
    walk.visit("/accounts/signup/", "sign up")
    walk.visit("/accounts/password/reset/", "password reset")
    waiting = Invitation.objects.filter(organisation=org, status=Invitation.Status.PENDING).first()
    token = org_selectors.invitation_token(waiting)
    preview = org_selectors.invitation_preview(organisation=org, course=paid, text=LONG_EMAIL)
    [long_one] = org_services.invitations_create(organisation=org, by=manager, rows=preview.good, course=paid)
    long_token = org_selectors.invitation_token(long_one)
    walk.visit(f"/organisations/invitations/{long_token}/", "invitation to a long address (signed out)")
    walk.visit(f"/organisations/invitations/{token}/", "invitation (signed out)")
    expect(visitor.get_by_role("heading", name="Create your account to accept")).to_be_visible()
    check_axe(visitor, "invitation, signed out (375 px)")
    visitor.get_by_role("link", name="Create your account").click()
    expect(visitor.get_by_label(re.compile("^Email"))).to_have_value(waiting.email)  # filled in
    walk.check("sign up from the invitation")
    # The link proved the address: the account needs no confirmation email, and the
    # person comes straight back, signed in, to accept.
    visitor.get_by_label(re.compile("^Your name")).fill("Daniel Reyes")
    visitor.get_by_label(re.compile(r"^Password \(required\)")).fill("a-long-test-passphrase")
    visitor.get_by_label(re.compile(r"^Password \(again\)")).fill("a-long-test-passphrase")
    visitor.get_by_role("button", name=re.compile("^Sign up$", re.I)).click()
    expect(visitor).to_have_url(f"{base}/organisations/invitations/{token}/")
    walk.check("invitation, just signed up")
    visitor.get_by_role("button", name=re.compile("^Accept and join")).click()
    expect(visitor).to_have_url(base + waiting.course.url)
    expect(visitor.locator(".messages")).to_contain_text("You have joined")
    assert EmailAddress.objects.get(email__iexact=waiting.email).verified
    assert_page_healthy(visitor)

    # --- a newcomer: the paid course's checkout, before a place --------------------------------
    # (The demo learner has a place on it already: their CE certificate's course.)
    newcomer = User.objects.create_user(
        username="newcomer@example.org", email="newcomer@example.org", password="a-long-test-passphrase",
        certificate_name="Noor Newcomer",
    )
    EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=True, primary=True)
    page = another_browser(viewport=PHONE_375)
    walk.page = page
    sign_in(page, newcomer.email, password="a-long-test-passphrase", next_url="/")
    walk.visit(paid.url, "paid course page, before a place")
    walk.visit(f"/pay/courses/{paid.pk}/checkout/", "checkout")
    walk.visit(f"/pay/courses/{paid.pk}/scholarship/", "scholarship application")
    start = payments.order_start_checkout(user=newcomer, course=paid, code_text="FEE-WAIVER")
    assert start.enrolled
    # The attempt walked here is the paid course's first check, once the lessons before it are done.
    paid_enrollment = Enrollment.objects.get(user=newcomer, course=paid)
    outline = build_outline(paid, course_url="")
    first_quiz = next(n for n, item in enumerate(outline.items) if item.kind == "quiz")
    complete_items(paid_enrollment, paid, count=first_quiz, days_ago=1, now=timezone.now())
    quiz = QuizPage.objects.get(pk=outline.items[first_quiz].id)
    attempt = quizzes.attempt_start(user=newcomer, quiz=quiz)
    walk.visit(f"/learn/attempts/{attempt.pk}/", "quiz attempt (answering)")
    quizzes.attempt_submit(attempt_id=attempt.pk, user=newcomer, answers=answer_key(attempt, written=WRITTEN))
    walk.visit(f"/learn/attempts/{attempt.pk}/result/", "quiz result")
    walk.visit("/pay/orders/", "my orders")
    walk.visit(f"/pay/orders/{start.order.pk}/receipt/", "receipt")
    assert_page_healthy(page)

    # --- the learner -------------------------------------------------------------------------
    page = another_browser(viewport=PHONE_375)
    walk.page = page
    sign_in(page, learner.email, password="demo-learner-pass", next_url="/")
    walk.visit("/", "home (learner)")
    walk.visit("/courses/", "catalogue (learner)")
    walk.visit(free.url, "free course page (certificate held)")
    # The demo learner has finished both courses: the free one (with its certificate) and
    # the paid one (with its CE certificate).
    for course in (free, paid):
        walk.visit(course.url, f"course page, enrolled: {course.title}")
        lessons, course_quizzes = lessons_and_quizzes(course)
        for lesson in lessons:
            walk.visit(lesson.url, f"lesson: {course.title} / {lesson.title}")
        for quiz in course_quizzes:
            walk.visit(quiz.url, f"quiz page: {quiz.title}")
    programme = Programme.objects.order_by("pk").first()
    certificate, _ = certification.certificate_issue(user=learner, programme=programme, period=1, now=timezone.now())
    walk.visit("/learn/", "My learning")
    walk.visit("/certificates/", "My certificates")
    walk.visit(f"/certificates/verify/{certificate.code}/", "certificate verification")
    walk.visit("/continuing-education/", "CE status")
    walk.visit("/continuing-education/transcript/", "CE transcript")
    walk.visit("/continuing-education/licence/", "professional licence")
    walk.visit(f"/certificates/verify/{CE_CODE}/", "CE certificate verification")
    walk.visit("/accounts/profile/", "account")
    walk.visit("/accounts/email/", "account: email addresses")
    walk.visit("/accounts/password/change/", "account: password")
    walk.visit("/organisations/", "organisations (learner: none)")
    walk.visit("/organisations/new/", "create an organisation")
    walk.visit(f"/organisations/invitations/{long_token}/", "invitation (signed in with another address)")
    assert_page_healthy(page)

    # --- the manager -------------------------------------------------------------------------
    page = another_browser(viewport=PHONE_375)
    walk.page = page
    sign_in(page, manager.email, password="demo-manager-pass", next_url=None)  # no next: lands on the dashboard
    expect(page).to_have_url(f"{base}/organisations/{org.pk}/")
    walk.check("staff progress (dashboard)")
    region = page.get_by_role("region", name=re.compile("^Staff progress by course"))
    expect(region).to_have_attribute("tabindex", "0")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # wider than the phone: it scrolls
    hint = page.locator("#staff-scroll-hint")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("scroll")
    shadow = region.evaluate("el => getComputedStyle(el).backgroundImage")
    assert "gradient" in shadow, shadow  # the shadow at the edge where more columns wait
    check_axe(page, "manager's dashboard (375 px)")
    screenshot(page, "dashboard-375")
    walk.visit(f"/organisations/{org.pk}/?status=in_progress", "staff progress, filtered")
    walk.visit("/organisations/", "organisations (manager)")
    walk.visit(f"/organisations/{org.pk}/seats/", "seats")

    # Buying seats can be tried without Stripe keys: the form is there and says why not.
    buy = page.locator("form", has=page.get_by_role("button", name="Continue to payment"))
    expect(buy).to_be_visible()
    expect(page.locator("#payment-not-set-up")).to_contain_text("Card payment needs Stripe keys")
    buy.get_by_label(re.compile("^Course")).select_option(str(paid.pk))
    buy.get_by_label(re.compile("^Number of places")).fill("3")
    buy.get_by_role("button", name="Continue to payment").click()
    expect(page.locator("#error-summary")).to_contain_text("Card payment needs Stripe keys")
    expect(page.locator("#error-summary")).to_contain_text("by invoice")
    walk.check("seats, after trying to buy without Stripe keys")
    check_axe(page, "seats, buying refused (375 px)")
    assert not Order.objects.filter(purpose=Order.Purpose.SEATS).exists()

    walk.visit(f"/organisations/{org.pk}/invitations/", "invitations")
    invite = page.locator("form.invite-form")
    invite.get_by_label(re.compile("^Course")).select_option(str(paid.pk))
    invite.get_by_label(re.compile("^Email addresses, one person per line")).fill(
        "Samantha Jones-Whitfield <samantha.jones-whitfield@riverside-recovery.example>\nnot-an-address\n"
    )
    invite.get_by_role("button", name="Check who will be invited").click()
    expect(page).to_have_url(re.compile(r"/invitations/preview/$"))
    walk.check("invitation preview")

    settings.STRIPE_SECRET_KEY = "sk_test_walk"  # recording a seat order needs card payments (nothing calls Stripe)
    order = seat_order(org, paid, manager, quantity=3)
    settings.STRIPE_SECRET_KEY = ""
    pay(order)
    walk.visit(f"/organisations/{org.pk}/seats/orders/{order.pk}/", "seat order (paid)")
    walk.visit(f"/organisations/{org.pk}/seats/", "seats, after a purchase")
    walk.visit("/pay/orders/", "my orders (manager: a seat order)")
    walk.visit(f"/pay/orders/{order.pk}/receipt/", "receipt for seats")
    assert_page_healthy(page)

    walk.assert_fits()
    assert len(walk.seen) > 40, walk.seen

