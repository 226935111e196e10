"""The passing-score rule: every required quiz passed with the approval's score, which can
be above the quiz's own pass mark; a better attempt after completion issues the certificate."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from continuing_education import selectors, services
from continuing_education.models import CECertificate
from courses.assessment import services as assessment
from tests.factories import answer_key, build_quiz

from .conftest import complete_course, evaluate, give_licence, hour_start, make_approval, study

pytestmark = pytest.mark.django_db


def take(quiz, learner, capture, *, right_count: int):
    attempt = assessment.attempt_start(user=learner, quiz=quiz)
    answers = answer_key(attempt, right=True)
    wrong = answer_key(attempt, right=False)
    for qid in list(answers)[right_count:]:
        answers[qid] = wrong[qid]
    with capture(execute=True):
        assessment.attempt_submit(attempt_id=attempt.pk, user=learner, answers=answers)
    attempt.refresh_from_db()
    return attempt


def test_a_score_below_the_approvals_passing_score_issues_nothing_until_a_better_attempt(
    learner, course, django_capture_on_commit_callbacks, mailoutbox
):
    approval = make_approval(course, passing_score_percent=80)
    quiz = build_quiz(course.get_children().first().specific, title="Module check", pass_mark=50)
    study(learner, course, hour_start(timezone.now() - timedelta(days=2)), 2)
    give_licence(learner)
    evaluate(learner, course)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, course)
    first = take(quiz, learner, django_capture_on_commit_callbacks, right_count=1)  # 50 %: passes the quiz
    assert first.passed and first.percent == Decimal("50.00")
    assert learner.enrollments.get().status == "completed"
    assert not CECertificate.objects.exists()
    standing = selectors.ce_standing(user=learner, course=course).approvals[0]
    assert [r.name for r in standing.unmet_rules] == ["score"]
    assert "Pass every required quiz with a score of at least 80%." in [r.text for r in standing.unmet_rules]
    assert any("at least 80%" in m.body for m in mailoutbox if "what is left" in m.subject)

    # A passed quiz is not taken again; a regrade (an answer key fixed by staff) raises
    # the score as courses.assessment's attempt_regrade saves it: the grading trigger.
    with django_capture_on_commit_callbacks(execute=True):
        first.score_awarded = first.score_possible
        first.percent = Decimal("100.00")
        first.save()
    certificate = CECertificate.objects.get(holder=learner, approval=approval)
    assert certificate.completed_at >= first.graded_at


def test_a_saved_attempt_that_is_not_a_pass_asks_for_nothing(learner, course, django_capture_on_commit_callbacks):
    make_approval(course)
    quiz = build_quiz(course.get_children().first().specific, title="Module check", pass_mark=100)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, course)
    from continuing_education.models import CECheck

    CECheck.objects.all().delete()
    take(quiz, learner, django_capture_on_commit_callbacks, right_count=1)
    assert not CECheck.objects.exists()


def test_a_course_without_required_quizzes_has_no_score_rule(learner, course):
    make_approval(course)
    standing = selectors.ce_standing(user=learner, course=course).approvals[0]
    assert "score" not in [r.name for r in standing.rules]
    assert services.ce_evaluate(user_id=learner.pk, course_id=course.pk) == []
