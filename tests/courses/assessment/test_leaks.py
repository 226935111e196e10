"""Correct answers never reach the browser before the feedback policy allows it.

Two quizzes are built that a learner cannot tell apart: the same prompts, options (in the
same order) and points, but different answer keys, explanations, option feedback and
accepted short-text answers. Every response an attempt produces before it is graded must
then be the same for both (once ids and tokens are normalised), and must contain none
of the secret texts. A difference anywhere (a class on the right option, a data
attribute, an explanation in a script) would tell a learner which answer is right.
"""
import html
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from courses.assessment import services
from courses.models import QuizAttempt
from courses.services import enrollment_create
from tests.factories import UserFactory, build_quiz

pytestmark = pytest.mark.django_db
Status = QuizAttempt.Status

SINGLE_LABELS = ["Pause and invite them to share", "Carry on as planned", "Ask the group to decide"]
MULTIPLE_LABELS = ["Confidentiality", "Turn-taking", "Cross-talk", "Advice-giving"]


def secrets(tag: str) -> dict:
    """The hidden parts of one variant: every string here is a correct-answer marker."""
    return {
        "explanations": {
            kind: f"xq{tag}-explanation-{kind}" for kind in ("single", "multiple", "tf", "short", "written")
        },
        "single_feedback": [f"xq{tag}-single-feedback-{i}" for i in range(len(SINGLE_LABELS))],
        "multiple_feedback": [f"xq{tag}-multiple-feedback-{i}" for i in range(len(MULTIPLE_LABELS))],
        "accepted": [f"zephyr{tag}ine", f"quill{tag}wort"],
    }


VARIANTS = {
    # tag: (index of the right single option, right multiple options, true/false key)
    "alpha": (0, {0, 1}, True),
    "bravo": (1, {1, 3}, False),
}


def questions_for(tag: str) -> list:
    right_single, right_multiple, tf_key = VARIANTS[tag]
    s = secrets(tag)

    def options(labels, right, feedback):
        return [{"label": label, "correct": i in right, "feedback": feedback[i]} for i, label in enumerate(labels)]

    return [
        ("single", {
            "scenario": "A newcomer goes quiet halfway through their share.",
            "prompt": "What do you do?", "explanation": s["explanations"]["single"], "points": 1,
            "options": options(SINGLE_LABELS, {right_single}, s["single_feedback"]),
        }),
        ("multiple", {
            "scenario": "", "prompt": "Which of these keep a meeting safe?",
            "explanation": s["explanations"]["multiple"], "points": 2, "scoring": "partial",
            "options": options(MULTIPLE_LABELS, right_multiple, s["multiple_feedback"]),
        }),
        ("true_false", {
            "scenario": "", "prompt": "A facilitator may end a meeting early.", "explanation": s["explanations"]["tf"],
            "points": 1, "answer": "true" if tf_key else "false",
        }),
        ("short_text", {
            "scenario": "", "prompt": "One word: what do members keep?", "explanation": s["explanations"]["short"],
            "points": 1, "accepted": s["accepted"],
        }),
        ("written", {
            "scenario": "A member arrives upset.", "prompt": "Describe what you would do.", "min_length": 20,
            "explanation": s["explanations"]["written"],
            "rubric": [{"criterion": "Keeps everyone safe", "points": 3}, {"criterion": "Kind", "points": 2}],
        }),
    ]


def markers(tag: str) -> list[str]:
    s = secrets(tag)
    return [*s["explanations"].values(), *s["single_feedback"], *s["multiple_feedback"], *s["accepted"]]


ALL_MARKERS = markers("alpha") + markers("bravo")
# Words that only a leak would put in a learner's page while the attempt is open.
FORBIDDEN_WORDS = ("correct", "accepted", "feedback", '"answer"')


def assert_no_secrets(body: str, where: str) -> None:
    decoded = html.unescape(body)
    for marker in ALL_MARKERS:
        assert marker not in decoded, f"{where} contains {marker!r}"
    lowered = decoded.lower()
    for word in FORBIDDEN_WORDS:
        assert word not in lowered, f"{where} contains {word!r}"


# --- normalising two responses for comparison ------------------------------------------------

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def normalise(body: str, quiz) -> str:
    body = body.replace(quiz.url, "/QUIZ/")
    body = re.sub(r"/learn/(attempts|quizzes)/\d+/", r"/learn/\1/N/", body)
    body = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1TOKEN"', body)
    seen: dict[str, str] = {}
    # Question and option ids (random UUIDs), numbered in order of appearance.
    return UUID.sub(lambda m: seen.setdefault(m.group(0), f"ID{len(seen)}"), body)


# --- the two quizzes and one attempt at each ------------------------------------------------


@pytest.fixture
def twins(module):
    return {
        tag: build_quiz(module, title="Leak check", slug=f"leak-check-{tag}", questions=questions_for(tag))
        for tag in VARIANTS
    }


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def _by_type(attempt, kind):
    return next(q for q in attempt.questions if q["type"] == kind)


def positional_answers(attempt, *, single: int, multiple: list[int], tf: bool, short: str) -> dict:
    """Answers chosen by position on the page, so both variants get the same clicks."""
    s, m = _by_type(attempt, "single"), _by_type(attempt, "multiple")
    return {
        s["id"]: s["options"][single]["id"],
        m["id"]: [m["options"][i]["id"] for i in multiple],
        _by_type(attempt, "true_false")["id"]: tf,
        _by_type(attempt, "short_text")["id"]: short,
    }


def open_attempt_responses(client, quiz, user) -> dict[str, str]:
    """Every response an open attempt produces, in the order a learner meets them."""
    out = {}
    out["quiz page"] = client.get(quiz.url).content.decode()
    start = client.post(reverse("courses:quiz_start", args=[quiz.id]))
    attempt = QuizAttempt.objects.get(user=user, quiz=quiz)
    out["start redirect"] = start["Location"] + start.content.decode()
    out["attempt page (new)"] = client.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()

    # The first option is right in one variant and wrong in the other, and so on.
    answers = positional_answers(attempt, single=0, multiple=[0, 1], tf=True, short="zephyr")
    save_url = reverse("courses:attempt_save", args=[attempt.pk])
    for qid, answer in answers.items():  # one at a time, as the page's script saves them
        response = client.post(save_url, json.dumps({"answers": {qid: answer}}), content_type="application/json")
        assert response.status_code == 200
        out[f"save JSON {_type_of(attempt, qid)}"] = response.content.decode()
    bad = client.post(
        save_url, json.dumps({"answers": {_by_type(attempt, "single")["id"]: "nope"}}), content_type="application/json"
    )
    assert bad.status_code == 400
    out["save JSON error"] = bad.content.decode()
    out["attempt page (saved)"] = client.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()

    submit_url = reverse("courses:attempt_submit", args=[attempt.pk])
    single_id = _by_type(attempt, "single")["id"]
    error_page = client.post(submit_url, {f"q-{single_id}": answers[single_id]})
    assert error_page.status_code == 400  # the written answer is missing
    out["submit error page"] = error_page.content.decode()
    error_json = client.post(submit_url, json.dumps({"answers": {}}), content_type="application/json")
    assert error_json.status_code == 400
    out["submit error JSON"] = error_json.content.decode()
    too_short = client.post(
        submit_url, json.dumps({"answers": {_by_type(attempt, "written")["id"]: "Too short."}}),
        content_type="application/json",
    )
    assert too_short.status_code == 400
    out["submit error JSON (written too short)"] = too_short.content.decode()

    status = client.get(reverse("courses:attempt_status", args=[attempt.pk]))
    out["status JSON"] = status.content.decode()
    result = client.get(reverse("courses:attempt_result", args=[attempt.pk]))
    assert result.status_code == 302
    out["result redirect"] = result["Location"] + result.content.decode()
    out["quiz page (attempt open)"] = client.get(quiz.url).content.decode()
    attempt.refresh_from_db()
    assert attempt.status == Status.IN_PROGRESS and len(attempt.answers) == 4
    return out


def _type_of(attempt, qid):
    return next(q["type"] for q in attempt.questions if q["id"] == qid)


def test_no_response_of_an_open_attempt_contains_an_answer_key(learner_client, learner, twins):
    for tag, quiz in twins.items():
        for where, body in open_attempt_responses(learner_client, quiz, learner).items():
            assert_no_secrets(body, f"{tag}: {where}")


def test_an_open_attempt_looks_the_same_whichever_answers_are_right(learner_client, learner, twins):
    """The strongest form of the check: nothing in any response depends on the key."""
    alpha, bravo = (
        {
            where: normalise(body, twins[tag])
            for where, body in open_attempt_responses(learner_client, twins[tag], learner).items()
        }
        for tag in ("alpha", "bravo")
    )
    assert alpha.keys() == bravo.keys()
    for where in alpha:
        if where.startswith("quiz page"):
            continue  # the outline beside it marks which of the two quizzes is current
        assert alpha[where] == bravo[where], f"{where} differs between the two answer keys"


def test_the_detector_sees_the_secrets_once_feedback_is_allowed(
    learner_client, learner, twins, django_capture_on_commit_callbacks
):
    """A control for the tests above: the same secrets do appear where they belong (a graded
    attempt with feedback after each attempt), so their absence above means something."""
    quiz = twins["alpha"]
    attempt = services.attempt_start(user=learner, quiz=quiz)
    answers = positional_answers(attempt, single=2, multiple=[2], tf=False, short="no idea")
    answers[_by_type(attempt, "written")["id"]] = "I would listen and keep everyone safe and calm."
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_submit(attempt_id=attempt.pk, user=learner, answers=answers)
    attempt.refresh_from_db()
    assert attempt.status == Status.NEEDS_REVIEW
    reviewer = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        services.attempt_review(
            attempt_id=attempt.pk, reviewer=reviewer, scores={_by_type(attempt, "written")["id"]: [1, 1]}, comment=""
        )
    body = html.unescape(learner_client.get(reverse("courses:attempt_result", args=[attempt.pk])).content.decode())
    s = secrets("alpha")
    for text in [*s["explanations"].values(), s["single_feedback"][2], s["multiple_feedback"][2], s["accepted"][0]]:
        assert text in body
    with pytest.raises(AssertionError):
        assert_no_secrets(body, "result with feedback")


# --- options are indistinguishable ---------------------------------------------------------


class _Inputs(HTMLParser):
    """The attributes of every answer input on a page, and of the label around it."""

    def __init__(self):
        super().__init__()
        self.inputs: list[dict] = []
        self._label: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self._label = attrs
        elif tag == "input" and (attrs.get("name") or "").startswith("q-") and attrs.get("type") in (
            "radio", "checkbox"
        ):
            self.inputs.append({"label": self._label, **attrs})

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None


def option_markup(body: str) -> dict[str, list[dict]]:
    parser = _Inputs()
    parser.feed(body)
    by_question: dict[str, list[dict]] = {}
    for item in parser.inputs:
        by_question.setdefault(item["name"], []).append(item)
    return by_question


def _learners(course, n):
    users = [UserFactory() for _ in range(n)]
    for user in users:
        enrollment_create(user=user, course=course)
    return users


def test_shuffled_options_are_not_right_first_and_carry_nothing_that_marks_the_right_one(client, module, course):
    quiz = build_quiz(
        module, title="Shuffled", slug="shuffled", questions=questions_for("alpha"),
        shuffle_options=True, shuffle_questions=True,
    )
    right_label = SINGLE_LABELS[VARIANTS["alpha"][0]]
    positions, question_orders = [], set()
    for user in _learners(course, 40):
        client.force_login(user)
        client.post(reverse("courses:quiz_start", args=[quiz.id]))
        attempt = QuizAttempt.objects.get(user=user)
        body = client.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()
        single_q = _by_type(attempt, "single")
        # The page shows the options in the attempt's (shuffled) order ...
        page_labels = re.findall(rf'name="q-{single_q["id"]}" value="[^"]+"> ([^<]+)</label>', body)
        assert [html.unescape(label) for label in page_labels] == [o["label"] for o in single_q["options"]]
        positions.append(page_labels.index(right_label))
        question_orders.add(tuple(q["type"] for q in attempt.questions))
        # ... and every option of a question has the same markup but for its value.
        for name, options in option_markup(body).items():
            shapes = {json.dumps({k: v for k, v in o.items() if k != "value"}, sort_keys=True) for o in options}
            assert len(shapes) == 1, f"options of {name} differ: {shapes}"
        assert_no_secrets(body, "shuffled attempt page")
    # Chance of a false failure: 3 × (1/3)^40 for the options, far less for the questions.
    assert len(set(positions)) > 1, "the right option is always in the same place"
    assert positions.count(0) < len(positions)
    assert len(question_orders) > 1


# --- a graded attempt whose policy hides the answers -------------------------------------------


def _graded_result(client, user, quiz, answers_by_position, capture) -> tuple[QuizAttempt, str]:
    attempt = services.attempt_start(user=user, quiz=quiz)
    answers = positional_answers(attempt, **answers_by_position)
    answers[_by_type(attempt, "written")["id"]] = "I would listen and keep everyone safe and calm."
    with capture(execute=True):
        services.attempt_submit(attempt_id=attempt.pk, user=user, answers=answers)
    attempt.refresh_from_db()
    reviewer = UserFactory()
    with capture(execute=False):
        services.attempt_review(
            attempt_id=attempt.pk, reviewer=reviewer, scores={_by_type(attempt, "written")["id"]: [2, 1]},
            comment="Thank you.",
        )
    attempt.refresh_from_db()
    assert attempt.status == Status.GRADED
    client.force_login(user)
    response = client.get(reverse("courses:attempt_result", args=[attempt.pk]))
    assert response.status_code == 200
    return attempt, response.content.decode()


@pytest.mark.parametrize("policy", ["never", "once_passed"])
def test_a_graded_result_without_feedback_leaks_no_answer(
    client, module, course, policy, django_capture_on_commit_callbacks
):
    """Two learners, two quizzes with different keys, the same clicks and the same total
    score, but right on different questions: the result pages must be the same, or they
    tell which answers were right (for a true-or-false question, "not right" *is* the key).
    """
    alpha_user, bravo_user = _learners(course, 2)
    quizzes = {
        tag: build_quiz(module, title="Graded leak check", slug=f"graded-{tag}", questions=questions_for(tag),
                        feedback=policy, pass_mark=100)
        for tag in VARIANTS
    }
    # The same clicks on both. Under alpha the single choice is right and true/false wrong;
    # under bravo the other way round. Multiple choice earns half under both (partial
    # credit), the short answer nothing, the written answer the reviewer's 3 of 5.
    clicks = dict(single=0, multiple=[1], tf=False, short="no idea")
    alpha, alpha_body = _graded_result(client, alpha_user, quizzes["alpha"], clicks, django_capture_on_commit_callbacks)
    bravo, bravo_body = _graded_result(client, bravo_user, quizzes["bravo"], clicks, django_capture_on_commit_callbacks)
    assert alpha.score_awarded == bravo.score_awarded == 5 and alpha.passed is bravo.passed is False
    assert alpha.results != bravo.results  # right on different questions
    for body in (alpha_body, bravo_body):
        decoded = html.unescape(body)
        for marker in ALL_MARKERS:
            assert marker not in decoded
        assert "The right answer:" not in decoded
    alpha_page = normalise(alpha_body, quizzes["alpha"]).replace(alpha_user.email, "EMAIL")
    bravo_page = normalise(bravo_body, quizzes["bravo"]).replace(bravo_user.email, "EMAIL")
    assert alpha_page == bravo_page, "the result page tells which answers were right"
