"""Taking a quiz: start, answer (saved as you go), submit, wait for the grade, see it.

Thin: parse, authorise (a learner only ever reaches their own attempts; anything else is
a 404, exactly like an attempt that does not exist), call a service, render.
"""
import json
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kernel.decorators import login_required_json, wants_json

from ..errors import AnswerError, AttemptClosed, LearningError, PartnersOnly
from ..models import QuizAttempt, QuizPage
from ..languages import localized_url, source_page, translation_of
from ..next_steps import completion_steps
from ..selectors import course_for_page, course_state
from ..services import attempt_heartbeat
from . import selectors, services
from .answers import answers_from_post

Status = QuizAttempt.Status


def _own_attempt(request: HttpRequest, attempt_id: int) -> QuizAttempt:
    attempt = selectors.learner_attempt(attempt_id=attempt_id, user=request.user)
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


def _raw_answers(request: HttpRequest, attempt: QuizAttempt) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise AnswerError(_("The answers could not be read. Please reload the page.")) from None
        answers = data.get("answers") if isinstance(data, dict) else None
        if not isinstance(answers, dict):
            raise AnswerError(_("The answers could not be read. Please reload the page."))
        return answers
    return answers_from_post(attempt.questions, request.POST)


@login_required
@require_POST
def start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = get_object_or_404(QuizPage.objects.live(), pk=quiz_id)
    # A translation's page starts (or resumes) the attempt on its source quiz: attempts
    # belong to the course, not to a language, and are graded against the source's key.
    quiz = source_page(quiz, request)
    if quiz is None or not quiz.live:
        raise Http404("No such quiz.")
    try:
        attempt = services.attempt_start(user=request.user, quiz=quiz)
    except PartnersOnly as error:  # the quiz page would only send them on to the course
        messages.info(request, error.message)
        course = course_for_page(quiz)
        return redirect(localized_url(course, request) if course else "/")
    except LearningError as error:
        messages.warning(request, error.message)
        return redirect(localized_url(quiz, request))
    return redirect("courses:attempt", attempt.pk)


def _render_attempt(
    request: HttpRequest, attempt: QuizAttempt, *, error: AnswerError | None = None, status: int = 200
) -> HttpResponse:
    course = course_for_page(attempt.quiz)
    # The attempt is the source quiz's; its words come in the language being read.
    translation = translation_of(attempt.quiz, request)
    context = {
        "attempt": attempt,
        "quiz": translation or attempt.quiz,
        "course": course,
        "questions": selectors.open_attempt_questions(attempt, translation=translation),
        "seconds_left": selectors.seconds_left(attempt),
        "error": error,
    }
    response = TemplateResponse(request, "courses/attempt.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
@never_cache
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_open:
        return redirect("courses:attempt_result", attempt.pk)
    return _render_attempt(request, attempt)


def _store_answers(
    request: HttpRequest, attempt_id: int, store: Callable[..., QuizAttempt], *, keep_typed: bool, **closed: str
) -> QuizAttempt | HttpResponse:
    """The learner's answers from the request, stored by ``store`` (saving or submitting):
    the attempt as it now is, or the response that says why nothing was stored (the
    attempt is closed: ``_closed`` with ``closed``; an answer is refused:
    ``_answer_refused``)."""
    attempt = _own_attempt(request, attempt_id)
    try:
        return store(attempt_id=attempt.pk, user=request.user, answers=_raw_answers(request, attempt))
    except AttemptClosed as error:
        return _closed(request, attempt, error, **closed)
    except AnswerError as error:
        return _answer_refused(request, attempt, error, keep_typed=keep_typed)


@login_required_json
@require_POST
def save_answers(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _store_answers(
        request, attempt_id, services.attempt_save_answers, keep_typed=False,
        result_url=reverse("courses:attempt_result", args=[attempt_id]),
    )
    if isinstance(attempt, HttpResponse):
        return attempt
    if wants_json(request):
        return JsonResponse({"saved": True, "answered": len(attempt.answers)})
    messages.success(request, _("Your answers are saved. You can come back and finish later."))
    return redirect("courses:attempt", attempt.pk)


@login_required_json
@require_POST
def heartbeat(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """Time on the attempt's page (``courses.services.study_time``): another learner's
    attempt is a 404, as everywhere here; a closed one, a 409 that counts nothing."""
    attempt = _own_attempt(request, attempt_id)
    try:
        total = attempt_heartbeat(attempt_id=attempt.pk, user_id=request.user.pk)
    except AttemptClosed as error:
        return JsonResponse({"error": error.message}, status=409)
    return JsonResponse({"course_time_spent_seconds": total})


@login_required
@require_POST
def submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _store_answers(request, attempt_id, services.attempt_submit, keep_typed=True)
    if isinstance(attempt, HttpResponse):
        return attempt
    if attempt.timed_out:
        messages.info(request, _("The time was up, so the answers saved before then were submitted."))
    return redirect("courses:attempt_result", attempt.pk)


def _closed(request: HttpRequest, attempt: QuizAttempt, error: AttemptClosed, **details: str) -> HttpResponse:
    """The attempt was submitted meanwhile (another tab) or its time is over: say so, and
    send the learner to its result (the page's script gets a 409 with ``details``)."""
    if wants_json(request):
        return JsonResponse({"error": error.message, **details}, status=409)
    messages.info(request, error.message)
    return redirect("courses:attempt_result", attempt.pk)


def _answer_refused(
    request: HttpRequest, attempt: QuizAttempt, error: AnswerError, *, keep_typed: bool
) -> HttpResponse:
    """An answer could not be stored (nothing was): the page's script learns which
    question and why; a form comes back with the message, and with ``keep_typed`` with
    what the learner typed."""
    if wants_json(request):
        return JsonResponse({"error": error.message, "question": error.question_id}, status=400)
    if keep_typed:
        attempt.refresh_from_db()
        attempt.answers = {**attempt.answers, **_drafts(attempt, request)}
    return _render_attempt(request, attempt, error=error, status=400)


def _drafts(attempt: QuizAttempt, request: HttpRequest) -> dict:
    """What the learner typed into the form (it was not stored)."""
    raw = answers_from_post(attempt.questions, request.POST) if request.content_type != "application/json" else {}
    return {k: v for k, v in raw.items() if v not in (None, "", [])}


@login_required
@require_GET
@never_cache
def result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open:
        return redirect("courses:attempt", attempt.pk)
    course = course_for_page(attempt.quiz, live=False)
    overview = selectors.quiz_overview(quiz=attempt.quiz, user=request.user)  # all their attempts
    with_feedback = selectors.shows_feedback(attempt, learner_passed=overview.passed)
    next_item = steps = None
    waiting = attempt.status == Status.NEEDS_REVIEW
    if (attempt.passed or waiting) and course is not None and course.live:  # on to what comes next
        state = course_state(course=course, user=request.user, request=request)
        next_item = state.next_open_item if attempt.passed else None
        if state.lessons_finished:  # what is left, as the course page and the completion email say it
            steps = completion_steps(state=state)
    translation = translation_of(attempt.quiz, request)
    context = {
        "next_item": next_item,
        "next_steps": steps,
        "attempt": attempt,
        "quiz": translation or attempt.quiz,
        "course": course,
        "overview": overview,
        "rows": (
            selectors.attempt_results(attempt, with_feedback=with_feedback, translation=translation)
            if attempt.result_ready else []
        ),
        "with_feedback": with_feedback,
    }
    return TemplateResponse(request, "courses/attempt_result.html", context)


@login_required_json
@require_GET
@never_cache
def status(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """Polled by the result page while grading is under way."""
    attempt = _own_attempt(request, attempt_id)
    ready = attempt.status in (Status.GRADED, Status.NEEDS_REVIEW, Status.FAILED)
    return JsonResponse({"status": attempt.status, "ready": ready})
