"""Staff read course evaluations as totals and anonymous comments (and a CSV of the same),
only with the permission; learners and managers get nothing."""
import csv
import io
from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from continuing_education.evaluation.results import evaluation_results
from continuing_education.models import EvaluationResponse
from organisations.models import Membership, Organisation
from tests.continuing_education.evaluations import add_evaluation, question_ids
from tests.factories import UserFactory, build_course, enrolled_learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return build_course(modules=1, lessons_per_module=1)


@pytest.fixture
def evaluation(course):
    return add_evaluation(course)


def answer(course, ids, *, day, ratings=(5, 4, 3), yes=True, better="", other=""):
    answers = {ids["rating1"]: ratings[0], ids["rating2"]: ratings[1], ids["rating3"]: ratings[2], ids["yes_no1"]: yes}
    if better:
        answers[ids["text1"]] = better
    if other:
        answers[ids["text2"]] = other
    return EvaluationResponse.objects.create(course=course, language="en", submitted_on=day, answers=answers)


@pytest.fixture
def answered(course, evaluation):
    ids = question_ids(evaluation)
    # Given in this order: the comments must not come back in it.
    answer(course, ids, day=date(2026, 3, 14), ratings=(5, 5, 4), better="Zoom fatigue: shorter videos")
    answer(course, ids, day=date(2026, 3, 2), ratings=(3, 4, 4), yes=False, better="=HYPERLINK(\"http://x\")")
    answer(course, ids, day=date(2026, 4, 20), ratings=(4, 2, 5), better="apply more role-play", other="Thanks!")
    return ids


def staff(permission=True):
    user = UserFactory(is_staff=True)
    group = Group.objects.get(name="Course publishers")
    if permission:
        user.groups.add(group)
    else:
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_totals_means_and_comments_ordered_by_text_by_month(course, answered):
    results = evaluation_results(course=course)
    assert results.responses == 3
    first, second, third, yes_no, better, other = results.questions
    assert first.counts == [0, 0, 1, 1, 1] and str(first.mean) == "4.00"
    assert second.counts == [0, 1, 0, 1, 1] and str(second.mean) == "3.67"
    assert (yes_no.yes, yes_no.no) == (2, 1)
    assert [(c.text, c.month) for c in better.comments] == [
        ("=HYPERLINK(\"http://x\")", date(2026, 3, 1)),
        ("apply more role-play", date(2026, 4, 1)),
        ("Zoom fatigue: shorter videos", date(2026, 3, 1)),
    ]
    assert [c.text for c in other.comments] == ["Thanks!"]


def test_the_period_is_inclusive_days(course, answered):
    march = evaluation_results(course=course, since=date(2026, 3, 2), until=date(2026, 3, 31))
    assert march.responses == 2
    assert evaluation_results(course=course, since=date(2026, 3, 15)).responses == 1


def test_answers_to_removed_questions_or_of_a_changed_kind_are_left_out(course, evaluation, answered):
    EvaluationResponse.objects.create(
        course=course, language="en", submitted_on=date(2026, 5, 1),
        answers={"gone": 5, answered["rating1"]: "five", answered["yes_no1"]: 1},
    )
    results = evaluation_results(course=course)
    assert results.responses == 4 and results.questions[0].answered == 3 and results.questions[3].yes == 2


def test_the_staff_page_shows_totals_and_comments_without_names_or_days(client, course, answered):
    learner = enrolled_learner(course, certificate_name="Dana Learner")
    client.force_login(staff())
    response = client.get(reverse("ce_evaluations:index"), {"course": course.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 responses" in page
    assert "Mean: 4.00 of 5 (3 answered)" in page
    assert "Yes: 2 · No: 1" in page
    assert page.index("apply more role-play") < page.index("Zoom fatigue")
    assert "March 2026" in page and "14 March" not in page and "2026-03-14" not in page
    assert learner.email not in page and "Dana Learner" not in page


def test_the_csv_has_the_same_figures_and_is_safe_in_a_spreadsheet(client, course, answered):
    client.force_login(staff())
    response = client.get(reverse("ce_evaluations:csv"), {"course": course.pk, "since": "2026-03-01"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Course", "Period from", "Period until", "Question"]
    assert rows[1][4:6] == ["responses", ""] and rows[1][6] == "3"
    means = [row for row in rows if row[5] == "mean"]
    assert [row[7] for row in means] == ["4.00", "3.67", "4.33"]
    comments = [row for row in rows if row[4] == "comment"]
    assert [(row[5], row[8]) for row in comments][0] == ("'=HYPERLINK(\"http://x\")", "2026-03")
    assert all(len(row[8]) == 7 for row in comments)  # the month, nothing finer


def test_a_bad_filter_is_refused_with_a_reason(client, course, answered):
    client.force_login(staff())
    other = build_course(title="Not evaluated")
    assert client.get(reverse("ce_evaluations:csv"), {"course": other.pk}).status_code == 400
    page = client.get(reverse("ce_evaluations:index"), {"course": course.pk, "since": "2026-05-01", "until": "2026-01-01"})
    assert "The period cannot end before it starts." in page.content.decode()


def test_the_menu_shows_the_page_to_staff_with_the_permission_only(client, answered):
    client.force_login(staff())
    page = client.get("/admin/").content.decode()
    assert "Continuing education" in page and reverse("ce_evaluations:index") in page
    client.force_login(staff(permission=False))
    page = client.get("/admin/").content.decode()
    assert reverse("ce_evaluations:index") not in page


@pytest.mark.parametrize("who", ["learner", "manager", "staff_without_permission", "visitor"])
def test_others_are_refused(client, course, answered, who):
    if who == "learner":
        client.force_login(enrolled_learner(course))
    elif who == "manager":
        org = Organisation.objects.create(name="Riverside", kind="treatment", country="GB", billing_email="b@example.org")
        manager = UserFactory()
        Membership.objects.create(organisation=org, user=manager, role=Membership.Role.MANAGER)
        client.force_login(manager)
    elif who == "staff_without_permission":
        client.force_login(staff(permission=False))
    for name in ("ce_evaluations:index", "ce_evaluations:csv"):
        response = client.get(reverse(name), {"course": course.pk})
        assert response.status_code in (302, 403)
        assert b"role-play" not in response.content and b"responses" not in response.content
        if response.status_code == 302:
            assert response["Location"].startswith(("/accounts/login/", "/admin/login/")) or response["Location"] == "/admin/"


def test_certification_staff_hold_the_permission_too():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Certification staff"))
    assert user.has_perm("continuing_education.view_evaluation_results")
