"""The eligibility selector: its words per rule, and a query count that does not grow with
courses, approvals or study hours."""
from datetime import timedelta

import pytest
from django.utils import timezone

from continuing_education import selectors
from tests.factories import build_course, build_quiz

from .conftest import give_licence, hour_start, make_approval, study

pytestmark = pytest.mark.django_db


def count_queries(user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        standings = selectors.ce_standings(user=user)
        for course in standings:
            for standing in course.approvals:
                [rule.text for rule in standing.rules]
    return len(captured.captured_queries), standings


def test_the_query_count_does_not_grow_with_courses_approvals_or_study(learner, course, catalogue):
    make_approval(course)
    give_licence(learner)
    study(learner, course, hour_start(timezone.now() - timedelta(days=3)), 2)
    one, standings = count_queries(learner)
    assert len(standings) == 1 and one <= 9

    other = build_course(title="Family Meetings", modules=1, lessons_per_module=1)
    build_quiz(other.get_children().first().specific)
    from courses import services as learning

    learning.enrollment_create(user=learner, course=other)
    make_approval(other, body_name="NBCC")
    make_approval(other, body_name="ASWB")
    make_approval(course, body_name="ICRC")
    study(learner, other, hour_start(timezone.now() - timedelta(days=9)), 30, seconds=600)
    many, standings = count_queries(learner)
    assert sorted(len(s.approvals) for s in standings) == [2, 2]
    assert many == one + 1 <= 9  # the quiz attempts, now that a course has a required quiz

    third = build_course(title="Veterans Meetings", modules=1, lessons_per_module=1)
    build_quiz(third.get_children().first().specific)
    learning.enrollment_create(user=learner, course=third)
    make_approval(third, body_name="NAADAC3")
    study(learner, third, hour_start(timezone.now() - timedelta(days=20)), 40, seconds=900)
    more, standings = count_queries(learner)
    assert len(standings) == 3 and more == many


def test_a_learner_with_no_ce_courses_costs_one_query(learner, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.ce_standings(user=learner) == []


def test_every_rule_is_worded(learner, course):
    make_approval(course, hours="1.5", daily_cap_hours=1)
    study(learner, course, hour_start(timezone.now() - timedelta(hours=3)), 1, seconds=1800)
    standing = selectors.ce_standing(user=learner, course=course).approvals[0]
    texts = {rule.name: (rule.met, rule.text) for rule in standing.rules}
    assert texts["completed"] == (False, "Complete the course: every required lesson and quiz.")
    assert texts["time"] == (
        False, "Spend at least 1 h 30 min on the course's lessons and quizzes: you have spent 30 min so far.")
    assert texts["evaluation"] == (False, "Submit the course evaluation.")
    assert texts["licence"][0] is False and "Record your professional licence" in texts["licence"][1]
    assert texts["cap"] == (False, "0.5 of 1.5 hours credited so far.")
    assert texts["approval"] == (True, "The NAADAC approval is current.")
    assert standing.status == selectors.UNMET and standing.credited_now == 0.5
