"""Courses and modules kept for members of partner organisations.

Who is a partner is organisations' business, and organisations depends on courses, so
courses never imports it: ``organisations`` registers the question ("is this person an
active member of a partner organisation?") when its app is ready
(``register_partner_lookup``). Until something is registered nobody is a partner, so
partners-only content stays closed rather than open by accident.

What is restricted:

- a partners-only **course**: enrolling (free enrolment, checkout, scholarship
  applications). A place once held (paid for, or an organisation's seat) stays the
  learner's, as everywhere else on the platform;
- a partners-only **module**: opening its lessons and quizzes, completing them and
  starting its quizzes. For a learner who is not a partner its items do not count
  towards completing the course (see ``CourseState``), so they never block it.

Cost: the question is asked only for partners-only courses and for courses holding a
partners-only module (at most once per request), never on a lesson of any other course.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import User

if TYPE_CHECKING:  # the models and the outline build on this module
    from .models import CoursePage
    from .outline import Outline

COURSE_MESSAGE = _(
    "This course is for members of partner organisations. If you work for one, ask your "
    "organisation's training manager for an invitation."
)
MODULE_MESSAGE = _(
    "This part of the course is for members of partner organisations. You can complete the "
    "course without it."
)

_lookup: Callable[[User], bool] | None = None


def register_partner_lookup(lookup: Callable[[User], bool] | None) -> None:
    """``lookup(user) -> bool``: whether an authenticated user is an active member of a
    partner organisation. ``None`` goes back to "nobody is a partner"."""
    global _lookup
    _lookup = lookup


def is_partner(user: User | AnonymousUser | None, *, request: HttpRequest | None = None) -> bool:
    """Whether the person may take partners-only courses and modules. With ``request``
    the answer is kept for the rest of the request (one query at most)."""
    if user is None or not getattr(user, "is_authenticated", False) or _lookup is None:
        return False
    if request is not None:
        cached = getattr(request, "_courses_partner", None)
        if cached is not None and cached[0] == user.pk:
            return cached[1]
    answer = bool(_lookup(user))
    if request is not None:
        request._courses_partner = (user.pk, answer)
    return answer


def may_enrol(course: CoursePage, user: User | AnonymousUser, *, request: HttpRequest | None = None) -> bool:
    """Whether ``user`` may take a new place on ``course`` (no query unless the course is
    partners-only)."""
    return not course.partners_only or is_partner(user, request=request)


def closed_item_ids(
    outline: Outline, user: User | AnonymousUser | None, *, request: HttpRequest | None = None
) -> frozenset[int]:
    """The outline's items that ``user`` may not open: those of partners-only modules,
    unless they are a partner (no query when the course has no such module)."""
    if not outline.partner_item_ids:
        return frozenset()
    return closed_item_ids_for(outline, partner=is_partner(user, request=request))


def closed_item_ids_for(outline: Outline, *, partner: bool) -> frozenset[int]:
    """The outline's items closed to someone who is, or is not, a partner: the one rule
    behind ``closed_item_ids``. For callers that know the answer without a person, such
    as an organisation manager's dashboard (whose staff are partners when their
    organisation is)."""
    return frozenset() if partner else outline.partner_item_ids
