"""Learning views: thin — parse, authorise, call a service, render.

The catalogue's and a course's page context and the lesson and quiz pages are served
from here through ``courses.page_views`` (registered by ``courses.apps``).
"""
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from wagtail.models import Page

from kernel.decorators import login_required_json, wants_json

from . import languages, next_steps, restrictions, selectors, services
from .assessment.selectors import quiz_overview
from .models import CourseIndexPage, CoursePage, Enrollment, LessonPage, QuizPage
from .outline import build_outline


def course_index_context(page: CourseIndexPage, request: HttpRequest) -> dict[str, Any]:
    """The catalogue: the published courses beneath it, and the learner's enrolments."""
    courses = selectors.catalogue_courses(index=page, request=request)
    enrollments = selectors.enrollments_by_course(user=request.user)
    if enrollments and languages.active_locale_id(request) is not None:
        # A translated course listed: the learner's enrolment is in its source course.
        sources = languages.source_ids(list(courses), request)
        enrollments = {shown: enrollments[source] for shown, source in sources.items() if source in enrollments}
    return {"courses": courses, "enrollments": enrollments}


def course_page_context(page: CoursePage, request: HttpRequest) -> dict[str, Any]:
    """A course page: the learner's place in it, its outline and what is left to do (a
    translation shows the learner's place in its source course)."""
    context = {}
    source = languages.source_page(page, request)
    if source is None:  # its source is gone: never served half-built
        raise Http404("This course is not published.")
    page = source
    context["state"] = state = selectors.course_state(course=page, user=request.user, request=request)
    context["modules"] = selectors.outline_view(state)
    enrolled = state.enrollment and (page.is_free or state.enrollment.status != "withdrawn")
    # Lessons done: what is left before the course is complete and the certificate is
    # theirs (read only then: a learner still in the lessons costs nothing more).
    if enrolled and state.enrollment.status != "withdrawn" and state.lessons_finished:
        context["next_steps"] = next_steps.completion_steps(state=state)
    # A partners-only course shows who it is for instead of the enrol button.
    context["partners_closed"] = not enrolled and not restrictions.may_enrol(page, request.user, request=request)
    return context


def _in_source(page: Page | None) -> Page:
    """The source of a page named by id (a translation's id leads to its source: the
    learning belongs to the source pages); a 404 when there is none, or it is not live."""
    source = languages.source_page(page) if page is not None else None
    if source is None or not source.live:
        raise Http404("No such page.")
    return source


def _live_course(course_id: int) -> CoursePage:
    return _in_source(get_object_or_404(CoursePage.objects.live(), pk=course_id))


def _lesson_in(course: CoursePage, lesson_id: int) -> LessonPage:
    # A lesson of another course, or an unpublished one, does not exist as far as the
    # learner is concerned.
    lesson = _in_source(LessonPage.objects.live().filter(pk=lesson_id).first())
    if not lesson.path.startswith(course.path):
        raise Http404("No such lesson.")
    return lesson


@require_POST
def enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _live_course(course_id)
    checkout_url = None if course.is_free else reverse("payments:checkout", args=[course.id])
    if not request.user.is_authenticated:
        messages.info(request, gettext("Please sign in or create an account to enrol. It is free to join."))
        next_url = checkout_url or languages.localized_url(course, request)
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
    if checkout_url:
        # Payment first, on the checkout page (payments); a learner with a place learns on.
        enrollment = selectors.enrollment_for(user=request.user, course_id=course.id)
        if enrollment is None or enrollment.status == Enrollment.Status.WITHDRAWN:
            if not restrictions.may_enrol(course, request.user, request=request):
                messages.warning(request, restrictions.COURSE_MESSAGE)
                return redirect(languages.localized_url(course, request))
            return redirect(checkout_url)
        state = selectors.course_state(course=course, user=request.user, request=request, enrollment=enrollment)
        if state.finished or state.continue_item is None:  # never back to lesson 1 of a finished course
            return redirect(languages.localized_url(course, request))
        return redirect(state.continue_item.url)
    try:
        enrollment, created = services.enrollment_create(user=request.user, course=course)
    except services.LearningError as error:
        messages.warning(request, error.message)
        return redirect(languages.localized_url(course, request))
    if created:
        shown = languages.translation_of(course, request) or course  # its title in the language read
        messages.success(
            request, gettext("You are enrolled in %(course)s. Take it at your own pace.") % {"course": shown.title}
        )
    state = selectors.course_state(course=course, user=request.user, request=request, enrollment=enrollment)
    target = state.continue_item
    return redirect(target.url if target else languages.localized_url(course, request))


def serve_course_item(
    request: HttpRequest, lesson: LessonPage | QuizPage, *, preview: bool = False
) -> HttpResponse:
    """Render a lesson or quiz for an enrolled learner (or an author's preview).

    A visitor, or a learner not enrolled, is sent to the course page with a message; so
    is a learner who is not a partner member opening an item of a partners-only module.
    A translation is shown with the learner's place in its source (``courses.languages``).
    """
    shown, course, course_url = lesson, None, None
    if not preview and languages.is_translation(lesson, request):
        lesson, course, course_url = _source_of_item(request, lesson)
    course = course or getattr(lesson, "routed_course", None) or selectors.course_for_page(lesson, live=not preview)
    if course is None or not (course.live or preview):
        raise Http404("This lesson is not in a published course.")
    # A routed lesson comes with its course's URL (kept with the route); else ask Wagtail.
    course_url = course_url or getattr(lesson, "routed_course_url", None) or course.get_url(request)
    if preview:
        state = selectors.course_state(
            course=course, user=request.user, request=request, enrollment=None, open_all=True, course_url=course_url
        )
        item = state.outline.by_id.get(lesson.id)
    else:
        if isinstance(lesson, LessonPage):  # with what the lesson page needs of the lesson, in one query
            enrollment = selectors.enrollment_for_lesson(user=request.user, course_id=course.id, lesson_id=lesson.id)
        else:
            enrollment = selectors.enrollment_for(user=request.user, course_id=course.id)
        if enrollment is None or enrollment.status == Enrollment.Status.WITHDRAWN:
            if request.user.is_authenticated:
                messages.info(request, gettext("Enrol in this course to open its lessons."))
            else:
                messages.info(request, gettext("Sign in and enrol in this course to open its lessons."))
            return redirect(getattr(shown, "routed_course_url", None) or languages.in_active_language(course_url))
        state = selectors.course_state(
            course=course, user=request.user, request=request, enrollment=enrollment, course_url=course_url
        )
        item = state.outline.by_id.get(lesson.id)
        if item is None:
            raise Http404("This lesson is not published yet.")
        if item.partners_only and lesson.id in state.closed_ids:  # no query for other modules
            messages.info(request, restrictions.MODULE_MESSAGE)
            return redirect(state.course_url)
        if lesson.id in state.locked_ids:
            messages.info(request, gettext("This course is taken in order. Please complete this lesson first."))
            return redirect(state.continue_item.url)
        if isinstance(lesson, LessonPage):
            services.lesson_view_record(enrollment=enrollment, lesson=lesson)
    if item is not None and shown is not lesson and item.translation_id != shown.id:
        # The translation's module or course is not published in this language (or it is
        # not where its source is): never half-built, the page the outline leads to.
        return redirect(item.url)
    prev_item, next_item = state.outline.neighbours(lesson.id) if item else (None, None)
    context = {
        "page": shown,
        "self": shown,
        "course": _course_shown(shown, course) if shown is not lesson else course,
        "state": state,
        "item": item,
        "prev_item": prev_item,
        "next_item": next_item,
        "is_complete": lesson.id in state.completed_ids,
        "modules": selectors.outline_view(state, current_id=lesson.id, only_current=True),
        "course_url": state.course_url,
        "reflections": (
            {} if preview else selectors.reflection_answers(user=request.user, page=lesson, enrollment=enrollment)
        ),
        "preview": preview,
    }
    if isinstance(lesson, QuizPage) and not preview:
        context["overview"] = quiz_overview(quiz=lesson, user=request.user)
    return TemplateResponse(request, lesson.template, context)


def _course_shown(shown: LessonPage | QuizPage, source_course: CoursePage) -> CoursePage:
    """The course around a translated lesson or quiz, in the language being read."""
    return getattr(shown, "routed_course", None) or selectors.course_for_page(shown) or source_course


def _source_of_item(
    request: HttpRequest, shown: LessonPage | QuizPage
) -> tuple[LessonPage | QuizPage, CoursePage | None, str | None]:
    """The source lesson or quiz of a translation, with its course and the course's URL
    when the route kept them; a 404 when the source is gone."""
    routed = getattr(shown, "routed_source", None)
    if routed is not None:
        return routed
    source = languages.source_page(shown, request)
    if source is None:
        raise Http404("This lesson is not in a published course.")
    return source, None, None


def _enrolled_lesson(
    request: HttpRequest, course_id: int, lesson_id: int
) -> tuple[CoursePage, LessonPage, Enrollment]:
    course = _live_course(course_id)
    lesson = _lesson_in(course, lesson_id)
    enrollment = get_object_or_404(
        Enrollment.objects.exclude(status=Enrollment.Status.WITHDRAWN).select_related("course"),
        user=request.user,
        course=course,
    )
    return course, lesson, enrollment


def _closed_to(request: HttpRequest, course: CoursePage, lesson: LessonPage) -> bool:
    """Whether the lesson is in a partners-only module the learner may not open (the
    outline comes from the cache; no query unless the course has such a module)."""
    outline = build_outline(course, course_url="", request=request)
    return lesson.id in restrictions.closed_item_ids(outline, request.user, request=request)


@login_required
@require_POST
def complete_lesson(request: HttpRequest, course_id: int, lesson_id: int) -> HttpResponse:
    course, lesson, enrollment = _enrolled_lesson(request, course_id, lesson_id)
    was_completed = enrollment.status == Enrollment.Status.COMPLETED
    try:
        newly = services.lesson_complete(enrollment=enrollment, lesson=lesson)
    except services.LearningError as error:
        messages.warning(request, error.message)
        return redirect(languages.localized_url(lesson, request))
    state = selectors.course_state(course=course, user=request.user, request=request)
    if newly and not was_completed and lesson.id in state.required_ids and state.lessons_finished:
        # The last required lesson: say what is left before the course is complete and
        # the certificate is theirs (the course page and the email say the same).
        steps = next_steps.completion_steps(state=state)
        messages.success(request, render_to_string("courses/includes/next_steps_message.html", {"steps": steps}))
        if steps.completed:
            return redirect(f"{languages.localized_url(course, request)}#next-steps")
    else:
        item = state.outline.by_id.get(lesson.id)  # the outline's title is the one read in this language
        title = item.title if item else lesson.title
        messages.success(request, gettext("“%(title)s” is complete.") % {"title": title})
    # On to the next item the learner may open (a partners-only module may be skipped).
    later = state.outline.items[state.outline.by_id[lesson.id].position + 1 :]
    next_item = next((i for i in later if not (i.partners_only and i.id in state.closed_ids)), None)
    return redirect(next_item.url if next_item else languages.localized_url(course, request))


@login_required_json
@require_POST
def heartbeat(request: HttpRequest, course_id: int, lesson_id: int) -> JsonResponse:
    _, lesson, enrollment = _enrolled_lesson(request, course_id, lesson_id)
    try:
        beat = services.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.id)
    except services.LearningError as error:
        return JsonResponse({"error": error.message}, status=400)
    # The course's total keeps a time-on-task display current without a reload.
    return JsonResponse({"time_spent_seconds": beat.page_seconds, "course_time_spent_seconds": beat.course_seconds})


@login_required_json
@require_POST
def save_reflection(request: HttpRequest, course_id: int, lesson_id: int) -> HttpResponse:
    course, lesson, _ = _enrolled_lesson(request, course_id, lesson_id)
    if _closed_to(request, course, lesson):
        raise Http404("No such lesson.")
    block_id = request.POST.get("block_id", "")
    try:
        answer = services.reflection_save(
            user=request.user, lesson=lesson, block_id=block_id, text=request.POST.get("text", "")
        )
    except services.LearningError as error:
        if wants_json(request):
            return JsonResponse({"error": error.message}, status=400)
        messages.warning(request, error.message)
        return redirect(languages.localized_url(lesson, request))
    if wants_json(request):
        return JsonResponse({"saved": True, "cleared": not answer.text})
    messages.success(
        request,
        gettext("Your reflection is saved. Only you can see it.") if answer.text else gettext("Your reflection is cleared."),
    )
    return redirect(f"{languages.localized_url(lesson, request)}#reflection-{block_id}")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    rows = selectors.dashboard_rows(user=request.user, request=request)
    return TemplateResponse(request, "courses/dashboard.html", {"rows": rows})
