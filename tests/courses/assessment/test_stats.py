"""Per-question statistics: the pure computation on a small known data set, the admin page
over real attempts, and a CSV export that spreadsheets cannot run as formulas."""
import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from courses.assessment import services
from courses.assessment.stats import quiz_stats
from courses.services import enrollment_create
from kernel.spreadsheets import csv_safe
from tests.factories import UserFactory, build_quiz, multiple, option, single, true_false

from .conftest import answer_key

D = Decimal


def q_single(prompt="Who decides?"):
    return {"id": "S", "type": "single", "prompt": prompt, "points": 1,
            "options": [{"id": "a", "label": "Participant", "correct": True},
                        {"id": "b", "label": "Facilitator", "correct": False},
                        {"id": "c", "label": "Group", "correct": False}]}


Q_MULTI = {"id": "M", "type": "multiple", "prompt": "Which keep a meeting safe?", "points": 2, "scoring": "partial",
           "options": [{"id": "x", "label": "Confidentiality", "correct": True},
                       {"id": "y", "label": "Turn-taking", "correct": True},
                       {"id": "z", "label": "Cross-talk", "correct": False}]}
Q_TF = {"id": "T", "type": "true_false", "prompt": "End early if unsafe?", "points": 1, "answer": True}
Q_WRITTEN = {"id": "W", "type": "written", "prompt": "What would you do?", "points": 5,
             "rubric": [{"criterion": "Safe", "points": 3}, {"criterion": "Kind", "points": 2}]}


def res(awarded, possible, correct):
    return {"awarded": f"{awarded}.00", "possible": f"{possible}.00", "correct": correct}


def known_attempts():
    return [
        {"user_id": 1, "passed": True, "percent": D("77.78"), "questions": [q_single(), Q_MULTI, Q_TF, Q_WRITTEN],
         "answers": {"S": "a", "M": ["x"], "T": True, "W": "text"},
         "results": {"S": res(1, 1, True), "M": res(1, 2, False), "T": res(1, 1, True), "W": res(4, 5, False)}},
        {"user_id": 2, "passed": False, "percent": D("44.44"), "questions": [q_single(), Q_MULTI, Q_TF, Q_WRITTEN],
         "answers": {"S": "b", "M": ["x", "y"], "T": False, "W": "text"},
         "results": {"S": res(0, 1, False), "M": res(2, 2, True), "T": res(0, 1, False), "W": res(2, 5, False)}},
        # Timed out with two questions unanswered; the single-choice prompt was reworded since.
        {"user_id": 1, "passed": False, "percent": D("22.22"),
         "questions": [q_single("Who decides what is shared?"), Q_MULTI, Q_TF, Q_WRITTEN],
         "answers": {"S": "a", "T": True},
         "results": {"S": res(1, 1, True), "M": res(0, 2, False), "T": res(1, 1, True), "W": res(0, 5, False)}},
    ]


def test_known_data_set():
    stats = quiz_stats(known_attempts(), order=["T", "S"])
    assert (stats.attempts, stats.learners, stats.passed) == (3, 2, 1)
    assert stats.pass_rate == D("33.3") and stats.average_percent == D("48.1")
    assert [q.id for q in stats.questions] == ["T", "S", "M", "W"]  # quiz order, then first seen
    t, s, m, w = stats.questions

    assert s.prompt == "Who decides what is shared?"  # the newest wording
    assert (s.asked, s.answered, s.correct, s.percent_correct, s.average_score) == (3, 3, 2, D("66.7"), D("66.7"))
    assert [(o.label, o.correct, o.chosen, o.percent_chosen) for o in s.options] == [
        ("Participant", True, 2, D("66.7")), ("Facilitator", False, 1, D("33.3")), ("Group", False, 0, D("0.0"))
    ]
    assert (m.asked, m.answered, m.correct, m.percent_correct, m.average_score) == (3, 2, 1, D("50.0"), D("75.0"))
    assert [(o.id, o.chosen, o.percent_chosen) for o in m.options] == [("x", 2, D("100.0")), ("y", 1, D("50.0")),
                                                                      ("z", 0, D("0.0"))]
    assert [(o.label, o.correct, o.chosen) for o in t.options] == [("True", True, 2), ("False", False, 1)]
    assert t.percent_correct == D("66.7")
    assert (w.answered, w.correct, w.percent_correct, w.average_score, w.options) == (2, 0, D("0.0"), D("60.0"), [])


def test_no_attempts():
    stats = quiz_stats([])
    assert stats.attempts == 0 and stats.pass_rate is None and stats.average_percent is None and stats.questions == []


@pytest.mark.parametrize(
    "value, shown",
    [("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=x", "'\t=x"),
     ("Plain", "Plain"), (D("12.5"), "12.5"), (None, ""), (3, "3")],
)
def test_cells_are_made_safe(value, shown):
    assert csv_safe(value) == shown


# --- through the admin, over real attempts --------------------------------------------------


@pytest.fixture
def reviewer(client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Assessment reviewers"))
    client.force_login(user)
    return user


def attempt_with(quiz, course, *, right, capture, change=None):
    user = UserFactory()
    enrollment_create(user=user, course=course)
    attempt = services.attempt_start(user=user, quiz=quiz)
    answers = answer_key(attempt, right=right)
    if change:
        change(attempt, answers)
    with capture(execute=True):
        services.attempt_submit(attempt_id=attempt.pk, user=user, answers=answers)
    attempt.refresh_from_db()
    return attempt


@pytest.mark.django_db
def test_the_stats_page(client, reviewer, module, course, django_capture_on_commit_callbacks):
    quiz = build_quiz(module, title="Stats check", questions=[single(), multiple("partial"), true_false()])
    attempt_with(quiz, course, right=True, capture=django_capture_on_commit_callbacks)
    attempt_with(quiz, course, right=False, capture=django_capture_on_commit_callbacks)
    attempt_with(quiz, course, right=False, capture=django_capture_on_commit_callbacks)
    attempt_with(quiz, course, right=True, capture=django_capture_on_commit_callbacks)
    response = client.get(f"/admin/quiz-reviews/quiz/{quiz.pk}/stats/")
    assert response.status_code == 200
    stats = response.context["stats"]
    assert (stats.attempts, stats.passed, stats.pass_rate, stats.average_percent) == (4, 2, D("50.0"), D("50.0"))
    assert [q.type for q in stats.questions] == ["single", "multiple", "true_false"]  # as authored
    assert all(q.answered == 4 and q.percent_correct == D("50.0") for q in stats.questions)
    html = response.content.decode()
    assert "Who decides what a participant shares?" in html and "50.0%" in html
    assert f"/admin/quiz-reviews/quiz/{quiz.pk}/stats.csv" in html


@pytest.mark.django_db
def test_csv_export_escapes_formulas(client, reviewer, module, course, django_capture_on_commit_callbacks):
    quiz = build_quiz(
        module, title="Formula check",
        questions=[
            single(prompt='=HYPERLINK("http://evil.example","Click")', right="@SUM(1+1)"),
            ("single", {"scenario": "", "prompt": "Plain question", "explanation": "", "points": 1,
                        "options": [option("+44 20 7946 0000", True), option("-1", False)]}),
        ],
    )
    attempt_with(quiz, course, right=True, capture=django_capture_on_commit_callbacks)
    response = client.get(f"/admin/quiz-reviews/quiz/{quiz.pk}/stats.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    for escaped in ('\'=HYPERLINK("http://evil.example","Click")', "'@SUM(1+1)", "'+44 20 7946 0000", "'-1"):
        assert escaped in cells
    header, first = rows[0], rows[1]
    assert header[2] == "prompt" and first[5:9] == ["1", "1", "1", "100.0"]  # asked, answered, correct, %
