"""Completion once reached stands: when staff publish new required content in a course
someone has completed, that learner's enrolment stays completed at 100% everywhere (the
course page, the lesson outline, My learning, the manager's dashboard and its CSV, the
staff enrolment listing), and the new items are marked "New since you finished" and are
optional for them (``courses.selectors.new_since_completion``). Never "completed" and 75%
at once."""
import csv
import io
import re

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.contrib.auth import get_user_model
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Enrollment, LessonPage, ModulePage, QuizPage
from organisations.models import Membership, SeatPool
from tests.factories import UserFactory, build_course, build_quiz, lesson_body, lessons_of, single
from tests.organisations.test_dashboard import member, organisation, passed

pytestmark = pytest.mark.django_db

NEW = "New since you finished"


def complete_all(enrollment, course):
    for lesson in lessons_of(course):
        services.lesson_complete(enrollment=enrollment, lesson=lesson)
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.progress_percent) == (Enrollment.Status.COMPLETED, 100)


def publish_new_lesson(module, capture, title="Added later"):
    """Staff publish a required lesson; the publish signal recomputes every enrolment."""
    lesson = module.add_child(instance=LessonPage(title=title, body=lesson_body(7), live=False))
    with capture(execute=True):
        lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


@pytest.fixture
def finished(catalogue, django_capture_on_commit_callbacks):
    """A learner who completed a sequential course of three lessons (two modules), after
    which a fourth required lesson was published in the first module: 3 of 4 would be 75%."""
    course = build_course(title="Listening First", modules=2, lessons_per_module=1, sequential=True)
    first_module = ModulePage.objects.child_of(course).order_by("path").first()
    first_module.add_child(instance=LessonPage(title="Listening First lesson 1.2", body=lesson_body(2)))
    learner = UserFactory(email="ana@example.org")
    enrollment, _ = services.enrollment_create(user=learner, course=course)
    complete_all(enrollment, course)
    mail.outbox.clear()
    new = publish_new_lesson(first_module, django_capture_on_commit_callbacks)
    return type("Finished", (), dict(course=course, learner=learner, enrollment=enrollment, new=new))


def test_the_recompute_keeps_completed_at_100(finished):
    enrollment = Enrollment.objects.get(pk=finished.enrollment.pk)
    assert (enrollment.status, enrollment.progress_percent) == (Enrollment.Status.COMPLETED, 100)
    services.enrollment_refresh_progress(enrollment_id=enrollment.pk)  # the task, run again
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.progress_percent) == (Enrollment.Status.COMPLETED, 100)


def test_the_database_refuses_completed_below_100(finished):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.filter(pk=finished.enrollment.pk).update(progress_percent=75)
    # Nor may a completed enrolment that was withdrawn come back lower.
    Enrollment.objects.filter(pk=finished.enrollment.pk).update(status=Enrollment.Status.WITHDRAWN)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.filter(pk=finished.enrollment.pk).update(progress_percent=75)


def test_the_course_page_says_completed_at_100_and_marks_what_is_new(client, finished):
    client.force_login(finished.learner)
    page = client.get(finished.course.url).content.decode()
    assert "100% complete" in page and "75%" not in page
    assert "3 of 3 required lessons complete — course completed." in page
    assert "1 item was added since you finished" in page
    new_row = page.split(finished.new.title)[1].split("</li>")[0]
    assert NEW in new_row and "(optional for you)" in new_row
    assert page.count(NEW) == 2  # the hint above and the one new item: nothing else is "new"
    assert "Start the course" not in page


def test_the_lesson_pages_say_100_and_new_and_nothing_is_locked(client, finished):
    client.force_login(finished.learner)
    old = lessons_of(finished.course)[0]
    page = client.get(old.url).content.decode()
    assert "100% complete" in page and "75%" not in page
    assert NEW in page.split(finished.new.title)[1].split("</li>")[0]
    new_page = client.get(finished.new.url).content.decode()
    assert "New since you finished (optional for you)" in new_page
    # The course is taken in order, but the new lesson locks nothing for someone who finished.
    last = lessons_of(finished.course)[-1]
    assert client.get(last.url).status_code == 200
    assert "opens when this lesson is complete" not in new_page


def test_doing_the_new_lesson_is_welcome_but_congratulates_nobody_twice(client, finished, django_capture_on_commit_callbacks):
    client.force_login(finished.learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("courses:complete", args=[finished.course.id, finished.new.id]), follow=True)
    page = response.content.decode()
    assert f"“{finished.new.title}” is complete." in page
    assert "Well done" not in page
    assert not mail.outbox  # the completion email went once, when the course was completed
    enrollment = Enrollment.objects.get(pk=finished.enrollment.pk)
    assert (enrollment.status, enrollment.progress_percent) == (Enrollment.Status.COMPLETED, 100)
    page = client.get(finished.course.url).content.decode()
    assert NEW not in page and "4 of 4 required lessons complete" in page


def test_my_learning_says_completed_at_100(client, finished):
    client.force_login(finished.learner)
    page = client.get(reverse("courses:dashboard")).content.decode()
    assert "100% complete" in page and "75%" not in page
    assert "Completed on" in page


def test_the_staff_enrolment_listing_and_export_say_100(client, finished):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    listing = client.get(reverse("enrollments:index")).content.decode()
    (row,) = [r for r in re.findall(r"<tr.*?</tr>", listing, re.S) if "Listening First" in r and "<td" in r]
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td.*?</td>", row, re.S)]
    assert "100" in cells and "75" not in cells
    export = client.get(reverse("enrollments:index") + "?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert export.status_code == 200
    values = dict(zip(rows[0], rows[1], strict=True))
    assert (values["Email"], values["Course"], values["Status"], values["Progress %"]) == (
        "ana@example.org", "Listening First", "completed", "100"
    )


def test_the_managers_dashboard_and_csv_apply_the_same_rule(client, catalogue, django_capture_on_commit_callbacks):
    """A required quiz published after a staff member completed the course: completed,
    100%, "1 of 1" quizzes with one new since (not "1 of 2")."""
    course = build_course(title="Facilitator Training", modules=1, lessons_per_module=1)
    module = ModulePage.objects.child_of(course).get()
    first_quiz = build_quiz(module, title="Module check", questions=[single()])
    org = organisation()
    SeatPool.objects.create(organisation=org, course=course, total=10)
    manager = member(org, name="Morgan Manager", email="morgan@example.org", role=Membership.Role.MANAGER)
    ada = member(org, name="Ada", email="ada@example.org")
    enrollment, _ = services.enrollment_create(user=ada, course=course, source=Enrollment.Source.SEAT)
    services.lesson_complete(enrollment=enrollment, lesson=lessons_of(course)[0])
    passed(enrollment, first_quiz)
    services.enrollment_refresh_progress(enrollment_id=enrollment.pk)
    quiz = module.add_child(instance=QuizPage(title="New check", questions=[single()], live=False))
    with django_capture_on_commit_callbacks(execute=True):
        quiz.save_revision().publish()

    client.force_login(manager)
    page = client.get(reverse("organisations:dashboard", args=[org.pk])).content.decode()
    row = page.split("ada@example.org")[1].split("</tr>")[0]
    assert "Completed" in row and "100% complete" in row
    assert "1 of 1; 1 new since they finished (optional for them)" in row
    export = client.get(reverse("organisations:staff_csv", args=[org.pk]))
    header, ada_row = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    values = dict(zip(header, ada_row, strict=True))
    assert (values["Status"], values["Progress %"]) == ("Completed", "100")
    assert (values["Required assessments passed"], values["Required assessments"]) == ("1", "1")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_sets_completed_enrolments_to_100():
    """Rows written under the old rule ("completed" at 75%) are mended before the
    constraint is added."""
    executor = MigrationExecutor(connection)
    executor.migrate([("courses", "0004_review_digest")])
    apps = executor.loader.project_state([("courses", "0004_review_digest")]).apps
    # Accounts' own migrations stay applied (none depends on courses), so its current model
    # matches its table; the state at courses 0004 would lack its later columns.
    user = get_user_model().objects.create(email="old@example.org", username="old@example.org")
    course_id = apps.get_model("courses", "CoursePage").objects.values_list("pk", flat=True).first()
    if course_id is None:
        course_id = build_course(title="Old rule").pk
    old = apps.get_model("courses", "Enrollment").objects.create(
        user_id=user.pk, course_id=course_id, status="completed", completed_at=timezone.now(), progress_percent=75
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Enrollment.objects.get(pk=old.pk).progress_percent == 100
