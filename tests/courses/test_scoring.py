"""The pure scoring core (courses.scoring): examples for every rule and error, and
property tests for the guarantees grading relies on. No database is needed."""
import copy
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from courses.scoring import (
    AttemptScore,
    InvalidAnswer,
    InvalidQuestion,
    Score,
    normalise_short_text,
    passed,
    score_answer,
    score_attempt,
    validate_question,
    written_length,
)

# The project's autouse fixtures (media root, cache clearing) are function-scoped but
# irrelevant to pure functions, so that health check is off for these tests.
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

D = Decimal


def single(correct="b", points=2, ids=("a", "b", "c")):
    return {
        "id": "q-single",
        "type": "single",
        "points": points,
        "options": [{"id": i, "correct": i == correct} for i in ids],
    }


def multiple(correct=("a", "b"), ids=("a", "b", "c", "d"), scoring="partial", points=3):
    return {
        "id": "q-multi",
        "type": "multiple",
        "points": points,
        "scoring": scoring,
        "options": [{"id": i, "correct": i in correct} for i in ids],
    }


def true_false(answer=True, points=1):
    return {"id": "q-tf", "type": "true_false", "points": points, "answer": answer}


def short_text(accepted=("Active listening",), points=2):
    return {"id": "q-short", "type": "short_text", "points": points, "accepted": list(accepted)}


def written(min_length=10, points=5):
    return {"id": "q-written", "type": "written", "points": points, "min_length": min_length}


def full(points):
    return Score(D(points), D(points), True, False)


def zero(points):
    return Score(D(0), D(points), False, False)


# --- validate_question -------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [single(), multiple(), multiple(scoring="all_or_nothing"), true_false(), short_text(), written()],
)
def test_valid_questions_pass_validation(question):
    validate_question(question)


def test_extra_display_keys_are_allowed():
    q = single()
    q["prompt"] = "Which?"
    q["options"][0]["label"] = "Option A"
    validate_question(q)


def test_written_min_length_is_optional():
    q = written()
    del q["min_length"]
    validate_question(q)
    assert score_answer(q, "") == Score(D(0), D(5), None, True)


def _broken(base, **changes):
    q = copy.deepcopy(base)
    for key, value in changes.items():
        if value is _DELETE:
            del q[key]
        else:
            q[key] = value
    return q


_DELETE = object()


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        ("not a dict", "must be an object"),
        (_broken(single(), id=""), "non-empty string id"),
        (_broken(single(), id=7), "non-empty string id"),
        (_broken(single(), type="essay"), "unknown type"),
        (_broken(single(), points=0), "positive whole number"),
        (_broken(single(), points=-1), "positive whole number"),
        (_broken(single(), points=1.5), "positive whole number"),
        (_broken(single(), points=True), "positive whole number"),
        (_broken(single(), points=_DELETE), "positive whole number"),
        (single(correct="zzz"), "exactly one correct option, has 0"),
        (_broken(single(), options=[{"id": "a", "correct": True}, {"id": "b", "correct": True}]),
         "exactly one correct option, has 2"),
        (_broken(single(), options=[{"id": "a", "correct": True}]), "at least two options"),
        (_broken(single(), options="ab"), "'options' must be a list"),
        (_broken(single(), options=[{"id": "a", "correct": True}, {"id": "a", "correct": False}]),
         "used twice"),
        (_broken(single(), options=[{"id": "a", "correct": True}, {"id": "", "correct": False}]),
         "non-empty string id"),
        (_broken(single(), options=[{"id": "a", "correct": True}, {"id": "b", "correct": "no"}]),
         "'correct' must be true or false"),
        (_broken(single(), options=[{"id": "a", "correct": True}, "b"]), "must be an object"),
        (multiple(correct=()), "at least one correct option"),
        (multiple(scoring="generous"), "'scoring' must be"),
        (_broken(multiple(), scoring=_DELETE), "'scoring' must be"),
        (_broken(true_false(), answer="true"), "'answer' must be true or false"),
        (_broken(true_false(), answer=_DELETE), "'answer' must be true or false"),
        (short_text(accepted=()), "non-empty list"),
        (short_text(accepted=("ok", "  \t ")), "non-blank"),
        (short_text(accepted=("ok", 3)), "non-blank"),
        (_broken(short_text(), accepted="ok"), "non-empty list"),
        (written(min_length=-1), "'min_length'"),
        (written(min_length="10"), "'min_length'"),
    ],
)
def test_invalid_questions_are_refused_with_a_clear_message(question, fragment):
    with pytest.raises(InvalidQuestion, match=fragment):
        validate_question(question)


def test_score_answer_validates_the_question_first():
    with pytest.raises(InvalidQuestion):
        score_answer(single(correct="none"), "a")


# --- single, true/false ------------------------------------------------------------------


def test_single_choice():
    assert score_answer(single(), "b") == full(2)
    assert score_answer(single(), "a") == zero(2)
    assert score_answer(single(), "b").awarded == D("2.00")


def test_true_false():
    assert score_answer(true_false(True), True) == full(1)
    assert score_answer(true_false(True), False) == zero(1)
    assert score_answer(true_false(False), False) == full(1)


# --- multiple ----------------------------------------------------------------------------


def test_multiple_all_or_nothing():
    q = multiple(scoring="all_or_nothing")
    assert score_answer(q, ["b", "a"]) == full(3)
    assert score_answer(q, ["a"]) == zero(3)
    assert score_answer(q, ["a", "b", "c"]) == zero(3)
    assert score_answer(q, []) == zero(3)


def test_multiple_partial_credit():
    q = multiple(correct=("a", "b", "c"), ids=("a", "b", "c", "d", "e"), points=2)
    assert score_answer(q, ["a", "b", "c"]) == full(2)
    # 2 of 3 correct: 2 * 2/3 = 1.333.. -> 1.33, and not correct
    assert score_answer(q, ["a", "b"]) == Score(D("1.33"), D(2), False, False)
    # 2 correct - 1 incorrect = 1/3 of 2 points
    assert score_answer(q, ["a", "b", "d"]).awarded == D("0.67")
    # more wrong than right never goes below zero
    assert score_answer(q, ["a", "d", "e"]).awarded == D("0.00")
    assert score_answer(q, ["d"]).awarded == D(0)
    assert score_answer(q, []).awarded == D(0)


def test_partial_credit_rounds_half_up():
    # 1 point * 1/8 = 0.125 -> 0.13 (banker's rounding would give 0.12)
    ids = [f"o{i}" for i in range(9)]
    q = multiple(correct=ids[:8], ids=ids, points=1)
    assert score_answer(q, ["o0"]).awarded == D("0.13")
    # 3 * 3/8 = 1.125 -> 1.13
    q = multiple(correct=ids[:8], ids=ids, points=3)
    assert score_answer(q, ["o0", "o1", "o2"]).awarded == D("1.13")


def test_answers_accept_tuples_as_well_as_lists():
    assert score_answer(multiple(), ("a", "b")) == full(3)


# --- short text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        "Active listening",
        "active listening",
        "  ACTIVE\t\n listening  ",
        "Active\u00a0listening",  # no-break space
        "Active\u3000listening",  # ideographic space
        "Ａｃｔｉｖｅ ｌｉｓｔｅｎｉｎｇ",  # full-width letters
    ],
)
def test_short_text_matches_after_normalisation(answer):
    assert score_answer(short_text(), answer) == full(2)


def test_short_text_unicode_forms():
    q = short_text(accepted=("café", "Straße"))
    assert score_answer(q, "cafe\u0301") == full(2)  # decomposed accent
    assert score_answer(q, "STRASSE") == full(2)  # casefold, not lower()
    assert score_answer(short_text(accepted=("fine",)), "\ufb01ne") == full(2)  # ligature


def test_short_text_wrong_or_blank_answers_score_zero():
    assert score_answer(short_text(), "Active hearing") == zero(2)
    assert score_answer(short_text(), "Activelistening") == zero(2)
    assert score_answer(short_text(), "   ") == zero(2)


def test_short_text_any_accepted_answer():
    q = short_text(accepted=("reflective listening", "active listening"))
    assert score_answer(q, "Reflective  Listening") == full(2)


# --- written -----------------------------------------------------------------------------


def test_written_is_never_auto_graded():
    assert score_answer(written(10), "I would pause the meeting first.") == Score(D(0), D(5), None, True)


def test_written_too_short_is_refused():
    with pytest.raises(InvalidAnswer, match="at least 10 characters"):
        score_answer(written(10), "too short")
    # padding with whitespace does not reach the minimum
    with pytest.raises(InvalidAnswer):
        score_answer(written(10), "   short  \n\n   ")
    score_answer(written(10), "ten chars!")  # exactly the minimum is enough


def test_written_length_counts_characters_not_bytes():
    assert written_length("  née   ok ") == 6
    assert written_length("ne\u0301e") == 3  # NFKC composes the accent


# --- answer errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "answer", "fragment"),
    [
        (single(), None, "Please answer"),
        (single(), "zzz", "not one of this question's options"),
        (single(), ["b"], "Choose one option"),
        (single(), 1, "Choose one option"),
        (multiple(), None, "Please answer"),
        (multiple(), "a", "Choose options"),
        (multiple(), ["a", 1], "Choose options"),
        (multiple(), {"a": True}, "Choose options"),
        (multiple(), ["a", "zzz"], "not one of this question's options"),
        (multiple(), ["a", "a"], "only once"),
        (multiple(), ["c", "c"], "only once"),
        (true_false(), None, "Please answer"),
        (true_false(), "true", "true or false"),
        (true_false(), 1, "true or false"),
        (short_text(), None, "Please answer"),
        (short_text(), ["Active listening"], "as text"),
        (written(), None, "Please answer"),
        (written(), 12345678901, "as text"),
    ],
)
def test_invalid_answers_are_refused(question, answer, fragment):
    with pytest.raises(InvalidAnswer, match=fragment):
        score_answer(question, answer)


def test_answer_error_messages_do_not_reveal_correct_options():
    """The same bad answer gets the same message whichever options are correct, and the
    message names no option of the question."""
    bad_answers = [["a", "a"], ["a", "zzz"], ["b", "b"], "a", None]
    for answer in bad_answers:
        messages = set()
        for correct in [("a",), ("b",), ("a", "b"), ("c", "d")]:
            with pytest.raises(InvalidAnswer) as exc:
                score_answer(multiple(correct=correct), answer)
            messages.add(exc.value.message)
        assert len(messages) == 1
        (message,) = messages
        assert not any(f"'{i}'" in message or f'"{i}"' in message for i in "abcd")


# --- attempts ----------------------------------------------------------------------------


def quiz():
    return [single(), multiple(), true_false(), short_text()]


def test_attempt_totals_and_percent():
    result = score_attempt(
        quiz(),
        {"q-single": "b", "q-multi": ["a"], "q-tf": False, "q-short": "active listening"},
    )
    assert isinstance(result, AttemptScore)
    assert result.awarded == D("5.50")  # 2 + 1.5 + 0 + 2
    assert result.possible == D(8)
    assert result.percent == D("68.75")
    assert result.needs_review is False
    assert list(result.per_question) == ["q-single", "q-multi", "q-tf", "q-short"]
    assert result.per_question["q-multi"] == Score(D("1.50"), D(3), False, False)
    assert passed(result, 68) is True
    assert passed(result, D("68.75")) is True
    assert passed(result, 70) is False


def test_attempt_with_written_answer_needs_review():
    questions = [true_false(), written()]
    result = score_attempt(questions, {"q-tf": True, "q-written": "A thoughtful reflection."})
    assert result.needs_review is True
    assert result.awarded == D(1)
    assert result.possible == D(6)
    with pytest.raises(ValueError, match="needs review"):
        passed(result, 50)


def test_attempt_percent_rounds_half_up():
    # 2 of 3 points: 66.666..% -> 66.67
    questions = [
        {**true_false(), "id": "t1"},
        {**true_false(), "id": "t2"},
        {**true_false(), "id": "t3"},
    ]
    result = score_attempt(questions, {"t1": True, "t2": True, "t3": False})
    assert result.percent == D("66.67")


def test_pass_mark_uses_the_exact_fraction_not_the_rounded_percent():
    # 2 of 3 points = 66.666..%, shown as 66.67, must not pass a 66.67 mark.
    questions = [{**true_false(), "id": f"t{i}"} for i in range(3)]
    result = score_attempt(questions, {"t0": True, "t1": True, "t2": False})
    assert result.percent == D("66.67")
    assert passed(result, D("66.66")) is True
    assert passed(result, D("66.67")) is False


@pytest.mark.parametrize("mark", [-1, 101, D("NaN"), D("Infinity")])
def test_pass_mark_out_of_range(mark):
    result = score_attempt([true_false()], {"q-tf": True})
    with pytest.raises(ValueError):
        passed(result, mark)


@pytest.mark.parametrize("mark", [70.0, "70", True])
def test_pass_mark_must_be_int_or_decimal(mark):
    result = score_attempt([true_false()], {"q-tf": True})
    with pytest.raises(TypeError):
        passed(result, mark)


def test_pass_mark_bounds_are_inclusive():
    right = score_attempt([true_false()], {"q-tf": True})
    wrong = score_attempt([true_false()], {"q-tf": False})
    assert passed(right, 100) is True
    assert passed(wrong, 0) is True
    assert passed(wrong, 1) is False


def test_missing_answer_names_the_question():
    with pytest.raises(InvalidAnswer, match="q-tf") as exc:
        score_attempt(quiz(), {"q-single": "b", "q-multi": ["a"], "q-short": "x"})
    assert exc.value.question_id == "q-tf"


def test_answer_for_unknown_question_is_refused():
    answers = {"q-single": "b", "q-multi": ["a"], "q-tf": True, "q-short": "x", "q-extra": 1}
    with pytest.raises(InvalidAnswer, match="q-extra") as exc:
        score_attempt(quiz(), answers)
    assert exc.value.question_id == "q-extra"


def test_invalid_answer_in_attempt_carries_question_id():
    with pytest.raises(InvalidAnswer, match="q-multi") as exc:
        score_attempt(quiz(), {"q-single": "b", "q-multi": ["a", "a"], "q-tf": True, "q-short": "x"})
    assert exc.value.question_id == "q-multi"
    assert exc.value.message == "Each option can be chosen only once."


def test_none_answer_in_attempt_is_missing():
    with pytest.raises(InvalidAnswer, match="q-tf"):
        score_attempt(quiz(), {"q-single": "b", "q-multi": ["a"], "q-tf": None, "q-short": "x"})


def test_attempt_question_errors():
    with pytest.raises(InvalidQuestion, match="at least one question"):
        score_attempt([], {})
    with pytest.raises(InvalidQuestion, match="used twice"):
        score_attempt([true_false(), true_false()], {"q-tf": True})
    # a broken question is reported as such even when answers are also missing
    with pytest.raises(InvalidQuestion):
        score_attempt([true_false(), single(correct="none")], {})


def test_snapshots_survive_a_json_round_trip():
    import json

    questions = json.loads(json.dumps(quiz()))
    answers = json.loads(json.dumps({"q-single": "b", "q-multi": ["b", "a"], "q-tf": True, "q-short": "x"}))
    assert score_attempt(questions, answers).awarded == D(6)  # 2 + 3 + 1 + 0


# --- property tests ----------------------------------------------------------------------

option_ids = st.lists(st.text(min_size=1, max_size=4), min_size=2, max_size=8, unique=True)


@st.composite
def multiple_questions(draw, scoring=st.sampled_from(["partial", "all_or_nothing"])):
    ids = draw(option_ids)
    flags = draw(st.lists(st.booleans(), min_size=len(ids), max_size=len(ids)))
    assume(any(flags))
    return {
        "id": draw(st.text(min_size=1, max_size=5)),
        "type": "multiple",
        "points": draw(st.integers(1, 1000)),
        "scoring": draw(scoring),
        "options": [{"id": i, "correct": c} for i, c in zip(ids, flags)],
    }


@st.composite
def single_questions(draw):
    ids = draw(option_ids)
    correct = draw(st.sampled_from(ids))
    return {
        "id": draw(st.text(min_size=1, max_size=5)),
        "type": "single",
        "points": draw(st.integers(1, 1000)),
        "options": [{"id": i, "correct": i == correct} for i in ids],
    }


nonblank = st.text(min_size=1, max_size=20).filter(lambda t: normalise_short_text(t) != "")


@st.composite
def question_and_answer(draw):
    """Any valid question with any valid answer to it."""
    kind = draw(st.sampled_from(["single", "multiple", "true_false", "short_text", "written"]))
    points = draw(st.integers(1, 1000))
    qid = draw(st.text(min_size=1, max_size=5))
    if kind == "single":
        q = draw(single_questions())
        return q, draw(st.sampled_from([o["id"] for o in q["options"]]))
    if kind == "multiple":
        q = draw(multiple_questions())
        ids = [o["id"] for o in q["options"]]
        return q, draw(st.lists(st.sampled_from(ids), unique=True))
    if kind == "true_false":
        return {"id": qid, "type": kind, "points": points, "answer": draw(st.booleans())}, draw(st.booleans())
    if kind == "short_text":
        accepted = draw(st.lists(nonblank, min_size=1, max_size=3))
        q = {"id": qid, "type": kind, "points": points, "accepted": accepted}
        return q, draw(st.one_of(st.text(max_size=20), st.sampled_from(accepted)))
    min_length = draw(st.integers(0, 10))
    q = {"id": qid, "type": kind, "points": points, "min_length": min_length}
    text = draw(st.text(max_size=30).filter(lambda t: written_length(t) >= min_length))
    return q, text


@PROPERTY
@given(question_and_answer())
def test_score_is_within_zero_and_possible(qa):
    question, answer = qa
    s = score_answer(question, answer)
    assert s.possible == question["points"]
    assert D(0) <= s.awarded <= s.possible
    assert s.awarded == s.awarded.quantize(D("0.01"))
    assert (s.correct is True) == (s.awarded == s.possible and not s.needs_review)
    assert s.needs_review == (question["type"] == "written")


@PROPERTY
@given(question_and_answer())
def test_scoring_is_deterministic_and_does_not_mutate_input(qa):
    question, answer = qa
    frozen_q, frozen_a = copy.deepcopy(question), copy.deepcopy(answer)
    first = score_answer(question, answer)
    assert score_answer(copy.deepcopy(question), copy.deepcopy(answer)) == first
    assert (question, answer) == (frozen_q, frozen_a)


@PROPERTY
@given(multiple_questions(), st.data())
def test_multiple_choice_ignores_answer_order_and_option_order(q, data):
    ids = [o["id"] for o in q["options"]]
    chosen = data.draw(st.lists(st.sampled_from(ids), unique=True))
    reordered_q = {**q, "options": data.draw(st.permutations(q["options"]))}
    reordered_answer = data.draw(st.permutations(chosen))
    expected = score_answer(q, chosen)
    assert score_answer(q, reordered_answer) == expected
    assert score_answer(reordered_q, chosen) == expected
    assert score_answer(reordered_q, tuple(reordered_answer)) == expected


@PROPERTY
@given(multiple_questions(), st.data())
def test_exactly_the_correct_set_gets_full_points_under_both_rules(q, data):
    correct = [o["id"] for o in q["options"] if o["correct"]]
    answer = data.draw(st.permutations(correct))
    for rule in ("partial", "all_or_nothing"):
        s = score_answer({**q, "scoring": rule}, answer)
        assert s == Score(D(q["points"]), D(q["points"]), True, False)


@PROPERTY
@given(multiple_questions(), st.data())
def test_multiple_choice_is_monotone(q, data):
    """Adding a correct option never lowers the score; adding an incorrect one never
    raises it (under both rules)."""
    ids = [o["id"] for o in q["options"]]
    correct = {o["id"] for o in q["options"] if o["correct"]}
    chosen = data.draw(st.lists(st.sampled_from(ids), unique=True))
    before = score_answer(q, chosen).awarded
    unchosen = [i for i in ids if i not in chosen]
    assume(unchosen)
    extra = data.draw(st.sampled_from(unchosen))
    after = score_answer(q, [*chosen, extra]).awarded
    if extra in correct:
        assert after >= before
    else:
        assert after <= before


@PROPERTY
@given(multiple_questions(scoring=st.just("partial")), st.data())
def test_partial_credit_matches_the_formula(q, data):
    ids = [o["id"] for o in q["options"]]
    correct = {o["id"] for o in q["options"] if o["correct"]}
    chosen = set(data.draw(st.lists(st.sampled_from(ids), unique=True)))
    net = len(chosen & correct) - len(chosen - correct)
    exact = D(q["points"]) * max(0, net) / len(correct)
    awarded = score_answer(q, sorted(chosen)).awarded
    # rounding to cents moves the value by at most half a cent
    assert abs(awarded - exact) <= D("0.005")


@PROPERTY
@given(single_questions())
def test_single_choice_full_marks_only_for_the_correct_option(q):
    for option in q["options"]:
        s = score_answer(q, option["id"])
        assert s.correct is option["correct"]
        assert s.awarded == (D(q["points"]) if option["correct"] else D(0))


@PROPERTY
@given(st.text(max_size=40))
def test_short_text_normalisation_is_idempotent_and_tidy(text):
    once = normalise_short_text(text)
    assert normalise_short_text(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert not any(ch.isspace() and ch != " " for ch in once)


# Letters whose upper case casefolds back to the same thing as the letter itself.
LETTERS = "abcdefghijklmnopqrstuvwxyzéüåçñøæ"
WHITESPACE = [" ", "  ", "\t", "\n", "\u00a0", "\u3000", " \r\n "]


@PROPERTY
@given(
    words=st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=8), min_size=1, max_size=4),
    data=st.data(),
)
def test_short_text_ignores_case_and_whitespace(words, data):
    q = short_text(accepted=[" ".join(words)])
    seps = [data.draw(st.sampled_from(WHITESPACE)) for _ in range(len(words) + 1)]
    recased = [
        "".join(ch.upper() if data.draw(st.booleans()) else ch for ch in word) for word in words
    ]
    answer = seps[0] + "".join(w + s for w, s in zip(recased, seps[1:]))
    assert score_answer(q, answer).correct is True


@PROPERTY
@given(st.lists(question_and_answer(), min_size=1, max_size=6))
def test_attempt_totals_equal_the_sum_of_question_scores(qas):
    questions, answers = [], {}
    for n, (q, a) in enumerate(qas):
        q = {**q, "id": f"q{n}"}
        questions.append(q)
        answers[q["id"]] = a
    result = score_attempt(questions, answers)
    singles = {q["id"]: score_answer(q, answers[q["id"]]) for q in questions}
    assert result.per_question == singles
    assert result.awarded == sum(s.awarded for s in singles.values())
    assert result.possible == sum(s.possible for s in singles.values())
    assert result.needs_review == any(s.needs_review for s in singles.values())
    assert D(0) <= result.percent <= D(100)
    assert abs(result.percent - result.awarded * 100 / result.possible) <= D("0.005")
    if not result.needs_review:
        assert passed(result, 0) is True
        assert passed(result, 100) is (result.awarded == result.possible)
