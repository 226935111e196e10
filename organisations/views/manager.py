"""What every manager page shares: it starts from the person's active owner or manager
membership of the organisation named in its URL, so no page can forget to."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from .. import selectors

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
