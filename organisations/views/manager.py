"""What every manager page shares: it starts from the person's active owner or manager
membership of the organisation named in its URL, so no page can forget to, and it is
drawn under the organisation's navigation."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from .. import selectors
from ..models import Membership

View = Callable[..., HttpResponse]


def manager_view(*methods: str) -> Callable[[View], View]:
    """A page of one organisation for its managers. In this order: the person signs in
    (else the sign-in page), uses one of ``methods`` (any when none are given; else 405),
    and is an active owner or manager of the organisation ``org_id`` in the URL (else
    404: another organisation's id, or one the person only belongs to as staff, reveals
    nothing). The view is called with that membership in place of ``org_id``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def with_membership(request: HttpRequest, org_id: int, **kwargs: object) -> HttpResponse:
            membership = selectors.managed_membership(user=request.user, organisation_id=org_id)
            return view(request, membership, **kwargs)

        checked = require_http_methods(list(methods))(with_membership) if methods else with_membership
        return login_required(checked)

    return decorate


def manager_page(
    request: HttpRequest, membership: Membership, template: str, *, section: str, status: int = 200,
    **context: object,
) -> TemplateResponse:
    """One of the organisation's pages for its managers: ``template`` with ``context``, the
    organisation and the membership, under the organisation's navigation with ``section``
    (dashboard, seats, invitations) marked as the current page."""
    return TemplateResponse(
        request, template,
        {"organisation": membership.organisation, "membership": membership, "section": section, **context},
        status=status,
    )
