"""``{% evaluation_prompt state %}``: on a course page, a pointer to the course's evaluation
for an enrolled learner who has not answered it (courses' templates load this library;
courses' code never imports continuing education).

Cost: nothing for a visitor or a learner whose place has ended; on a warm page nothing
for a course without an evaluation (kept under the content version), one query when it
has one (has the learner answered?).
"""
from django import template

from courses.models import Enrollment

from ..evaluation.selectors import course_evaluation, has_submitted

register = template.Library()


@register.inclusion_tag("continuing_education/includes/evaluation_prompt.html", takes_context=True)
def evaluation_prompt(context: template.Context, state) -> dict:
    """``state``: the course page's ``courses.selectors.CourseState`` (its course is the source page)."""
    request = context.get("request")
    enrollment = getattr(state, "enrollment", None)
    user = getattr(request, "user", None)
    if (
        request is None or enrollment is None or user is None or not user.is_authenticated
        or enrollment.status == Enrollment.Status.WITHDRAWN
    ):
        return {"evaluation": None}
    evaluation = course_evaluation(state.course, request)
    if evaluation is None or has_submitted(user_id=user.pk, course_id=state.course.pk):
        return {"evaluation": None}
    return {"evaluation": evaluation}
