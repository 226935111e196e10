"""Scholarship applications: a learner applies from checkout, staff approve (one
single-use code for the course, emailed once) or decline (a kind note, emailed)."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment
from courses.services import enrollment_create
from payments import services
from payments.models import DiscountCode, Order, ScholarshipApplication
from tests.concurrency import run_together
from tests.factories import UserFactory

from .helpers import paid_course, payments_staff

pytestmark = pytest.mark.django_db
REASON = "I volunteer at two meetings a week and have been out of work since the spring."


@pytest.fixture
def course():
    return paid_course("40.00")


@pytest.fixture
def learner():
    return UserFactory()


@pytest.fixture
def staff():
    return payments_staff()


def apply(client, course, **data):
    return client.post(reverse("payments:scholarship_apply", args=[course.pk]), {"reason": REASON, "can_pay": "10", **data})


def test_checkout_links_to_the_application_which_asks_for_no_health_details(client, course, learner):
    client.force_login(learner)
    page = client.get(reverse("payments:checkout", args=[course.pk])).content.decode()
    assert "Apply for a scholarship" in page
    assert reverse("payments:scholarship_apply", args=[course.pk]) in page
    form = client.get(reverse("payments:scholarship_apply", args=[course.pk])).content.decode()
    assert "do not include health details" in form
    assert 'name="reason"' in form and 'name="can_pay"' in form


def test_anonymous_cannot_apply(client, course):
    response = apply(client, course)
    assert response.status_code == 302 and "login" in response["Location"]
    assert not ScholarshipApplication.objects.exists()


def test_learner_applies_once_per_course(client, course, learner):
    client.force_login(learner)
    assert apply(client, course).status_code == 302
    app = ScholarshipApplication.objects.get()
    assert (app.user, app.course_id, app.fee, app.can_pay, app.currency, app.status) == (
        learner, course.pk, Decimal("40.00"), Decimal("10.00"), "USD", "open"
    )
    again = apply(client, course, can_pay="0")
    assert "We have your application" in again.content.decode()
    assert ScholarshipApplication.objects.count() == 1
    with pytest.raises(services.PaymentError, match="already applied"):
        services.scholarship_apply(user=learner, course=course, reason=REASON, can_pay=Decimal("0"))
    # The database itself refuses a second open application.
    with pytest.raises(IntegrityError), transaction.atomic():
        ScholarshipApplication.objects.create(
            user=learner, course=course, course_title="x", currency="USD", fee=Decimal("40"), reason=REASON,
            can_pay=Decimal("0"),
        )


@pytest.mark.parametrize("data, error", [
    ({"reason": "too short"}, "at least 20 characters"),
    ({"reason": "x" * 1501}, "at most 1500 characters"),
    ({"can_pay": "40.01"}, "less than or equal to 40"),
    ({"can_pay": "-1"}, "greater than or equal to 0"),
    ({"can_pay": "lots"}, "Enter a number"),
])
def test_bad_applications_get_a_clear_message_and_change_nothing(client, course, learner, data, error):
    client.force_login(learner)
    response = apply(client, course, **data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ScholarshipApplication.objects.exists()


def test_approve_twice_makes_one_code_and_one_email(course, learner, staff, mailoutbox, django_capture_on_commit_callbacks):
    app = services.scholarship_apply(user=learner, course=course, reason=REASON, can_pay=Decimal("10"))
    with django_capture_on_commit_callbacks(execute=True):
        _, first = services.scholarship_approve(application_id=app.pk, by=staff, note="Welcome aboard.")
    with django_capture_on_commit_callbacks(execute=True):
        _, second = services.scholarship_approve(application_id=app.pk, by=staff)
        _, declined = services.scholarship_decline(application_id=app.pk, by=staff)
    services.scholarship_send_decision(application_id=app.pk)  # a task run twice
    assert (first, second, declined) == (True, False, False)
    code = DiscountCode.objects.get()
    app.refresh_from_db()
    assert app.status == "approved" and app.discount_code == code and app.decided_by == staff
    assert (code.kind, code.value, code.currency, code.max_uses, code.is_scholarship) == (
        "fixed", Decimal("30.00"), "USD", 1, True
    )
    assert list(code.courses.values_list("pk", flat=True)) == [course.pk]
    assert timedelta(days=29) < code.expires_at - timezone.now() <= timedelta(days=30)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [learner.email] and code.code in mail.body and "Welcome aboard." in mail.body
    assert "you pay $10.00" in mail.body
    # The code does what the email says, for this course only.
    quote = services.checkout_quote(course=course, code_text=code.code.lower())
    assert quote.total == Decimal("10.00")
    with pytest.raises(services.CodeError, match="not valid for this course"):
        services.checkout_quote(course=paid_course("40.00", title="Other"), code_text=code.code)


def test_nothing_to_pay_gets_a_full_waiver_that_enrols_without_stripe(course, learner, staff, django_capture_on_commit_callbacks):
    app = services.scholarship_apply(user=learner, course=course, reason=REASON, can_pay=Decimal("0.20"))
    with django_capture_on_commit_callbacks(execute=True):
        app, _ = services.scholarship_approve(application_id=app.pk, by=staff)
    assert (app.discount_code.kind, app.discount_code.value) == ("percent", Decimal("100"))
    start = services.order_start_checkout(user=learner, course=course, code_text=app.discount_code.code)
    assert start.enrolled and start.order.total_amount == 0 and start.order.status == Order.Status.PAID
    assert Enrollment.objects.filter(user=learner, course=course).exists()
    with pytest.raises(services.CodeError, match="already been used"):
        services.checkout_quote(course=course, code_text=app.discount_code.code)


def test_decline_emails_the_kind_note_and_makes_no_code(course, learner, staff, mailoutbox, django_capture_on_commit_callbacks):
    app = services.scholarship_apply(user=learner, course=course, reason=REASON, can_pay=Decimal("5"))
    with django_capture_on_commit_callbacks(execute=True):
        services.scholarship_decline(application_id=app.pk, by=staff, note="The spring places are all given.")
    app.refresh_from_db()
    assert app.status == "declined" and app.discount_code is None
    assert not DiscountCode.objects.exists()
    assert len(mailoutbox) == 1 and "The spring places are all given." in mailoutbox[0].body
    # Declined, they may apply again.
    assert services.scholarship_apply(user=learner, course=course, reason=REASON, can_pay=Decimal("0")).status == "open"


def test_staff_queue_inspect_and_approve_in_the_admin(client, course, learner, staff, mailoutbox, django_capture_on_commit_callbacks):
    app = services.scholarship_apply(user=learner, course=course, reason=REASON, can_pay=Decimal("10"))
    client.force_login(staff)
    listing = client.get(reverse("payments_scholarships:index"))
    assert listing.status_code == 200 and learner.email in listing.content.decode()
    inspect = client.get(reverse("payments_scholarships:inspect", args=[app.pk]))
    assert inspect.status_code == 200 and REASON in inspect.content.decode()
    assert "Approve and email a code" in inspect.content.decode()
    url = reverse("payments_scholarships:decide", args=[app.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"decision": "approve", "note": ""}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "approve", "note": ""})  # the double click
    assert DiscountCode.objects.count() == 1 and len(mailoutbox) == 1
    assert client.get(reverse("payments_scholarships:edit", args=[app.pk])).status_code == 302  # refused


def test_staff_hear_of_a_new_application_once_without_its_reasons(
    client, course, learner, staff, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """The learner waits on staff: PAYMENTS_STAFF_EMAILS are told at once, with a link to
    the application; the learner's circumstances stay in the admin."""
    settings.PAYMENTS_STAFF_EMAILS = ["training-team@example.org"]
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        assert apply(client, course).status_code == 302
    app = ScholarshipApplication.objects.get()
    staff_mail = [m for m in mailoutbox if m.to != [learner.email]]  # the learner's confirmation aside
    assert len(staff_mail) == 1
    mail = staff_mail[0]
    assert mail.to == ["training-team@example.org"] and course.title in mail.subject
    assert "They can pay:  $10.00" in mail.body and "Waiting now:   1 application\n" in mail.body
    assert reverse("payments_scholarships:inspect", args=[app.pk]) in mail.body
    assert REASON not in mail.body and learner.email not in mail.body
    app.refresh_from_db()
    assert app.staff_notified_at is not None
    # A task run twice, or for an application decided in the meantime, tells nobody again.
    assert services.scholarship_notify_staff(application_id=app.pk) is False
    other = services.scholarship_apply(user=UserFactory(), course=course, reason=REASON, can_pay=Decimal("0"))
    services.scholarship_decline(application_id=other.pk, by=staff)
    assert services.scholarship_notify_staff(application_id=other.pk) is False
    assert len([m for m in mailoutbox if m.to == ["training-team@example.org"]]) == 1


def test_nobody_to_tell_sends_nothing_and_marks_nothing(course, learner, mailoutbox):
    """No addresses and nobody who may decide: the menu count is all there is; a later
    run (once someone may decide) still tells them."""
    app = services.scholarship_apply(user=learner, course=course, reason=REASON, can_pay=Decimal("10"))
    assert services.scholarship_notify_staff(application_id=app.pk) is False
    assert not mailoutbox and ScholarshipApplication.objects.get().staff_notified_at is None


def test_without_staff_addresses_those_who_may_decide_are_told_and_the_menu_counts(
    client, course, learner, staff, mailoutbox, django_capture_on_commit_callbacks
):
    """No PAYMENTS_STAFF_EMAILS: the payments staff (the decide permission) hear instead;
    not superusers, not people who may only look."""
    UserFactory(is_superuser=True, is_staff=True, email="root@example.org")
    viewer = UserFactory(is_staff=True, email="viewer@example.org")
    viewer.user_permissions.add(Permission.objects.get(codename="view_scholarshipapplication"))
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, course)
    assert [m.to for m in mailoutbox if m.to != [learner.email]] == [[staff.email]]
    assert ScholarshipApplication.objects.get().staff_notified_at is not None
    client.force_login(staff)
    assert "Scholarship applications (1)" in client.get("/admin/").content.decode()
    services.scholarship_decline(application_id=ScholarshipApplication.objects.get().pk, by=staff)
    page = client.get("/admin/").content.decode()
    assert "Scholarship applications" in page and "Scholarship applications (" not in page


@pytest.mark.parametrize("who", ["anonymous", "learner", "staff_without_permission", "viewer_only"])
def test_deciding_is_refused_without_the_permission(client, course, learner, who, mailoutbox):
    app = services.scholarship_apply(user=learner, course=course, reason=REASON, can_pay=Decimal("10"))
    if who == "learner":
        client.force_login(learner)
    elif who == "staff_without_permission":
        user = UserFactory(is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
    elif who == "viewer_only":
        user = UserFactory(is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="access_admin"),
                                  Permission.objects.get(codename="view_scholarshipapplication"))
        client.force_login(user)
        assert client.get(reverse("payments_scholarships:inspect", args=[app.pk])).status_code == 200
    response = client.post(reverse("payments_scholarships:decide", args=[app.pk]), {"decision": "approve"})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"] or response["Location"] == "/admin/"
    if who != "viewer_only":
        assert client.get(reverse("payments_scholarships:index")).status_code in (302, 403)
    app.refresh_from_db()
    assert app.status == "open" and not DiscountCode.objects.exists() and not mailoutbox


def test_the_minimum_length_is_said_up_front_and_kindly(client, course, learner):
    client.force_login(learner)
    form_page = client.get(reverse("payments:scholarship_apply", args=[course.pk])).content.decode()
    hint = re.search(r'<div class="hint" id="id_reason_helptext">(.*?)</div>', form_page, re.S).group(1)
    assert f"At least {ScholarshipApplication.REASON_MIN} characters" in hint
    response = apply(client, course, reason="I cannot pay it")
    page = response.content.decode()
    assert f"Please tell us a little more: at least {ScholarshipApplication.REASON_MIN} characters." in page
    assert "Ensure this value" not in page
    assert not ScholarshipApplication.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notice_tasks_run_at_once_tell_staff_once(course, learner, settings, mailoutbox):
    """A retried notice task overlapping the first: the application's row lock lets one send."""
    settings.PAYMENTS_STAFF_EMAILS = ["training-team@example.org"]
    app = services.scholarship_apply(user=learner, course=course, reason=REASON, can_pay=Decimal("10"))
    mailoutbox.clear()  # the notice queued at commit ran eagerly: run it again, four times at once
    ScholarshipApplication.objects.filter(pk=app.pk).update(staff_notified_at=None)

    results, errors = run_together(4, lambda _: services.scholarship_notify_staff(application_id=app.pk))
    assert errors == [] and sorted(results) == [False, False, False, True]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["training-team@example.org"]


def test_the_learner_sees_where_their_application_stands(client, course, learner, staff, django_capture_on_commit_callbacks):
    """Course page and checkout say it is waiting; once approved, the code is filled in at
    checkout (the total includes it); once used, declined or expired, nothing is said."""
    client.force_login(learner)
    apply(client, course)
    page = client.get(course.url).content.decode()
    assert 'id="scholarship-waiting"' in page and "Pay and enrol" in page
    checkout = client.get(reverse("payments:checkout", args=[course.pk]))
    assert 'id="scholarship-waiting"' in checkout.content.decode()
    assert checkout.context["form"]["discount_code"].value() in (None, "")

    app = ScholarshipApplication.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        app, _ = services.scholarship_approve(application_id=app.pk, by=staff)
    page = client.get(course.url).content.decode()
    assert 'id="scholarship-approved"' in page and "Enrol with your code" in page and "Pay and enrol" not in page
    checkout = client.get(reverse("payments:checkout", args=[course.pk]))
    assert 'id="scholarship-approved"' in checkout.content.decode()
    assert checkout.context["form"]["discount_code"].value() == app.discount_code.code
    assert checkout.context["quote"].total == Decimal("10.00")  # 40.00 less the 30.00 the code covers
    # The learner types another code, which is refused: the summary does not show the scholarship's total.
    refused = client.post(reverse("payments:checkout", args=[course.pk]), {"donation": "0", "discount_code": "NOPE"})
    assert refused.context["form"].errors["discount_code"] and refused.context["quote"].total == Decimal("40.00")

    # Someone else used the code (it is not tied to a person): the pages stop offering it.
    DiscountCode.objects.filter(pk=app.discount_code.pk).update(uses=1)
    page = client.get(course.url).content.decode()
    assert "scholarship-approved" not in page and "scholarship-waiting" not in page
    checkout = client.get(reverse("payments:checkout", args=[course.pk]))
    assert checkout.context["quote"].total == Decimal("40.00") and not checkout.context["form"]["discount_code"].value()


def test_a_declined_application_and_other_learners_show_nothing(client, course, learner, staff):
    app = services.scholarship_apply(user=learner, course=course, reason=REASON, can_pay=Decimal("10"))
    client.force_login(UserFactory())  # another learner sees nothing of it
    assert "scholarship-waiting" not in client.get(course.url).content.decode()
    services.scholarship_decline(application_id=app.pk, by=staff)
    client.force_login(learner)
    page = client.get(course.url).content.decode()
    assert "scholarship-waiting" not in page and "Fee waivers and scholarships are available" in page


def test_my_learning_lists_applications_until_the_place_is_taken(
    client, course, learner, staff, django_capture_on_commit_callbacks
):
    other = paid_course("25.00", title="Family & Friends")
    client.force_login(learner)
    apply(client, course)
    services.scholarship_apply(user=learner, course=other, reason=REASON, can_pay=Decimal("0"))
    declined = ScholarshipApplication.objects.get(course=other)
    page = client.get(reverse("courses:dashboard")).content.decode()
    section = page.split('id="scholarships"')[1].split("</section>")[0]
    assert "Facilitator Training</strong>: with the training team" in section and "Family &amp; Friends" in section
    services.scholarship_decline(application_id=declined.pk, by=staff)
    app = ScholarshipApplication.objects.get(course=course)
    with django_capture_on_commit_callbacks(execute=True):
        app, _ = services.scholarship_approve(application_id=app.pk, by=staff)
    with CaptureQueriesContext(connection) as one:
        page = client.get(reverse("courses:dashboard")).content.decode()
    section = page.split('id="scholarships"')[1].split("</section>")[0]
    assert "approved" in section and reverse("payments:checkout", args=[course.pk]) in section
    assert "Family" not in section  # declined: the email said so; nothing to do here
    for n in range(3):  # more applications, the same queries
        services.scholarship_apply(user=learner, course=paid_course("25.00", title=f"Course {n}"), reason=REASON,
                                       can_pay=Decimal("0"))
    with CaptureQueriesContext(connection) as four:
        assert client.get(reverse("courses:dashboard")).content.decode().count("with the training team") == 3
    assert len(four) == len(one)
    # A place on the course (paid, or given by staff): its line goes.
    enrollment_create(user=learner, course=course, source=Enrollment.Source.STAFF)
    section = client.get(reverse("courses:dashboard")).content.decode().split('id="scholarships"')[1]
    assert "approved" not in section and section.count("with the training team") == 3
