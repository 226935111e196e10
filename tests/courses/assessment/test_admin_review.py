"""The review queue in the Wagtail admin, driven through Django's test client: a reviewer
finds an attempt, marks its written answer and the learner hears once; bad posts and
people without the permission change nothing."""
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import jobs
from courses.assessment import services
from courses.models import QuizAttempt
from courses.services import enrollment_create, reflection_save
from tests.factories import UserFactory, build_course, build_quiz, lessons_of, single, written

from .conftest import answer_key, submitted_for_review

pytestmark = pytest.mark.django_db
Status = QuizAttempt.Status
QUEUE = "/admin/quiz-reviews/"
LOGIN = "/accounts/login/"


def in_group(name, **fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def reviewer():
    return in_group("Assessment reviewers", email="reviewer@example.org")


@pytest.fixture
def written_quiz(module):
    return build_quiz(module, title="Written check", questions=[single(), written()])


@pytest.fixture
def attempt(written_quiz, learner, django_capture_on_commit_callbacks) -> QuizAttempt:
    """The learner's submitted attempt, objective part right, the written answer waiting."""
    return submitted_for_review(written_quiz, learner, django_capture_on_commit_callbacks)


def written_id(attempt) -> str:
    return next(q["id"] for q in attempt.questions if q["type"] == "written")


def marks(attempt, *values, comment="Kind, calm and safe.") -> dict:
    qid = written_id(attempt)
    return {**{f"mark-{qid}-{i}": str(v) for i, v in enumerate(values)}, "comment": comment}


def assert_untouched(attempt):
    attempt.refresh_from_db()
    assert attempt.status == Status.NEEDS_REVIEW
    assert attempt.review == {} and attempt.reviewed_by is None and attempt.reviewed_at is None
    assert attempt.reviewer_comment == "" and attempt.score_awarded is None


def test_a_reviewer_finds_marks_and_sends_the_result(
    client, reviewer, attempt, learner, course, mailoutbox, django_capture_on_commit_callbacks
):
    lesson = lessons_of(course)[0]
    reflection_id = next(b.id for b in lesson.body if b.block_type == "reflection")
    reflection_save(user=learner, lesson=lesson, block_id=reflection_id, text="My private reflection 7731")
    other_course = build_course(title="Another course", modules=1, lessons_per_module=1)
    client.force_login(reviewer)

    queue = client.get(QUEUE)
    assert queue.status_code == 200
    html = queue.content.decode()
    for shown in (learner.email, learner.certificate_name, "Written check", "Meeting Basics", f"{QUEUE}{attempt.pk}/"):
        assert shown in html
    assert f"/admin/quiz-reviews/quiz/{attempt.quiz_id}/stats/" in html

    # Filters: by course, and by how long the attempt has waited.
    assert learner.email in client.get(QUEUE, {"course": course.pk}).content.decode()
    assert learner.email not in client.get(QUEUE, {"course": other_course.pk}).content.decode()
    stale_link = client.get(QUEUE, {"course": 999999, "days": "forever"})
    assert stale_link.status_code == 200 and learner.email in stale_link.content.decode()  # errors, whole queue
    assert "Select a valid choice" in stale_link.content.decode()
    assert learner.email not in client.get(QUEUE, {"days": 1}).content.decode()
    QuizAttempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now() - timezone.timedelta(days=2))
    assert learner.email in client.get(QUEUE, {"days": 1}).content.decode()
    assert learner.email not in client.get(QUEUE, {"days": 3}).content.decode()

    page = client.get(f"{QUEUE}{attempt.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    qid = written_id(attempt)
    assert f'name="mark-{qid}-0"' in html and f'name="mark-{qid}-1"' in html
    assert "3 of 3" in html and "2 of 2" in html and 'name="comment"' in html
    assert "Save review and send result" in html
    assert "A member arrives visibly intoxicated" in html  # the scenario
    assert "speak to them quietly and kindly" in html  # the learner's written answer
    assert "Result: 1 of 1" in html  # the objective question, already graded
    assert "My private reflection 7731" not in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{QUEUE}{attempt.pk}/", marks(attempt, 2, 2))
    assert response.status_code == 302 and response["Location"] == QUEUE
    attempt.refresh_from_db()
    assert attempt.status == Status.GRADED
    assert attempt.score_awarded == 5 and attempt.score_possible == 6  # 1 objective + 2 + 2 rubric
    assert str(attempt.percent) == "83.33" and attempt.passed is True
    assert attempt.review == {qid: [2, 2]} and attempt.results[qid]["awarded"] == "4.00"
    assert attempt.reviewed_by == reviewer and attempt.reviewed_at is not None
    assert attempt.reviewer_comment == "Kind, calm and safe."
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [learner.email]
    assert "Kind, calm and safe." in mailoutbox[0].body

    after = client.get(QUEUE).content.decode()
    assert "Review saved" in after and learner.email not in after


@pytest.mark.parametrize(
    "make_post, error",
    [
        (lambda a: marks(a, 4, 2), "from 0 to 3"),  # out of range
        (lambda a: marks(a, -1, 2), "from 0 to 3"),
        (lambda a: marks(a, "two", 2), "from 0 to 3"),
        (lambda a: {k: v for k, v in marks(a, 2, 2).items() if not k.endswith("-1")}, "Choose a mark"),  # missing
        (lambda a: {"mark-not-a-question-0": "3", "mark-not-a-question-1": "2", "comment": ""}, "do not match"),
        (lambda a: {**marks(a, 2, 2), f"mark-{written_id(a)}-2": "1"}, "do not match"),  # an extra criterion
        (lambda a: {**marks(a, 2, 2), "comment": "x" * 5001}, "at most 5000"),
    ],
)
def test_a_bad_post_shows_an_error_and_changes_nothing(client, reviewer, attempt, mailoutbox, make_post, error,
                                                       django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{QUEUE}{attempt.pk}/", make_post(attempt))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert_untouched(attempt)
    assert mailoutbox == []


def test_a_second_review_is_refused(client, reviewer, attempt, mailoutbox, django_capture_on_commit_callbacks):
    other = in_group("Assessment reviewers")
    other_client = Client()
    other_client.force_login(other)
    assert other_client.get(f"{QUEUE}{attempt.pk}/").status_code == 200  # both have the form open
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{QUEUE}{attempt.pk}/", marks(attempt, 3, 2, comment="First")).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        late = other_client.post(f"{QUEUE}{attempt.pk}/", marks(attempt, 0, 0, comment="Second"))
    assert late.status_code == 200 and "not waiting for review" in late.content.decode()
    attempt.refresh_from_db()
    assert attempt.reviewed_by == reviewer and attempt.reviewer_comment == "First" and attempt.score_awarded == 6
    assert len(mailoutbox) == 1


def test_a_failed_attempt_is_listed_and_sent_back_for_grading(
    client, reviewer, quiz, learner, django_capture_on_commit_callbacks
):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=False):  # grading never runs
        services.attempt_submit(attempt_id=attempt.pk, user=learner, answers=answer_key(attempt))
    services.attempt_grading_failed(attempt_id=attempt.pk, error="OperationalError: server closed", final=True)
    client.force_login(reviewer)
    html = client.get(QUEUE).content.decode()
    assert "OperationalError: server closed" in html and f"{QUEUE}{attempt.pk}/requeue/" in html
    assert client.get(f"{QUEUE}{attempt.pk}/requeue/").status_code == 405  # POST only
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{QUEUE}{attempt.pk}/requeue/")
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == Status.GRADED and attempt.passed is True and attempt.grading_error == ""
    # Again: it is no longer failed, so nothing happens and the reviewer is told.
    response = client.post(f"{QUEUE}{attempt.pk}/requeue/", follow=True)
    assert "no longer marked as failed" in response.content.decode()


# --- permissions, as attacks -----------------------------------------------------------------


def every_url(attempt):
    quiz = attempt.quiz_id
    gets = [QUEUE, f"{QUEUE}{attempt.pk}/", f"{QUEUE}quiz/{quiz}/stats/", f"{QUEUE}quiz/{quiz}/stats.csv",
            f"{QUEUE}quiz/{quiz}/regrade/"]
    posts = [(f"{QUEUE}{attempt.pk}/", marks(attempt, 3, 2)), (f"{QUEUE}{attempt.pk}/requeue/", {}),
             (f"{QUEUE}quiz/{quiz}/regrade/", {})]
    return gets, posts


@pytest.fixture
def regrades(monkeypatch):
    calls = []
    monkeypatch.setattr(jobs.regrade_quiz, "enqueue_on_commit", calls.append)
    return calls


@pytest.mark.parametrize("who", ["anonymous", "learner", "staff_without_permission", "author"])
def test_nobody_else_reaches_any_url(client, who, attempt, learner, mailoutbox, regrades,
                                     django_capture_on_commit_callbacks):
    if who == "learner":
        client.force_login(learner)
    elif who == "staff_without_permission":
        client.force_login(UserFactory(is_staff=True))
    elif who == "author":  # in the admin, but not a reviewer
        client.force_login(in_group("Course authors"))
    expected = "/admin/" if who == "author" else LOGIN
    gets, posts = every_url(attempt)
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(expected), url
    for url, data in posts:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        assert response.status_code == 302 and response["Location"].startswith(expected), url
    assert response["Location"] != QUEUE
    assert_untouched(attempt)
    assert mailoutbox == [] and regrades == []


def test_the_menu_item_shows_only_to_reviewers(client, reviewer, attempt):
    client.force_login(in_group("Course authors"))
    assert "Review queue" not in client.get("/admin/").content.decode()
    client.force_login(reviewer)
    assert "Review queue (1)" in client.get("/admin/").content.decode()


def test_csrf_is_enforced(reviewer, attempt, mailoutbox):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    assert client.post(f"{QUEUE}{attempt.pk}/", marks(attempt, 3, 2)).status_code == 403
    assert_untouched(attempt)
    # With the token from the page, the same post goes through.
    client.get(f"{QUEUE}{attempt.pk}/")
    token = client.cookies["csrftoken"].value
    with_token = {**marks(attempt, 3, 2), "csrfmiddlewaretoken": token}
    assert client.post(f"{QUEUE}{attempt.pk}/", with_token).status_code == 302


# --- groups and question banks -----------------------------------------------------------------


def test_groups_from_the_migration():
    reviewers = Group.objects.get(name="Assessment reviewers")
    assert {f"{p.content_type.app_label}.{p.codename}" for p in reviewers.permissions.all()} == {
        "courses.review_quizattempt", "wagtailadmin.access_admin"
    }
    for name in ("Course authors", "Course publishers"):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"add_questionbank", "change_questionbank", "delete_questionbank", "view_questionbank"} <= codenames
        assert "review_quizattempt" not in codenames


def test_authors_edit_question_banks_as_snippets(client):
    from courses.models import QuestionBank

    bank = QuestionBank.objects.create(title="Safety questions", questions=[single()])
    QuestionBank.objects.create(title="Other bank", questions=[single()])
    client.force_login(in_group("Course authors"))
    listing = client.get("/admin/snippets/courses/questionbank/")
    assert listing.status_code == 200 and "Safety questions" in listing.content.decode()
    found = client.get("/admin/snippets/courses/questionbank/", {"q": "Safety"}).content.decode()
    assert "Safety questions" in found and "Other bank" not in found
    assert client.get(f"/admin/snippets/courses/questionbank/edit/{bank.pk}/").status_code == 200
    # A reviewer who is not an author cannot edit banks.
    client.force_login(in_group("Assessment reviewers"))
    assert client.get(f"/admin/snippets/courses/questionbank/edit/{bank.pk}/").status_code == 302


def test_quiz_pages_link_to_statistics_and_regrade(client, written_quiz, module):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    stats_url = f"{QUEUE}quiz/{written_quiz.pk}/stats/"
    regrade_url = f"{QUEUE}quiz/{written_quiz.pk}/regrade/"
    edit = client.get(f"/admin/pages/{written_quiz.pk}/edit/").content.decode()
    assert stats_url in edit and regrade_url in edit
    listing = client.get(f"/admin/pages/{module.pk}/").content.decode()
    assert stats_url in listing
    lesson = lessons_of(module.get_parent().specific)[0]
    assert f"{QUEUE}quiz/{lesson.pk}/stats/" not in client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()


def test_the_queue_costs_the_same_queries_for_one_attempt_or_many(
    client, reviewer, attempt, written_quiz, course, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    client.get(QUEUE)  # warm the caches (content types, site)
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE)
    for _ in range(3):
        other = UserFactory()
        enrollment_create(user=other, course=course)
        extra = services.attempt_start(user=other, quiz=written_quiz)
        with django_capture_on_commit_callbacks(execute=True):
            services.attempt_submit(attempt_id=extra.pk, user=other, answers=answer_key(extra))
    with CaptureQueriesContext(connection) as four:
        html = client.get(QUEUE).content.decode()
    assert "Waiting for review (4)" in html
    assert len(four) == len(one)


def test_the_queue_shows_times_in_the_staff_members_own_zone(client, reviewer, attempt):
    """A reviewer in Madrid reads a learner's submission time in Madrid's time, whatever
    zone the learner was in (Wagtail activates the staff member's saved zone; the queue
    shows times through kernel.when)."""
    import datetime

    from django.utils import timezone
    from wagtail.users.models import UserProfile

    from kernel.when import when_text

    submitted = datetime.datetime(2026, 12, 1, 8, 30, tzinfo=datetime.timezone.utc)
    QuizAttempt.objects.filter(pk=attempt.pk).update(submitted_at=submitted)
    profile = UserProfile.get_for_user(reviewer)
    profile.current_time_zone = "Europe/Madrid"
    profile.save()
    client.force_login(reviewer)
    from django.urls import reverse

    body = client.get(reverse("quiz_reviews:index")).content.decode()
    with timezone.override("Europe/Madrid"):
        madrid = when_text(submitted)
    with timezone.override("UTC"):
        utc = when_text(submitted)
    assert "09:30" in madrid and madrid in body
    assert utc not in body
