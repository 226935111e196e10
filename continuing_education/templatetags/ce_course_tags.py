"""CE on the catalogue, course and lesson pages (``{% load ce_course_tags %}``).

The courses app must not import continuing education; its templates load these tags
instead. Every tag answers from the kept terms (``continuing_education.terms``) and the
enrolment the page already read: none of them asks the database anything.
"""
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from wagtail.models import Page

from courses.models import Enrollment

from .. import terms as ce_terms_module
from ..terms import Terms, TimeOnTask

register = template.Library()


def _request(context: template.Context):
    return context.get("request")


@register.simple_tag(takes_context=True)
def ce_terms(context: template.Context, course: Page | None) -> list[Terms]:
    """The course's CE terms under approvals current today (any language of the course)."""
    if course is None:
        return []
    return ce_terms_module.current_terms(course.translation_key, _request(context))


@register.simple_tag(takes_context=True)
def ce_quiz_scores(context: template.Context, course: Page | None, quiz: Page | None) -> list[Terms]:
    """The course's current CE terms whose passing score is above this required quiz's
    pass mark: the quiz page says so before the quiz, since a passed quiz cannot be taken
    again (a pass below the CE score earns no CE hours)."""
    if course is None or quiz is None or not getattr(quiz, "required", False):
        return []
    found = ce_terms_module.current_terms(course.translation_key, _request(context))
    return [t for t in found if t.passing_score_percent > quiz.pass_mark]


@register.simple_tag(takes_context=True)
def ce_time_on_task(context: template.Context, course: Page | None, enrollment: Enrollment | None) -> TimeOnTask | None:
    """The learner's time on task against what CE requires; None for a course without a
    current approval, or without an enrolment."""
    if course is None or enrollment is None or enrollment.status == Enrollment.Status.WITHDRAWN:
        return None
    found = ce_terms_module.current_terms(course.translation_key, _request(context))
    return ce_terms_module.time_on_task(found, enrollment.time_spent_seconds)


@register.simple_tag
def ce_duration_formats() -> dict[str, str]:
    return ce_terms_module.duration_formats()


@register.filter
def ce_duration(seconds: int | None) -> str:
    """Seconds as hours and minutes, rounded up ("6 h 0 min", "45 min")."""
    return ce_terms_module.duration_text(int(seconds or 0), round_up=True)


@register.filter
def ce_hours(value: Decimal | None) -> str:
    """CE hours as few digits as they need, in the language's format ("6", "1.5", "1,25")."""
    if value is None:
        return ""
    value = Decimal(value)
    shown = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return number_format(shown, use_l10n=True)
