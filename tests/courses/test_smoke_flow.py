import pytest
from django.urls import reverse

from courses.models import Enrollment
from tests.factories import UserFactory, build_course, lessons_of


@pytest.mark.django_db
def test_enrol_and_complete_flow(client):
    course = build_course(sequential=True)
    lessons = lessons_of(course)
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("courses:enrol", args=[course.id]))
    assert response.status_code == 302
    assert response["Location"] == lessons[0].url
    assert client.get(lessons[0].url).status_code == 200
    # Sequential: the second lesson is locked until the first is complete.
    response = client.get(lessons[1].url)
    assert response.status_code == 302 and response["Location"] == lessons[0].url
    response = client.post(reverse("courses:complete", args=[course.id, lessons[0].id]))
    assert response["Location"] == lessons[1].url
    enrollment = Enrollment.objects.get(user=user)
    assert enrollment.progress_percent == 25
    page = client.get(course.url)
    assert b"25% complete" in page.content
    dash = client.get(reverse("courses:dashboard"))
    assert b"25% complete" in dash.content
