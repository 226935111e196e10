"""A scholarship application from the learner's side and its end: the applicant is told it
arrived (once), staff who may decide are told (in the demo too: the superuser, by
console email), and an application still waiting closes by itself when the learner gets a
place another way (a paid order, a code, an organisation's seat through an invitation,
staff, a withdrawn place coming back). A closed application waits for nobody, gets no
code and no decision email; approving and a place arriving at the same moment end in one
consistent state or the other."""
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from accounts.models import User
from courses.models import CoursePage, Enrollment
from courses.services import enrollment_create, enrollment_give_place
from organisations import selectors as org_selectors
from organisations import services as orgs
from payments import selectors, services
from payments.services import scholarships as scholarship_services
from payments.models import DiscountCode, ScholarshipApplication
from tests.factories import UserFactory
from tests.integration.processes import wait_until

from .helpers import discount_code, minor, paid_course, payments_staff, pending_order

pytestmark = pytest.mark.django_db
REASON = "I volunteer at two meetings a week and have been out of work since the spring."
Status = ScholarshipApplication.Status


@pytest.fixture
def course():
    return paid_course("40.00")


@pytest.fixture
def learner():
    return UserFactory(email="wren@example.org", certificate_name="Wren Applicant")


@pytest.fixture
def staff():
    return payments_staff(email="payments@example.org")


def apply(learner, course, can_pay="10") -> ScholarshipApplication:
    return services.scholarship_apply(user=learner, course=course, reason=REASON, can_pay=Decimal(can_pay))


def to(mailoutbox, address) -> list:
    return [m for m in mailoutbox if m.to == [address]]


# --- the applicant hears at each step -----------------------------------------------------------


def test_the_applicant_is_told_it_arrived_once_and_what_happens_next(
    client, course, learner, staff, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("payments:scholarship_apply", args=[course.pk]), {"reason": REASON, "can_pay": "10"})
    assert response.status_code == 302
    app = ScholarshipApplication.objects.get()
    [mail] = to(mailoutbox, learner.email)
    assert mail.subject == "We have your scholarship application for Facilitator Training"
    assert "Hello Wren Applicant" in mail.body and "The fee is $40.00; you said you can pay $10.00." in mail.body
    assert "We will email you either way" in mail.body and "closes by itself" in mail.body
    assert REASON not in mail.body  # their circumstances stay in the admin
    assert len(to(mailoutbox, staff.email)) == 1  # staff who decide hear too
    app.refresh_from_db()
    assert app.received_email_sent_at is not None
    # A task run again sends nothing more.
    assert services.scholarship_send_received(application_id=app.pk) is False
    with django_capture_on_commit_callbacks(execute=True):
        services.scholarship_approve(application_id=app.pk, by=staff)
    assert [m.subject for m in to(mailoutbox, learner.email)] == [
        "We have your scholarship application for Facilitator Training", "Your scholarship for Facilitator Training",
    ]


def test_no_confirmation_after_a_decision_came_first(course, learner, staff, mailoutbox):
    app = apply(learner, course)  # its tasks wait for a commit that never comes here
    services.scholarship_decline(application_id=app.pk, by=staff)
    assert services.scholarship_send_received(application_id=app.pk) is False
    assert not to(mailoutbox, learner.email)


def test_in_the_demo_a_new_application_reaches_someone_who_may_decide(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    """The seeded demo has no payments staff and no PAYMENTS_STAFF_EMAILS: the superuser
    (admin@example.org) is told, which the demo prints to the console."""
    settings.PAYMENTS_STAFF_EMAILS = []
    call_command("seed_demo", stdout=StringIO())
    # Someone without a place (the demo learner has one: their CE certificate's course).
    learner = UserFactory(email="new.volunteer@example.org")
    course = CoursePage.objects.live().get(slug="meeting-facilitator-training")
    with django_capture_on_commit_callbacks(execute=True):
        apply(learner, course, can_pay="0")
    notices = [m for m in mailoutbox if m.subject.startswith("[Payments] Scholarship application waiting")]
    assert len(notices) == 1 and notices[0].to
    # Each one told may decide it: the admin (a superuser) while the demo has no payments staff.
    deciders = User.objects.filter(email__in=notices[0].to)
    assert deciders.count() == len(notices[0].to)
    assert all(u.is_superuser or u.has_perm("payments.decide_scholarshipapplication") for u in deciders)
    assert len(to(mailoutbox, "new.volunteer@example.org")) == 1  # and the learner's confirmation


def test_payments_staff_are_told_rather_than_superusers_once_there_are_any(
    course, learner, staff, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PAYMENTS_STAFF_EMAILS = []
    UserFactory(is_superuser=True, is_staff=True, email="root@example.org")
    assert selectors.scholarship_staff_to_tell() == [staff.email]
    staff.groups.clear()
    assert selectors.scholarship_staff_to_tell() == ["root@example.org"]


# --- a place found another way closes the application ------------------------------------------


def _paid_order(learner, course):
    order = pending_order(learner, course, payment_intent_id="pi_closes")
    services.order_fulfil(order_id=order.pk, paid_amount=minor(order), currency=order.currency,
                          payment_intent_id="pi_closes", via="test")
    return "Paid"


def _waiver_code(learner, course):
    discount_code("FEE-WAIVER", value="100", courses=[course])
    assert services.order_start_checkout(user=learner, course=course, code_text="FEE-WAIVER").enrolled
    return "Fee waiver"


def _invitation_seat(learner, course):
    owner = UserFactory(email="owner@riverside.example")
    org = orgs.organisation_create(user=owner, name="Riverside", kind="treatment", country="GB",
                                   billing_email="accounts@riverside.example")
    orgs.seats_grant(organisation_id=org.pk, course=course, quantity=1, by=None, note="Invoice 7")
    preview = org_selectors.invitation_preview(organisation=org, course=course, text=learner.email)
    [invitation] = orgs.invitations_create(organisation=org, by=owner, rows=preview.good, course=course)
    orgs.invitation_accept(token=org_selectors.invitation_token(invitation), user=learner)
    return "Organisation seat"


def _staff_grant(learner, course):
    enrollment_create(user=learner, course=course, source=Enrollment.Source.STAFF)
    return "Added by staff"


WAYS = [_paid_order, _waiver_code, _invitation_seat, _staff_grant]


@pytest.mark.parametrize("get_place", WAYS, ids=["paid order", "code", "invitation seat", "staff"])
def test_each_way_of_getting_a_place_closes_the_open_application(
    client, course, learner, staff, get_place, mailoutbox, django_capture_on_commit_callbacks
):
    app = apply(learner, course)
    other_course = paid_course("25.00", title="Family & Friends")
    other = apply(learner, other_course)  # another course's application stays open
    how = get_place(learner, course)
    app.refresh_from_db()
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert (app.status, app.decided_by, app.discount_code) == (Status.CLOSED, None, None)
    assert app.decided_at is not None and app.closed_reason == f"{how} (enrolment {enrollment.pk})"
    assert ScholarshipApplication.objects.get(pk=other.pk).status == Status.OPEN
    assert selectors.scholarships_waiting_count() == 1

    # Staff no longer see it waiting; deciding it now does nothing, and no email goes.
    client.force_login(staff)
    assert "Scholarship applications (1)" in client.get("/admin/").content.decode()
    inspect = client.get(reverse("payments_scholarships:inspect", args=[app.pk])).content.decode()
    assert "Closed: got a place another way" in inspect and "Approve and email a code" not in inspect
    codes = DiscountCode.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.scholarship_approve(application_id=app.pk, by=staff)[1] is False
        response = client.post(reverse("payments_scholarships:decide", args=[app.pk]), {"decision": "decline", "note": ""})
    assert response.status_code == 302
    assert DiscountCode.objects.count() == codes
    assert services.scholarship_send_decision(application_id=app.pk) is False
    assert not [m for m in mailoutbox if "scholarship" in m.subject.lower() and m.to == [learner.email]]
    app.refresh_from_db()
    assert app.status == Status.CLOSED and app.email_sent_at is None


def test_a_withdrawn_place_coming_back_closes_an_application_made_meanwhile(course, learner):
    enrollment, _ = enrollment_create(user=learner, course=course, source=Enrollment.Source.STAFF)
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.WITHDRAWN)  # a refund took it
    app = apply(learner, course)
    with transaction.atomic():
        enrollment_give_place(user=learner, course=course, source=Enrollment.Source.SEAT)
    app.refresh_from_db()
    assert app.status == Status.CLOSED and app.closed_reason == f"Organisation seat (enrolment {enrollment.pk})"


def test_a_place_already_held_changes_nothing_and_decided_applications_stay(course, learner, staff):
    declined = apply(learner, course)
    services.scholarship_decline(application_id=declined.pk, by=staff, note="Not this time.")
    approved = apply(learner, course)
    services.scholarship_approve(application_id=approved.pk, by=staff)
    _staff_grant(learner, course)
    assert list(ScholarshipApplication.objects.order_by("pk").values_list("status", flat=True)) == [
        Status.DECLINED, Status.APPROVED,
    ]
    assert ScholarshipApplication.objects.get(pk=approved.pk).discount_code is not None


def test_the_database_refuses_a_closed_application_with_a_code(course, learner, staff):
    app = apply(learner, course)
    app, _ = services.scholarship_approve(application_id=app.pk, by=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScholarshipApplication.objects.filter(pk=app.pk).update(status=Status.CLOSED)


# --- staff approve at the moment a place arrives (threads against PostgreSQL) ----------------------


def lock_waiters() -> int:
    """Other connections of this database waiting for a row lock right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def in_thread(work, results: list) -> threading.Thread:
    def run():
        try:
            results.append(work())
        except Exception as error:  # noqa: BLE001 - reported by the test
            results.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def give_seat(learner, course, *, holding: threading.Event | None = None, release: threading.Event | None = None):
    def work():
        with transaction.atomic():
            enrollment_give_place(user=learner, course=course, source=Enrollment.Source.SEAT)
            if holding:  # keep the transaction (and the application's lock) open until told
                holding.set()
                assert release.wait(30)
        return "placed"
    return work


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_place_arriving_first_closes_it_and_the_approval_waiting_behind_makes_nothing(
    course, learner, staff, mailoutbox
):
    app = apply(learner, course)
    mailoutbox.clear()
    holding, release, placed, approved = threading.Event(), threading.Event(), [], []
    placing = in_thread(give_seat(learner, course, holding=holding, release=release), placed)
    assert holding.wait(30)
    approving = in_thread(lambda: services.scholarship_approve(application_id=app.pk, by=staff), approved)
    wait_until(lambda: lock_waiters() >= 1, what="the approval to wait for the application's row lock")
    release.set()
    placing.join(), approving.join()
    assert placed == ["placed"] and approved[0][1] is False  # it found nothing left to decide
    app.refresh_from_db()
    assert (app.status, app.discount_code, app.email_sent_at) == (Status.CLOSED, None, None)
    assert not DiscountCode.objects.exists() and not to(mailoutbox, learner.email)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_approval_first_stands_and_the_place_arriving_behind_it_leaves_it(
    course, learner, staff, mailoutbox, monkeypatch
):
    app = apply(learner, course)
    mailoutbox.clear()
    deciding, release = threading.Event(), threading.Event()
    make_code = scholarship_services._code_for

    def code_when_told(app, **kwargs):  # runs while the approval holds the application's lock
        deciding.set()
        assert release.wait(30)
        return make_code(app, **kwargs)

    monkeypatch.setattr(scholarship_services, "_code_for", code_when_told)
    approved, placed = [], []
    approving = in_thread(lambda: services.scholarship_approve(application_id=app.pk, by=staff), approved)
    assert deciding.wait(30)
    placing = in_thread(give_seat(learner, course), placed)
    wait_until(lambda: lock_waiters() >= 1, what="the place to wait for the application's row lock")
    release.set()
    approving.join(), placing.join()
    assert approved[0][1] is True and placed == ["placed"]
    app.refresh_from_db()
    assert app.status == Status.APPROVED and app.discount_code == DiscountCode.objects.get()
    assert Enrollment.objects.filter(user=learner, course=course, source=Enrollment.Source.SEAT).exists()
    assert [m.subject for m in to(mailoutbox, learner.email)] == ["Your scholarship for Facilitator Training"]
