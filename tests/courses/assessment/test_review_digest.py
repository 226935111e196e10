"""The reviewers' morning email: sent when written answers wait (or grading failed), once a
day whatever the number of runs, to reviewers only, without learners' names or answers."""
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from courses.assessment import services
from courses.assessment.services import review_digest_send
from courses.models import QuizAttempt, ReviewDigest
from courses.services import enrollment_create
from tests.concurrency import run_together
from tests.factories import UserFactory, build_course, build_quiz, single, written

from .conftest import answer_key, submitted_for_review

pytestmark = pytest.mark.django_db
Status = QuizAttempt.Status


@pytest.fixture
def reviewer():
    user = UserFactory(email="reviewer@example.org", certificate_name="Robin Reviewer")
    user.groups.add(Group.objects.get(name="Assessment reviewers"))
    return user


def waiting_attempt(course, learner, capture) -> QuizAttempt:
    """A learner's submitted attempt at a quiz with a written question: waiting for review."""
    from courses.models import ModulePage

    quiz = build_quiz(ModulePage.objects.child_of(course).first(), title="Written check", questions=[single(), written()])
    enrollment_create(user=learner, course=course)
    return submitted_for_review(quiz, learner, capture)


def test_nothing_waiting_sends_nothing(reviewer, mailoutbox):
    assert review_digest_send() == 0
    assert not mailoutbox and not ReviewDigest.objects.exists()


def test_reviewers_hear_what_waits_once_a_day(catalogue, reviewer, mailoutbox, django_capture_on_commit_callbacks):
    first = build_course(title="Meeting Basics", modules=1, lessons_per_module=1)
    second = build_course(title="Family & Friends", modules=1, lessons_per_module=1)
    learner = UserFactory(email="sam.learner@example.org", certificate_name="Sam Learner")
    old = waiting_attempt(first, learner, django_capture_on_commit_callbacks)
    QuizAttempt.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=3))
    waiting_attempt(first, UserFactory(), django_capture_on_commit_callbacks)
    waiting_attempt(second, UserFactory(), django_capture_on_commit_callbacks)
    failed = waiting_attempt(second, UserFactory(), django_capture_on_commit_callbacks)
    QuizAttempt.objects.filter(pk=failed.pk).update(status=Status.FAILED, grading_error="Timed out")
    # Not reviewers by role: a superuser, a former reviewer (inactive), staff without the permission.
    UserFactory(is_superuser=True, is_staff=True, email="admin@example.org")
    gone = UserFactory(is_active=False, email="gone@example.org")
    gone.groups.add(Group.objects.get(name="Assessment reviewers"))
    UserFactory(is_staff=True, email="editor@example.org").user_permissions.add(Permission.objects.get(codename="access_admin"))
    direct = UserFactory(email="direct@example.org")
    direct.user_permissions.add(Permission.objects.get(codename="review_quizattempt"))
    mailoutbox.clear()

    assert review_digest_send() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["direct@example.org", "reviewer@example.org"]
    mail = next(m for m in mailoutbox if m.to == ["reviewer@example.org"])
    assert mail.subject == "3 answers waiting for review, 1 not graded"
    assert "Hello Robin Reviewer" in mail.body and "3 attempts with written answers are waiting" in mail.body
    assert "The oldest was submitted 3\xa0days ago" in mail.body
    assert "  Meeting Basics: 2\n  Family & Friends: 1" in mail.body  # plain text: no &amp;
    assert "1 attempt could not be graded automatically. Open it from the queue" in mail.body
    assert "/admin/quiz-reviews/" in mail.body
    assert "Sam Learner" not in mail.body and "sam.learner@example.org" not in mail.body
    # The same day again (a retry, a second beat): nothing more. The next day: again.
    assert review_digest_send() == 0 and len(mailoutbox) == 2
    assert review_digest_send(now=timezone.now() + timedelta(days=1)) == 2 and len(mailoutbox) == 4
    assert list(ReviewDigest.objects.values_list("waiting", "failed", "recipients")) == [(3, 1, 2), (3, 1, 2)]


def test_no_reviewer_means_no_email_and_no_record(catalogue, mailoutbox, django_capture_on_commit_callbacks):
    """Nobody told today: when a reviewer is added, the next run tells them."""
    course = build_course(title="Meeting Basics", modules=1, lessons_per_module=1)
    waiting_attempt(course, UserFactory(), django_capture_on_commit_callbacks)
    mailoutbox.clear()
    assert review_digest_send() == 0 and not ReviewDigest.objects.exists()
    reviewer = UserFactory(email="new.reviewer@example.org")
    reviewer.groups.add(Group.objects.get(name="Assessment reviewers"))
    assert review_digest_send() == 1 and mailoutbox[0].subject == "1 answer waiting for review"
    assert "1 attempt with written answers is waiting" in mailoutbox[0].body


# serialized_rollback: the flush after a transactional test would otherwise take the
# migrations' page tree away from the tests that run after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_runs_at_once_mail_each_reviewer_once(catalogue, reviewer, mailoutbox):
    """Two beat processes (or a retry overlapping the first run): one email per reviewer."""
    course = build_course(title="Meeting Basics", modules=1, lessons_per_module=1)
    from courses.models import ModulePage

    quiz = build_quiz(ModulePage.objects.child_of(course).first(), title="Written check", questions=[written()])
    learner = UserFactory()
    enrollment_create(user=learner, course=course)
    attempt = services.attempt_start(user=learner, quiz=quiz)
    services.attempt_submit(attempt_id=attempt.pk, user=learner, answers=answer_key(attempt))  # graded at commit
    assert QuizAttempt.objects.get(pk=attempt.pk).status == Status.NEEDS_REVIEW
    mailoutbox.clear()

    results, errors = run_together(4, lambda _: review_digest_send())
    assert errors == [] and sorted(results) == [0, 0, 0, 1]
    assert [m.to for m in mailoutbox] == [["reviewer@example.org"]]
    assert ReviewDigest.objects.count() == 1
