"""A person's organisations: the list, creating one, leaving one, and (for owners)
who manages it. Thin: parse, authorise, call a service, render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, services
from ..forms import OrganisationForm
from ..models import Membership
from .manager import manager_view


def see_other(url: str) -> HttpResponseRedirect:
    """303: after a POST, the browser GETs the page (a reload never repeats the action)."""
    response = redirect(url)
    response.status_code = 303
    return response


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "organisations/mine.html", {"memberships": selectors.memberships_of(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None  # an empty POST still shows its errors
    form = OrganisationForm(data, initial={"billing_email": request.user.email})
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(user=request.user, **form.cleaned_data)
        except services.OrganisationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                gettext(
                    "%(organisation)s is set up and you are its owner. Next, buy places on a course or invite "
                    "another manager."
                ) % {"organisation": organisation.name},
            )
            return see_other(reverse("organisations:dashboard", args=[organisation.pk]))
    return TemplateResponse(request, "organisations/create.html", {"form": form})


@login_required
@require_POST
def leave(request: HttpRequest, membership_id: int) -> HttpResponse:
    # The service finds the membership among the person's own: anyone else's id is refused.
    try:
        membership = services.membership_leave(membership_id=membership_id, user=request.user)
    except services.OrganisationError as error:
        messages.error(request, error.message)
    else:
        name = membership.organisation.name
        messages.success(
            request,
            gettext("You have left %(organisation)s. It no longer sees your progress, and you keep your places on courses.")
            % {"organisation": name},
        )
    return see_other(reverse("organisations:mine"))


def _role_changed(role: str, *, yourself: bool) -> str:
    """What the owner reads once a role is changed (``%(email)s`` and ``%(organisation)s`` to fill in)."""
    if yourself:
        return {
            Membership.Role.OWNER: gettext("You are now an owner of %(organisation)s."),
            Membership.Role.MANAGER: gettext("You are now a manager of %(organisation)s."),
        }.get(role, gettext("You are now a staff member of %(organisation)s."))
    return {
        Membership.Role.OWNER: gettext("%(email)s is now an owner of %(organisation)s."),
        Membership.Role.MANAGER: gettext("%(email)s is now a manager of %(organisation)s."),
    }.get(role, gettext("%(email)s is now a staff member of %(organisation)s."))


@manager_view("POST")
def manager_role(request: HttpRequest, manager: Membership, membership_id: int) -> HttpResponse:
    """An owner changes someone's role (the service refuses anyone but an owner)."""
    org_id = manager.organisation_id
    target = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, organisation_id=org_id, left_at__isnull=True
    )
    role = request.POST.get("role", "")
    try:
        services.manager_set_role(organisation_id=org_id, membership_id=target.pk, role=role, by=request.user)
    except services.OrganisationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _role_changed(role, yourself=target.user_id == request.user.pk) % {
            "email": target.user.email, "organisation": manager.organisation.name,
        })
        if target.user_id == request.user.pk and role == Membership.Role.MEMBER:
            return see_other(reverse("organisations:mine"))  # no longer manages: its pages are closed to them
    return see_other(reverse("organisations:invitations", args=[org_id]) + "#managers")
