"""Property tests for ``score_attempt(..., allow_unanswered=True)``: how an attempt whose
time ran out is scored (tests/courses/test_scoring.py covers the complete attempts).

What grading relies on: with every answer present and valid the flag changes nothing; a
missing or unscorable answer earns nothing (and never waits for a reviewer) while the
other answers keep their scores; answering more never lowers the total; and the flag
forgives the learner's drafts, never a broken question or an answer to a question that
is not in the attempt.
"""
import copy
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.scoring import InvalidAnswer, InvalidQuestion, Score, score_answer, score_attempt
from tests.courses.test_scoring import PROPERTY, question_and_answer

D = Decimal


@st.composite
def attempts(draw, min_size=1, max_size=6):
    """Questions with unique ids and a valid answer for each."""
    pairs = draw(st.lists(question_and_answer(), min_size=min_size, max_size=max_size))
    questions, answers = [], {}
    for n, (q, a) in enumerate(pairs):
        q = {**q, "id": f"q{n}"}
        questions.append(q)
        answers[q["id"]] = a
    return questions, answers


def nothing(q) -> Score:
    possible = D(q["points"]).quantize(D("0.01"))
    return Score(awarded=D("0.00"), possible=possible, correct=False, needs_review=False)


def unscorable(q):
    """An answer the learner could have left as a draft that cannot be scored."""
    kind = q["type"]
    if kind in ("single", "multiple"):
        return "not-an-option" if kind == "single" else ["not-an-option"]
    if kind == "true_false":
        return "maybe"
    if kind == "written" and q.get("min_length", 0) > 0:
        return ""  # below any positive minimum
    return 42  # not text


@PROPERTY
@given(attempts())
def test_with_every_answer_present_the_flag_changes_nothing(qa):
    questions, answers = qa
    assert score_attempt(questions, answers, allow_unanswered=True) == score_attempt(questions, answers)


@PROPERTY
@given(attempts(), st.data())
def test_missing_answers_earn_nothing_and_the_rest_keep_their_scores(qa, data):
    questions, answers = qa
    kept = data.draw(st.sets(st.sampled_from(sorted(answers))), label="answered") if answers else set()
    given_answers = {k: v for k, v in answers.items() if k in kept}
    before = copy.deepcopy((questions, given_answers))

    result = score_attempt(questions, given_answers, allow_unanswered=True)

    assert (questions, given_answers) == before  # inputs untouched
    assert list(result.per_question) == [q["id"] for q in questions]
    for q in questions:
        expected = score_answer(q, answers[q["id"]]) if q["id"] in kept else nothing(q)
        assert result.per_question[q["id"]] == expected
    assert result.possible == sum(D(q["points"]) for q in questions)
    assert result.awarded == sum(s.awarded for s in result.per_question.values())
    assert result.needs_review == any(
        q["type"] == "written" and q["id"] in kept for q in questions
    )
    if len(kept) < len(questions):
        with pytest.raises(InvalidAnswer) as refused:
            score_attempt(questions, given_answers)  # without the flag: every answer is needed
        assert refused.value.question_id in {q["id"] for q in questions} - kept


@PROPERTY
@given(attempts(), st.data())
def test_answering_more_never_lowers_the_total(qa, data):
    questions, answers = qa
    ids = sorted(answers)
    smaller = data.draw(st.sets(st.sampled_from(ids)), label="fewer")
    larger = smaller | data.draw(st.sets(st.sampled_from(ids)), label="more")
    pick = lambda keys: {k: answers[k] for k in keys}  # noqa: E731
    low = score_attempt(questions, pick(smaller), allow_unanswered=True)
    high = score_attempt(questions, pick(larger), allow_unanswered=True)
    assert low.awarded <= high.awarded
    assert low.possible == high.possible
    assert low.percent <= high.percent


@PROPERTY
@given(attempts(), st.data())
def test_unscorable_drafts_and_none_earn_nothing_instead_of_failing(qa, data):
    questions, answers = qa
    spoiled = data.draw(st.sets(st.sampled_from(sorted(answers)), min_size=1), label="spoiled")
    drafts = dict(answers)
    for q in questions:
        if q["id"] in spoiled:
            drafts[q["id"]] = data.draw(st.sampled_from([None, unscorable(q)]), label=f"draft {q['id']}")

    result = score_attempt(questions, drafts, allow_unanswered=True)
    for q in questions:
        if q["id"] in spoiled:
            assert result.per_question[q["id"]] == nothing(q)
        else:
            assert result.per_question[q["id"]] == score_answer(q, answers[q["id"]])
    with pytest.raises(InvalidAnswer):
        score_attempt(questions, drafts)


@PROPERTY
@given(attempts())
def test_an_empty_timed_out_attempt_scores_zero_and_needs_no_review(qa):
    questions, _ = qa
    result = score_attempt(questions, {}, allow_unanswered=True)
    assert result.awarded == D("0.00") and result.percent == D("0.00")
    assert result.needs_review is False
    assert all(s == nothing(q) for q, s in zip(questions, result.per_question.values()))


@PROPERTY
@given(attempts(), st.text(min_size=1, max_size=5))
def test_the_flag_never_forgives_an_answer_to_a_question_not_in_the_attempt(qa, stranger):
    questions, answers = qa
    stranger = f"x-{stranger}"  # never one of the "q<n>" ids
    with pytest.raises(InvalidAnswer) as refused:
        score_attempt(questions, {**answers, stranger: "anything"}, allow_unanswered=True)
    assert refused.value.question_id == stranger


@PROPERTY
@given(attempts(), st.data())
def test_the_flag_never_forgives_a_broken_question(qa, data):
    questions, answers = qa
    broken = copy.deepcopy(questions)
    victim = data.draw(st.sampled_from(range(len(broken))), label="broken question")
    breakage = data.draw(st.sampled_from(["points", "type", "duplicate id"]), label="breakage")
    if breakage == "points":
        broken[victim]["points"] = 0
    elif breakage == "type":
        broken[victim]["type"] = "essay"
    else:
        broken.append(copy.deepcopy(broken[victim]))
    with pytest.raises(InvalidQuestion):
        score_attempt(broken, {}, allow_unanswered=True)
    with pytest.raises(InvalidQuestion):
        score_attempt(broken, answers, allow_unanswered=True)
