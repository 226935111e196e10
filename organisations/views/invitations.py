"""Invitations: the manager's page (pending and accepted ones, the invite form with its
preview, withdraw and re-send) and the page an invited person opens from the email.

The preview is never trusted: "Send" posts back only the addresses (and names) that were
ticked, and the server checks them again with ``invitation_preview`` before anything is
sent. If any of them is no longer good, nothing is sent and the preview is shown again.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.adapter import stash_proved_email
from courses.models import CoursePage

from .. import selectors, services
from ..forms import InviteForm, InviteTargetForm
from ..models import Invitation, Membership, Organisation
from .manager import manager_page, manager_view
from .orgs import see_other

Role = Membership.Role
RECENT_DAYS = 30


def _is_owner(membership: Membership) -> bool:
    return membership.role == Role.OWNER


def _invite_form(
    membership: Membership, data: QueryDict | None = None, files: MultiValueDict | None = None, *,
    cls: type[InviteTargetForm] = InviteForm,
) -> InviteTargetForm:
    return cls(
        data, files, courses=selectors.invitable_courses(membership.organisation),
        may_invite_managers=_is_owner(membership),
    )


def _invitations_page(
    request: HttpRequest, membership: Membership, *, form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    organisation = membership.organisation
    form = form or _invite_form(membership)
    return manager_page(
        request, membership, "organisations/invitations.html", section="invitations", status=status,
        form=form, has_courses=form.fields["course"].queryset.exists(),
        pending=selectors.pending_invitations(organisation).order_by("-created_at"),
        accepted=selectors.recently_accepted(organisation, since=timezone.now() - timedelta(days=RECENT_DAYS))[:100],
        recent_days=RECENT_DAYS,
        managers=selectors.managers_of(organisation),
        is_owner=_is_owner(membership),
        roles=Role.choices,
        now=timezone.now(),
    )


# The page on GET; the posts below show it again with their refused form.
invitations = never_cache(manager_view("GET")(_invitations_page))


def _seats_note(organisation: Organisation, course: CoursePage | None) -> dict | None:
    """Free places on the course and invitations already waiting for it."""
    if course is None:
        return None
    free = selectors.seat_pool_free(organisation=organisation, course=course)
    waiting = selectors.pending_counts_by_course(organisation).get(course.pk, 0)
    return {"free": free, "waiting": waiting}


def _preview_page(
    request: HttpRequest, membership: Membership, *, target: dict, preview: selectors.Preview, method: str,
    resent_problems: bool = False,
) -> HttpResponse:
    course = target["course"]
    return manager_page(
        request, membership, "organisations/invitation_preview.html", section="invitations",
        course=course, role=target["role"], preview=preview, method=method, good=preview.good, bad=preview.bad,
        seats=_seats_note(membership.organisation, course), limit=settings.ORGANISATIONS_MAX_INVITATIONS_PER_UPLOAD,
        changed=resent_problems,
    )


@never_cache
@manager_view("POST")
def preview(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Step one: check whoever was entered and show who would be invited, and why any
    row cannot be. Nothing is saved."""
    form = _invite_form(membership, request.POST, request.FILES)
    if not form.is_valid():
        return _invitations_page(request, membership, form=form)
    data = form.cleaned_data
    method = form.method()
    kwargs = {"csv_data": data["csv_text"]} if method == "csv" else {
        "text": data["people"] if method == "list" else form.as_text()
    }
    result = selectors.invitation_preview(
        organisation=membership.organisation, course=data["course"], role=data["role"], **kwargs
    )
    if not result.rows:
        form.add_error("csv_file" if method == "csv" else "people", gettext("We found nobody to invite in it."))
        return _invitations_page(request, membership, form=form)
    return _preview_page(request, membership, target=data, preview=result, method=method)


def _posted_people(request: HttpRequest) -> str:
    """The ticked rows, as lines for ``invitation_preview``. Whitespace inside a value
    (a forged line break) is flattened, so one ticked box is always one row."""
    lines = (" ".join(value.split()) for value in request.POST.getlist("person"))
    return "\n".join(line for line in lines if line)


@never_cache
@manager_view("POST")
def send(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Step two: check the ticked rows again and send them, all or none."""
    organisation = membership.organisation
    back = reverse("organisations:invitations", args=[organisation.pk])
    target_form = _invite_form(membership, request.POST, cls=InviteTargetForm)
    if not target_form.is_valid():
        # A course or role that is no longer (or never was) offered: start again.
        for errors in target_form.errors.values():
            for error in errors:
                messages.error(request, error)
        return see_other(back)
    target = target_form.cleaned_data
    text = _posted_people(request)
    if not text:
        messages.error(request, gettext("Nobody was ticked, so no invitation was sent."))
        return see_other(back)
    checked = selectors.invitation_preview(organisation=organisation, course=target["course"], role=target["role"], text=text)
    if checked.bad:
        return _preview_page(request, membership, target=target, preview=checked, method="check", resent_problems=True)
    try:
        made = services.invitations_create(
            organisation=organisation, by=request.user, rows=checked.good, course=target["course"], role=target["role"]
        )
    except services.OrganisationError as error:
        messages.error(request, error.message)
        return see_other(back)
    skipped = len(checked.good) - len(made)
    sent = ngettext("%(count)d invitation sent", "%(count)d invitations sent", len(made)) % {"count": len(made)}
    if skipped:
        sent += "; " + ngettext(
            "%(count)d had just been invited by someone else, so they were not sent twice",
            "%(count)d had just been invited by someone else, so they were not sent twice",
            skipped,
        ) % {"count": skipped}
    days = settings.ORGANISATIONS_INVITATION_DAYS
    messages.success(request, gettext("%(sent)s. Each link works for %(days)s days.") % {"sent": sent, "days": days})
    return see_other(back)


def _invitation_action(
    request: HttpRequest, membership: Membership, invitation_id: int, *, act: Callable[..., Invitation], done: str
) -> HttpResponse:
    """Withdraw or re-send one of the organisation's invitations (looked up within the
    organisation: another organisation's id is a 404, never acted on); ``done`` is said
    with the invitation's ``{email}`` once it worked."""
    org_id = membership.organisation_id
    invitation = get_object_or_404(Invitation, pk=invitation_id, organisation_id=org_id)
    try:
        act(organisation_id=org_id, invitation_id=invitation.pk, by=request.user)
    except services.OrganisationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done.format(email=invitation.email))
    return see_other(reverse("organisations:invitations", args=[org_id]) + "#pending")


@manager_view("POST")
def withdraw(request: HttpRequest, membership: Membership, invitation_id: int) -> HttpResponse:
    return _invitation_action(
        request, membership, invitation_id, act=services.invitation_withdraw,
        done=gettext("The invitation to {email} is withdrawn: its link no longer works."),
    )


@manager_view("POST")
def resend(request: HttpRequest, membership: Membership, invitation_id: int) -> HttpResponse:
    return _invitation_action(
        request, membership, invitation_id, act=services.invitation_resend,
        done=gettext("A new invitation is on its way to {email}. The link in the earlier email no longer works."),
    )


# --- the invited person's page ------------------------------------------------------------------


def _refused(request: HttpRequest, message: str, *, status: int, invitation: Invitation | None = None) -> HttpResponse:
    return TemplateResponse(
        request, "organisations/invitation_refused.html",
        {"message": message, "invitation": invitation, "seats_gone": status == 409},
        status=status,
    )


def _after_joining(request: HttpRequest, invitation: Invitation) -> str:
    if invitation.course_id:
        return invitation.course.get_url(request) or "/"
    return reverse("organisations:dashboard", args=[invitation.organisation_id])


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link sees what joining means; a signed-in person accepts it."""
    try:
        invitation = selectors.invitation_from_token(token)
    except services.InvitationInvalid as error:
        # A changed link is a bad request; a genuine one that was replaced is gone.
        return _refused(request, error.message, status=400 if isinstance(error, services.InvitationTampered) else 410)
    user = request.user if request.user.is_authenticated else None
    problem = selectors.invitation_problem(invitation, user=user)
    if problem:
        return _refused(request, problem, status=410, invitation=invitation)

    if request.method == "POST":
        if user is None:
            # Accepting needs an account: the buttons on the page lead through sign-in.
            return see_other(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        try:
            accepted = services.invitation_accept(token=token, user=user)
        except services.SeatsGone as error:
            return _refused(request, error.message, status=409, invitation=invitation)
        except services.InvitationInvalid as error:
            return _refused(request, error.message, status=410, invitation=invitation)
        except services.OrganisationError as error:
            return _refused(request, error.message, status=409, invitation=invitation)
        organisation = accepted.invitation.organisation.name
        if accepted.already:
            messages.info(request, gettext("You have already joined %(organisation)s.") % {"organisation": organisation})
        elif accepted.taken is None:
            messages.success(request, gettext("Welcome: you now help manage %(organisation)s's training.") % {
                "organisation": organisation,
            })
        elif not accepted.taken.needed_seat:
            messages.success(
                request,
                gettext(
                    "You have joined %(organisation)s. You already had a place on %(course)s, "
                    "so it stays yours and none of the organisation's places was used."
                ) % {"organisation": organisation, "course": accepted.invitation.course.title},
            )
        else:
            messages.success(
                request,
                gettext(
                    "You have joined %(organisation)s and your place on %(course)s is ready. Take it at your own pace."
                ) % {"organisation": organisation, "course": accepted.invitation.course.title},
            )
        return see_other(_after_joining(request, accepted.invitation))

    if user is None:
        # The link reached this visitor through the invited address: signing up with that
        # address needs no confirmation email, so they can accept straight away. Only a
        # link that can still be accepted gets here (changed, replaced, expired, used and
        # withdrawn ones were refused above).
        stash_proved_email(request, invitation.email)
    already = invitation.status == Invitation.Status.ACCEPTED  # by this person (else a problem above)
    email_differs = bool(user) and user.email.strip().lower() != invitation.email.strip().lower()
    return TemplateResponse(
        request, "organisations/invitation.html",
        {
            "invitation": invitation, "organisation": invitation.organisation, "already": already,
            "email_differs": email_differs, "next_url": request.path,
            "paid_place": selectors.place_is_paid(invitation),
            "continue_url": _after_joining(request, invitation) if already else "",
        },
    )
