"""The evaluation page as a learner reads it (``EvaluationPage`` asks here through
``courses.page_views``): the form for an enrolled learner who has not answered yet; a
thank-you once they have; a plain refusal, with the way forward, for anyone else.

Refusals and replays change nothing: a POST from someone signed out or not enrolled is a
403 with the reason, and a second POST (a double click, a replayed request, two tabs) is
told the evaluation was already received. An author's preview shows the form and keeps
nothing.
"""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext

from courses import languages

from ..errors import CERefusal
from ..models import EvaluationPage
from . import selectors, services
from .form import EvaluationForm

SIGN_IN, NOT_ENROLLED, RECEIVED, OPEN = "sign_in", "not_enrolled", "received", "open"


def evaluation_page(request: HttpRequest, page: EvaluationPage, *, preview: bool = False) -> HttpResponse:
    course, source = selectors.evaluation_course(page, request)
    if course is None or source is None or not (preview or (course.live and source.live)):
        raise Http404("This evaluation is not in a published course.")
    user = request.user
    if preview:
        state = OPEN
    elif not user.is_authenticated:
        state = SIGN_IN
    elif not selectors.is_enrolled(user_id=user.pk, course_id=source.pk):
        state = NOT_ENROLLED
    else:
        submitted_at = selectors.submitted_on(user_id=user.pk, course_id=source.pk)
        state = RECEIVED if submitted_at else OPEN

    questions = selectors.evaluation_questions(page)
    form = EvaluationForm(request.POST if request.method == "POST" and state == OPEN else None, questions=questions)
    status = 200
    if request.method == "POST":
        if state in (SIGN_IN, NOT_ENROLLED):
            status = 403  # shown with the reason below; nothing is read from the form
        elif state == RECEIVED:
            messages.info(request, services.already_received().message)
            return redirect(request.path)
        elif form.is_valid():
            if preview:
                messages.info(request, gettext("This is a preview: the answers were checked and not kept."))
            else:
                try:
                    services.evaluation_submit(
                        user=user, course=source, language=page.locale.language_code, answers=form.answers()
                    )
                except CERefusal as refusal:  # submitted meanwhile (another tab, a replay)
                    messages.info(request, refusal.message)
                    return redirect(request.path)
                messages.success(request, gettext("Thank you: your evaluation was received."))
                return redirect(request.path)
        # else: the form shows its errors, and nothing is kept
    context = {
        "page": page,
        "self": page,
        "course": course,
        "course_url": _course_url(course, request),
        "state": state,
        "form": form,
        "preview": preview,
        "login_url": f"{reverse('account_login')}?{urlencode({'next': request.path})}",
    }
    response = TemplateResponse(request, page.template, context, status=status)
    add_never_cache_headers(response)  # a learner's own answers and state
    return response


def _course_url(course, request: HttpRequest) -> str:
    """The course page in the language being read (a translation is that already)."""
    if languages.is_translation(course, request):
        return course.get_url(request)
    return languages.localized_url(course, request)
