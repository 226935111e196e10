from decimal import Decimal
import threading

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse

from courses import services
from courses.models import Enrollment
from tests.factories import UserFactory, build_course, lessons_of

pytestmark = pytest.mark.django_db


def test_enrolling_twice_changes_nothing(client):
    course = build_course()
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("courses:enrol", args=[course.id]))
    first = Enrollment.objects.get(user=user)
    response = client.post(reverse("courses:enrol", args=[course.id]), follow=True)
    assert response.status_code == 200
    assert Enrollment.objects.filter(user=user).count() == 1
    assert Enrollment.objects.get(user=user).enrolled_at == first.enrolled_at


# serialized_rollback: the flush after a transactional test would otherwise take the
# migrations' page tree away from the tests that run after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_enrolments_make_one_row():
    """Eight requests enrolling the same person at the same moment: one enrolment."""
    course = build_course()
    user = UserFactory()
    barrier = threading.Barrier(8)
    results = []

    def enrol():
        try:
            barrier.wait()
            results.append(services.enrollment_create(user=user, course=course))
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    assert Enrollment.objects.filter(user=user).count() == 1
    assert sum(created for _, created in results) == 1
    assert {e.pk for e, _ in results} == {Enrollment.objects.get(user=user).pk}


def test_database_refuses_a_second_enrolment():
    course = build_course()
    user = UserFactory()
    Enrollment.objects.create(user=user, course=course)
    with pytest.raises(IntegrityError):
        Enrollment.objects.create(user=user, course=course)


def test_paid_course_says_payment_comes_next_and_enrols_nobody(client):
    course = build_course(price=Decimal("40.00"))
    client.force_login(UserFactory())
    page = client.get(course.url)
    assert b"Pay and enrol" in page.content
    # The enrol button of a paid course leads to the checkout (payments); nobody is enrolled.
    response = client.post(reverse("courses:enrol", args=[course.id]))
    assert response["Location"] == reverse("payments:checkout", args=[course.id])
    assert not Enrollment.objects.exists()


def test_visitor_enrol_is_sent_to_sign_in(client):
    course = build_course()
    response = client.post(reverse("courses:enrol", args=[course.id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Enrollment.objects.exists()


def test_enrol_needs_post_and_a_live_course(client):
    course = build_course()
    client.force_login(UserFactory())
    assert client.get(reverse("courses:enrol", args=[course.id])).status_code == 405
    course.unpublish()
    assert client.post(reverse("courses:enrol", args=[course.id])).status_code == 404
    assert client.post(reverse("courses:enrol", args=[999999])).status_code == 404
    assert not Enrollment.objects.exists()


def test_enrol_sends_learner_to_first_lesson(client):
    course = build_course()
    client.force_login(UserFactory())
    response = client.post(reverse("courses:enrol", args=[course.id]))
    assert response["Location"] == lessons_of(course)[0].url
