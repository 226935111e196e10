"""The manager's view of their staff's progress, and its CSV export.

Both are manager pages (``manager_view``): another organisation's id, or one the person
only belongs to as staff, is a 404 (nothing about it is revealed). The rows come from
``organisations.dashboard``, which reads only what a manager may see.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from django import forms
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy, pgettext
from django.views.decorators.cache import never_cache

from kernel.spreadsheets import csv_stream

from .. import dashboard
from ..models import Membership, Organisation
from .manager import manager_view
from .pager import pager


class StaffFilterForm(forms.Form):
    """The dashboard's GET filters. A value that is not one of the choices (a course of
    another organisation, a made-up status) is a field error, and that filter is not used."""

    NOT_LISTED = {"invalid_choice": gettext_lazy("Choose one from the list.")}

    q = forms.CharField(label=gettext_lazy("Name or email"), required=False, max_length=200, strip=True)
    course = forms.TypedChoiceField(
        label=gettext_lazy("Course"), required=False, coerce=int, empty_value=None, error_messages=NOT_LISTED
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, error_messages=NOT_LISTED)
    certificate = forms.ChoiceField(label=gettext_lazy("Certificate"), required=False, error_messages=NOT_LISTED)
    ce_from = forms.DateField(
        label=gettext_lazy("CE hours earned from"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Enter a date, for example 2026-01-31.")},
    )
    ce_until = forms.DateField(
        label=gettext_lazy("CE hours earned until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Enter a date, for example 2026-12-31.")},
    )

    def __init__(self, *args, scope: dashboard.Scope, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [("", gettext("All courses"))] + [(c.id, c.title) for c in scope.courses]
        self.fields["status"].choices = [("", gettext("Any status"))] + dashboard.STATUS_CHOICES
        self.fields["certificate"].choices = [("", pgettext("certificate filter", "Any"))] + dashboard.certificate_choices()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("ce_from") and data.get("ce_until") and data["ce_until"] < data["ce_from"]:
            self.add_error("ce_until", gettext("The period cannot end before it starts."))
        return data

    def filters(self) -> dashboard.StaffFilters:
        if not self.is_bound:
            return dashboard.StaffFilters()
        self.is_valid()  # fills cleaned_data with the fields that are valid
        data = self.cleaned_data
        return dashboard.StaffFilters(
            course_id=data.get("course") or None,
            status=data.get("status") or None,
            certificate=data.get("certificate") or None,
            search=data.get("q") or "",
            ce_from=data.get("ce_from"),
            ce_until=data.get("ce_until"),
        )


def _link(name: str, args: list, fallback: str) -> str:
    """A link to a page another part of the app serves: its URL name when it exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def _nav(organisation: Organisation) -> list[tuple[str, str, bool]]:
    """The manager's pages of the organisation (as ``includes/org_nav.html`` lists them),
    as (label, URL, is this page)."""
    pk = organisation.pk
    return [
        (gettext("Staff progress"), reverse("organisations:dashboard", args=[pk]), True),
        (gettext("Seats"), _link("organisations:seats", [pk], f"/organisations/{pk}/seats/"), False),
        (gettext("Invitations and managers"), _link("organisations:invitations", [pk], f"/organisations/{pk}/invitations/"),
         False),
        (gettext("All your organisations"), _link("organisations:mine", [], "/organisations/"), False),
    ]


def _filters(request: HttpRequest, scope: dashboard.Scope) -> tuple[StaffFilterForm, dashboard.StaffFilters]:
    form = StaffFilterForm(request.GET or None, scope=scope)
    return form, form.filters()


@never_cache
@manager_view()
def staff_dashboard(request: HttpRequest, membership: Membership) -> HttpResponse:
    organisation = membership.organisation
    scope = dashboard.staff_scope(organisation)
    form, filters = _filters(request, scope)
    now = timezone.now()
    summary = dashboard.staff_summary(scope, now=now)
    page, rows = dashboard.staff_page(
        scope, filters, page_number=request.GET.get("page"), now=now, summary=summary
    )
    export = request.GET.copy()
    export.pop("page", None)
    nav = _nav(organisation)
    return TemplateResponse(
        request,
        "organisations/dashboard.html",
        {
            "organisation": organisation,
            "membership": membership,
            "scope": scope,
            "form": form,
            "filters": filters,
            "page": page,
            "pager": pager(request, page, what=gettext("staff")),
            "rows": rows,
            "summary": summary,
            "expiry_soon_days": dashboard.expiry_soon_days(),
            "csv_url": reverse("organisations:staff_csv", args=[organisation.pk])
            + (f"?{export.urlencode()}" if export else ""),
            "nav": nav,
            "seats_url": nav[1][1],
            "invitations_url": nav[2][1],
        },
    )


# Headers in the reader's language: the file is opened by people, in a spreadsheet.
CSV_HEADER = [
    gettext_lazy("Name"), gettext_lazy("Email"), gettext_lazy("Course"), gettext_lazy("Status"),
    gettext_lazy("Progress %"), gettext_lazy("Required assessments passed"),
    gettext_lazy("Required assessments"), gettext_lazy("Certificate"), gettext_lazy("Certificate programme"),
    gettext_lazy("Certificate expires"), gettext_lazy("Last activity"),
    gettext_lazy("Enrolled or invited on"), gettext_lazy("Completed on"), gettext_lazy("Invitation expires"),
    gettext_lazy("CE hours"),
]


def _day(value: datetime | None) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _moment(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _csv_rows(rows: Iterable[dashboard.StaffRow]) -> Iterator[list]:
    for row in rows:
        yield [
            row.name, row.email, row.course_title, row.status_label,
            "" if row.progress is None else row.progress,
            "" if row.is_invitation else row.quizzes_passed,
            "" if row.is_invitation else row.quizzes_required,
            row.certificate_label if not row.is_invitation else "",
            row.certificate_programme or "", _day(row.certificate_expires_at), _moment(row.last_activity_at),
            _day(row.since), _day(row.completed_at), _day(row.invitation_expires_at), row.ce_hours_label,
        ]


@never_cache
@manager_view()
def staff_csv(request: HttpRequest, membership: Membership) -> StreamingHttpResponse:
    """Every row the filters let through (not only one page), streamed: the rows are
    read in chunks from one query, and every cell is made safe for spreadsheets (names
    and emails are typed by people, course titles by editors)."""
    organisation = membership.organisation
    scope = dashboard.staff_scope(organisation)
    _, filters = _filters(request, scope)
    now = timezone.now()
    response = StreamingHttpResponse(
        csv_stream(CSV_HEADER, _csv_rows(dashboard.iter_staff_rows(scope, filters, now=now))),
        content_type="text/csv; charset=utf-8",
    )
    name = slugify(organisation.name) or "organisation"
    response["Content-Disposition"] = f'attachment; filename="staff-progress-{name}-{now.date().isoformat()}.csv"'
    return response
