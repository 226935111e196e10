"""Which learning view serves each course page type.

Wagtail asks a page to serve itself (``serve``, ``serve_preview``, ``get_context``), but
what a course, lesson or quiz page shows for a learner is worked out by the learning
views (``courses.views``) from the reads that build on the models. So that the models
never import what builds on them, the page types ask here, and ``courses.apps`` registers
the views when the app is ready.
"""
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from wagtail.models import Page

# ``serve(request, page, *, preview)``: the whole response for a lesson or quiz.
ItemView = Callable[..., HttpResponse]
# ``context(page, request)``: what a page's template needs besides Wagtail's own context.
PageContext = Callable[[Page, HttpRequest], dict[str, Any]]

_views: dict[type[Page], ItemView] = {}
_contexts: dict[type[Page], PageContext] = {}


def register(page_type: type[Page], *, serve: ItemView | None = None, context: PageContext | None = None) -> None:
    """``serve``: the view that answers for pages of ``page_type``; ``context``: what it
    adds to Wagtail's template context for them."""
    if serve is not None:
        _views[page_type] = serve
    if context is not None:
        _contexts[page_type] = context


def serve(page: Page, request: HttpRequest, *, preview: bool = False) -> HttpResponse:
    """The registered view's response for ``page`` (an author's preview with ``preview``)."""
    return _views[type(page)](request, page, preview=preview)


def context(page: Page, request: HttpRequest) -> dict[str, Any]:
    """What the registered context adds for ``page`` (nothing when none is registered)."""
    add = _contexts.get(type(page))
    return add(page, request) if add is not None else {}
