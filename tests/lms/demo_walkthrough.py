"""Run by tests/lms/test_demo_sqlite.py in a child process with the demo's own settings
(SQLite, tasks in-process): a learner's first steps through the seeded demo, so that a
query only PostgreSQL accepts cannot break ``make demo`` unnoticed."""
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from courses.models import CoursePage, LessonPage, QuizPage  # noqa: E402


def check(response, status=200):
    if response.status_code != status:
        sys.exit(f"{response.request['PATH_INFO']}: {response.status_code}, expected {status}")
    return response


def main():
    setup_test_environment()
    assert settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), "run with the demo's SQLite"
    client = Client()
    assert client.login(username="learner@example.org", password="demo-learner-pass")
    course = CoursePage.objects.live().get(slug="family-and-friends-facilitator-training")
    check(client.get(course.url))
    check(client.post(f"/learn/courses/{course.id}/enrol/"), 302)
    check(client.get(course.url))
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    for lesson in lessons:
        check(client.get(lesson.url))
        check(client.post(f"/learn/courses/{course.id}/lessons/{lesson.id}/complete/"), 302)
    quiz = QuizPage.objects.live().descendant_of(course).first()
    check(client.get(quiz.url))
    started = check(client.post(f"/learn/quizzes/{quiz.id}/start/"), 302)
    check(client.get(started["Location"]))
    # The paid course, the way the seed's output says: the fee-waiver code, no card.
    paid = CoursePage.objects.live().get(slug="meeting-facilitator-training")
    check(client.get(f"/pay/courses/{paid.id}/checkout/"))
    waived = check(client.post(f"/pay/courses/{paid.id}/checkout/", {"donation": "0", "discount_code": "FEE-WAIVER"}), 302)
    check(client.get(waived["Location"]))
    check(client.get("/learn/"))
    check(client.get("/certificates/"))
    check(client.get("/certificates/verify/?code=0000-0000-0000-0000-0000"), 404)
    # The demo organisation's manager: the staff progress page (filtered too) and its CSV,
    # whose UNION and JSON queries differ between SQLite and PostgreSQL.
    from organisations.models import Organisation

    manager = Client()
    assert manager.login(username="manager@example.org", password="demo-manager-pass")
    organisation = Organisation.objects.get(memberships__user__email="manager@example.org")
    page = check(manager.get(f"/organisations/{organisation.pk}/")).content.decode()
    assert "In progress" in page and "Invited" in page, "the demo staff are not on the dashboard"
    check(manager.get(f"/organisations/{organisation.pk}/", {"status": "in_progress", "certificate": "none"}))
    exported = b"".join(check(manager.get(f"/organisations/{organisation.pk}/staff.csv")).streaming_content)
    assert exported.count(b"\n") > 1, "the demo staff are not in the CSV"
    print("demo walkthrough ok")


if __name__ == "__main__":
    main()
