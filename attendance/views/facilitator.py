"""The facilitator's pages: their meetings, issuing slips, the meeting code, voiding.

Every meeting is looked up as the signed-in facilitator's own (another's is a 404).
Registering, issuing and showing a code need a current facilitator certificate; without
one each page says why. Deactivating a meeting, switching requests off and voiding a
slip stay possible: they only take away.
"""
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import codes, selectors, services
from ..errors import Refused
from ..forms import IssueForm, MeetingForm, VoidForm
from ..models import Meeting
from .common import pdf_response


@login_required
@require_GET
def meetings(request: HttpRequest) -> HttpResponse:
    context = {
        "standing": selectors.facilitator_standing(user=request.user),
        "meetings": list(selectors.facilitator_meetings(user=request.user)),
        "void_form": VoidForm(),
    }
    return TemplateResponse(request, "attendance/meetings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_id: int | None = None) -> HttpResponse:
    standing = selectors.facilitator_standing(user=request.user)
    meeting = None
    if meeting_id is not None:
        meeting = selectors.facilitator_meeting(user=request.user, meeting_id=meeting_id)
        if meeting is None:
            raise Http404("No meeting of yours here.")
    initial = {} if meeting else {"time_zone": timezone.get_current_timezone_name(), "requests_open": True}
    form = MeetingForm(request.POST or None, instance=meeting, initial=initial)
    if request.method == "POST" and standing.may_issue and form.is_valid():
        try:
            services.meeting_save(user=request.user, meeting=form.save(commit=False))
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, gettext("The meeting is saved."))
            return redirect("attendance:meetings")
    return TemplateResponse(request, "attendance/meeting_form.html", {"form": form, "meeting": meeting, "standing": standing})


@login_required
@require_POST
def meeting_deactivate(request: HttpRequest, meeting_id: int) -> HttpResponse:
    if not services.meeting_deactivate(user=request.user, meeting_id=meeting_id):
        raise Http404("No meeting of yours here.")
    messages.success(request, gettext("The meeting is removed from your list. Its slips can still be checked."))
    return redirect("attendance:meetings")


@login_required
@sensitive_post_parameters("names")
@require_http_methods(["GET", "POST"])
def issue(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.facilitator_meeting(user=request.user, meeting_id=meeting_id)
    if meeting is None:
        raise Http404("No meeting of yours here.")
    standing = selectors.facilitator_standing(user=request.user)
    dates = selectors.issuable_dates(meeting)
    form = IssueForm(request.POST or None, dates=dates)
    if request.method == "POST" and standing.may_issue and form.is_valid():
        try:
            issued = services.slips_issue_by_facilitator(
                user=request.user, meeting_id=meeting.pk,
                meeting_date=date.fromisoformat(form.cleaned_data["meeting_date"]),
                lines=form.cleaned_data["names"].splitlines(),
            )
        except Refused as refused:
            form.add_error("names", refused.message)
        else:
            return pdf_response(issued)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "attendance/issue.html", {"form": form, "meeting": meeting, "standing": standing}, status=status)


def _code_page(request: HttpRequest, meeting: Meeting, status: int = 200) -> HttpResponse:
    standing = selectors.facilitator_standing(user=request.user)
    occurrence = selectors.latest_occurrence(meeting)
    code = selectors.meeting_code_of(meeting=meeting, day=occurrence.date)
    context = {
        "meeting": meeting, "standing": standing, "occurrence": occurrence, "code": code,
        "now": timezone.now(), "window_minutes": int(selectors.request_window().total_seconds() // 60),
    }
    return TemplateResponse(request, "attendance/code.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_code(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """GET shows the latest occurrence's code (if opened); POST opens it."""
    meeting = selectors.facilitator_meeting(user=request.user, meeting_id=meeting_id)
    if meeting is None:
        raise Http404("No meeting of yours here.")
    if request.method == "POST":
        try:
            services.meeting_code_open(user=request.user, meeting=meeting)
        except Refused as refused:
            messages.error(request, refused.message)
            return _code_page(request, meeting, status=400)
        return redirect("attendance:code", meeting_id=meeting.pk)
    return _code_page(request, meeting)


@login_required
@require_POST
def meeting_requests(request: HttpRequest, meeting_id: int) -> HttpResponse:
    open_ = request.POST.get("open") == "1"
    try:
        found = services.meeting_requests_switch(user=request.user, meeting_id=meeting_id, open_=open_)
    except Refused as refused:
        messages.error(request, refused.message)
        return redirect("attendance:code", meeting_id=meeting_id)
    if not found:
        raise Http404("No meeting of yours here.")
    messages.success(request, gettext("Participants can request slips with the code.") if open_
                     else gettext("Requests are switched off: the code no longer issues slips."))
    return redirect("attendance:code", meeting_id=meeting_id)


@login_required
@require_POST
def slip_void(request: HttpRequest) -> HttpResponse:
    form = VoidForm(request.POST)
    if form.is_valid() and services.slip_void(user=request.user, typed_code=form.cleaned_data["slip_code"]):
        messages.success(request, gettext("The slip %(code)s is void: its check now says so.") % {
            "code": codes.display(codes.normalise(form.cleaned_data["slip_code"], codes.SLIP_LENGTH))})
        return redirect("attendance:meetings")
    messages.error(request, gettext("None of your slips that is not yet void has this code. Check the code printed on the slip."))
    return redirect("attendance:meetings")
