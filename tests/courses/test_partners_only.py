"""Courses and modules kept for members of partner organisations.

A partners-only course refuses new places (free enrolment, checkout, scholarship
applications) to anyone but an active member of a partner organisation; an invitation
from such an organisation makes the person a member first, so accepting it works. A
partners-only module's lessons and quizzes stay closed to other learners, and for them
its items neither count towards completing the course nor hold up a course taken in
order. Every refusal is tried as an attack: nothing changes. The lesson page, the hot
path, asks nothing about partners unless the course has partners-only content.
"""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import restrictions, services
from courses.assessment import services as quiz_services
from courses.models import Enrollment, LessonPage, LessonProgress, QuizAttempt, ReflectionAnswer
from courses.outline import build_outline
from organisations import selectors as org_selectors
from organisations import services as org_services
from organisations.models import Invitation, Membership
from payments import services as payments
from payments.models import Order, ScholarshipApplication
from tests.factories import UserFactory, build_course, build_quiz, lessons_of

pytestmark = pytest.mark.django_db


def make_partners_only(page):
    page = page.specific
    page.partners_only = True
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def organisation(*, partner: bool, name="Riverside Recovery Centre"):
    owner = UserFactory()
    org = org_services.organisation_create(
        user=owner, name=name, kind="treatment", country="GB", billing_email="accounts@riverside.example"
    )
    if partner:
        org.is_partner = True
        org.save(update_fields=["is_partner"])
    return org


@pytest.fixture
def partner_org():
    return organisation(partner=True)


@pytest.fixture
def partner(partner_org):
    """An active member of a partner organisation."""
    user = UserFactory()
    org_services.membership_join(organisation_id=partner_org.pk, user=user)
    return user


@pytest.fixture
def outsider():
    return UserFactory()


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- the lookup courses asks through ----------------------------------------------------------


def test_organisations_registers_who_is_a_partner_and_without_it_nobody_is(partner, outsider, monkeypatch):
    assert restrictions.is_partner(partner) and not restrictions.is_partner(outsider)
    monkeypatch.setattr(restrictions, "_lookup", None)
    assert not restrictions.is_partner(partner)


def test_only_active_members_of_a_partner_organisation_are_partners(partner_org, partner):
    other = organisation(partner=False, name="Hillside Clinic")
    staff_elsewhere = UserFactory()
    org_services.membership_join(organisation_id=other.pk, user=staff_elsewhere)
    assert not restrictions.is_partner(staff_elsewhere)
    membership = Membership.objects.get(user=partner)
    org_services.membership_leave(membership_id=membership.pk, user=partner)
    assert not restrictions.is_partner(partner)
    from django.contrib.auth.models import AnonymousUser

    assert not restrictions.is_partner(AnonymousUser())


# --- a partners-only course: enrolment --------------------------------------------------------


def test_free_partners_only_course_enrols_partners_only(client, partner, outsider):
    course = make_partners_only(build_course())
    with pytest.raises(services.PartnersOnly, match="members of partner organisations"):
        services.enrollment_create(user=outsider, course=course)
    # Through the enrol button: a plain message on the course page, nothing made.
    client.force_login(outsider)
    response = client.post(reverse("courses:enrol", args=[course.id]), follow=True)
    assert response.redirect_chain[-1][0] == course.url
    assert "for members of partner organisations" in messages_of(response)
    assert not Enrollment.objects.filter(user=outsider).exists()
    page = client.get(course.url).content.decode()
    assert "Enrol for free" not in page and "ask its training manager for an invitation" in page
    # A partner member enrols as usual.
    client.force_login(partner)
    assert "Enrol for free" in client.get(course.url).content.decode()
    client.post(reverse("courses:enrol", args=[course.id]))
    assert Enrollment.objects.get(user=partner).status == Enrollment.Status.ACTIVE


def test_a_member_who_left_the_partner_organisation_cannot_enrol(partner):
    course = make_partners_only(build_course())
    org_services.membership_leave(membership_id=Membership.objects.get(user=partner).pk, user=partner)
    with pytest.raises(services.PartnersOnly):
        services.enrollment_create(user=partner, course=course)
    assert not Enrollment.objects.exists()


def test_visitors_see_who_the_course_is_for(client):
    course = make_partners_only(build_course())
    page = client.get(course.url).content.decode()
    assert "For partner organisations" in page and "Enrol for free" not in page
    assert "sign in</a> to continue" in page
    catalogue = client.get(course.get_parent().url).content.decode()
    assert "For partner organisations" in catalogue


@pytest.fixture
def stripe_configured(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_configured"


def test_paid_partners_only_course_refuses_checkout_and_scholarships(client, partner, outsider, stripe_configured):
    course = make_partners_only(build_course(price=Decimal("40.00")))
    client.force_login(outsider)
    response = client.post(reverse("courses:enrol", args=[course.id]), follow=True)
    assert response.redirect_chain[-1][0] == course.url  # not to checkout
    assert "for members of partner organisations" in messages_of(response)
    assert "Pay and enrol" not in client.get(course.url).content.decode()
    with pytest.raises(payments.PaymentError, match="members of partner organisations"):
        payments.order_start_checkout(user=outsider, course=course)
    with pytest.raises(payments.PaymentError, match="members of partner organisations"):
        payments.scholarship_apply(
            user=outsider, course=course, reason="I volunteer at a drop-in centre and cannot pay the whole fee.",
            can_pay=Decimal("0"),
        )
    assert not Order.objects.exists() and not ScholarshipApplication.objects.exists()
    # A partner member goes on to checkout.
    client.force_login(partner)
    response = client.post(reverse("courses:enrol", args=[course.id]))
    assert response.url == reverse("payments:checkout", args=[course.id])


def test_a_paid_place_is_kept_even_if_the_learner_has_left_the_partner_since(partner, stripe_configured):
    """Checkout refused non-partners; an order paid after the learner left still enrols
    them (they paid for it)."""
    course = make_partners_only(build_course(price=Decimal("40.00")))
    order = Order.objects.create(
        user=partner, email=partner.email, course=course, course_title=course.title, currency="USD",
        price_amount=Decimal("40.00"), total_amount=Decimal("40.00"),
    )
    org_services.membership_leave(membership_id=Membership.objects.get(user=partner).pk, user=partner)
    payments.order_fulfil(order_id=order.pk, paid_amount=4000, currency="usd", payment_intent_id="pi_partner", via="test")
    assert Enrollment.objects.get(user=partner, course=course).status == Enrollment.Status.ACTIVE


def test_accepting_a_partner_organisations_invitation_gives_the_place(client, partner_org):
    course = make_partners_only(build_course(price=Decimal("40.00")))
    owner = Membership.objects.get(organisation=partner_org).user
    org_services.seats_grant(organisation_id=partner_org.pk, course=course, quantity=2, by=owner, note="Invoice 7")
    preview = org_selectors.invitation_preview(organisation=partner_org, course=course, text="new.staff@example.org")
    [invitation] = org_services.invitations_create(organisation=partner_org, by=owner, rows=preview.good, course=course)
    newcomer = UserFactory(email="new.staff@example.org")
    assert not restrictions.is_partner(newcomer)
    org_services.invitation_accept(token=org_selectors.invitation_token(invitation), user=newcomer)
    assert restrictions.is_partner(newcomer)
    assert Enrollment.objects.get(user=newcomer, course=course).source == Enrollment.Source.SEAT
    client.force_login(newcomer)
    assert client.get(lessons_of(course)[0].url).status_code == 200
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.ACCEPTED


# --- a partners-only module: its lessons and quizzes --------------------------------------------


@pytest.fixture
def course_with_partner_module():
    """Module 1 for everyone, module 2 for partners (two lessons and a quiz)."""
    course = build_course(modules=2, lessons_per_module=2)
    module = lessons_of(course)[2].get_parent()
    build_quiz(module, title="Partner module check")
    make_partners_only(module)
    return course


def test_a_partners_only_module_stays_closed_to_other_learners(client, course_with_partner_module, outsider):
    course = course_with_partner_module
    services.enrollment_create(user=outsider, course=course)
    open_lesson, _, closed_lesson, _ = lessons_of(course)
    quiz = build_outline(course, course_url=course.url).items[-1]
    assert quiz.kind == "quiz" and quiz.partners_only
    client.force_login(outsider)

    assert client.get(open_lesson.url).status_code == 200
    for url in (closed_lesson.url, quiz.url):
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(course.url, 302)]
        assert "This part of the course is for members of partner organisations" in messages_of(response)
        assert "Lesson text" not in response.content.decode()

    # Completing, reflecting, starting the quiz: all refused, nothing written.
    client.post(reverse("courses:complete", args=[course.id, closed_lesson.id]))
    assert not LessonProgress.objects.filter(lesson=closed_lesson).exists()
    block_id = next(b.id for b in closed_lesson.body if b.block_type == "reflection")
    response = client.post(reverse("courses:reflection", args=[course.id, closed_lesson.id]),
                           {"block_id": block_id, "text": "Mine"})
    assert response.status_code == 404 and not ReflectionAnswer.objects.exists()
    response = client.post(reverse("courses:quiz_start", args=[quiz.id]), follow=True)
    assert response.redirect_chain == [(course.url, 302)]
    assert "This part of the course is for members of partner organisations" in messages_of(response)
    assert not QuizAttempt.objects.exists()
    with pytest.raises(services.PartnersOnly):
        quiz_services.attempt_start(user=outsider, quiz=quiz_page(quiz.id))

    # The outline says who the module is for and links none of its items.
    page = client.get(course.url).content.decode()
    assert "For partner organisations" in page
    assert f'href="{closed_lesson.url}"' not in page and f'href="{open_lesson.url}"' in page
    assert "(for members of partner organisations)" in page


def quiz_page(quiz_id):
    from courses.models import QuizPage

    return QuizPage.objects.get(pk=quiz_id)


def test_partner_members_take_the_module(client, course_with_partner_module, partner):
    course = course_with_partner_module
    services.enrollment_create(user=partner, course=course)
    closed_lesson = lessons_of(course)[2]
    client.force_login(partner)
    response = client.get(closed_lesson.url)
    assert response.status_code == 200 and "Mark complete" in response.content.decode()
    client.post(reverse("courses:complete", args=[course.id, closed_lesson.id]))
    assert LessonProgress.objects.get(lesson=closed_lesson).completed_at is not None
    quiz = build_outline(course, course_url="").items[-1]
    response = client.post(reverse("courses:quiz_start", args=[quiz.id]))
    assert QuizAttempt.objects.filter(user=partner, quiz_id=quiz.id).exists()


def test_losing_partner_status_closes_the_module_on_the_next_request(client, course_with_partner_module, partner, partner_org):
    course = course_with_partner_module
    services.enrollment_create(user=partner, course=course)
    client.force_login(partner)
    closed_lesson = lessons_of(course)[2]
    assert client.get(closed_lesson.url).status_code == 200
    partner_org.is_partner = False
    partner_org.save(update_fields=["is_partner"])
    assert client.get(closed_lesson.url).status_code == 302


def test_marking_a_module_partners_only_applies_at_once(client, outsider):
    course = build_course(modules=2, lessons_per_module=1)
    services.enrollment_create(user=outsider, course=course)
    client.force_login(outsider)
    second = lessons_of(course)[1]
    assert client.get(second.url).status_code == 200  # outline now cached
    make_partners_only(second.get_parent())
    assert client.get(second.url).status_code == 302


# --- completion and order ---------------------------------------------------------------------


def complete_all_open(client, course, user):
    client.force_login(user)
    for lesson in lessons_of(course):
        client.post(reverse("courses:complete", args=[course.id, lesson.id]))
    return Enrollment.objects.get(user=user, course=course)


def test_for_other_learners_the_partner_module_does_not_count_towards_completion(
    client, outsider, partner, django_capture_on_commit_callbacks
):
    course = build_course(modules=2, lessons_per_module=2)
    make_partners_only(lessons_of(course)[2].get_parent())
    for user in (outsider, partner):
        services.enrollment_create(user=user, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        theirs = complete_all_open(client, course, outsider)
    assert theirs.status == Enrollment.Status.COMPLETED and theirs.progress_percent == 100
    page = client.get(course.url).content.decode()
    assert "2 of 2 required lessons complete" in page
    # A partner member has the whole course to do: half of it is not enough.
    client.force_login(partner)
    for lesson in lessons_of(course)[:2]:
        client.post(reverse("courses:complete", args=[course.id, lesson.id]))
    mine = Enrollment.objects.get(user=partner)
    assert mine.status == Enrollment.Status.ACTIVE and mine.progress_percent == 50


def test_in_a_course_taken_in_order_the_partner_module_holds_nobody_up(client, outsider):
    course = build_course(modules=3, lessons_per_module=1, sequential=True)
    first, closed, last = lessons_of(course)
    make_partners_only(closed.get_parent())
    services.enrollment_create(user=outsider, course=course)
    client.force_login(outsider)
    assert client.get(last.url).status_code == 302  # the first lesson comes first
    response = client.post(reverse("courses:complete", args=[course.id, first.id]))
    assert response.url == last.url  # on to the next lesson they may open, past the partner module
    assert client.get(last.url).status_code == 200
    page = client.get(first.url).content.decode()
    assert "(for members of partner organisations)" in page  # the pager says why "next" is not a link


# --- the hot path -----------------------------------------------------------------------------


def lesson_queries(client, user, lesson) -> int:
    client.force_login(user)
    assert client.get(lesson.url).status_code == 200  # warm caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(lesson.url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lesson_page_asks_nothing_about_partners_unless_it_has_to(client, partner):
    plain = build_course(title="Plain")
    learner = UserFactory()
    services.enrollment_create(user=learner, course=plain)
    baseline = lesson_queries(client, learner, lessons_of(plain)[0])

    # A partners-only course: the learner's place is the gate, not each lesson.
    kept = make_partners_only(build_course(title="Kept for partners"))
    services.enrollment_create(user=partner, course=kept)
    assert lesson_queries(client, partner, lessons_of(kept)[0]) == baseline

    # A partners-only module that is optional in an open one: nothing asked either.
    mixed = build_course(title="Mixed")
    module = lessons_of(mixed)[2].get_parent()
    for lesson in LessonPage.objects.child_of(module):
        lesson.required = False
        lesson.save_revision().publish()
    make_partners_only(module)
    services.enrollment_create(user=learner, course=mixed)
    assert lesson_queries(client, learner, lessons_of(mixed)[0]) == baseline

    # In the partners-only module itself: one question, once.
    services.enrollment_create(user=partner, course=mixed)
    assert lesson_queries(client, partner, lessons_of(mixed)[2]) == baseline + 1
