"""Course evaluations in the Wagtail admin ("Continuing education" → "Course evaluations"):
for a course and a period, the number of responses, each rating's distribution and mean,
yes/no counts and the free-text answers as anonymous comments, and the same as a CSV.
Only staff with ``view_evaluation_results``; nothing here can name a learner.
"""
from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import HeaderButton

from kernel.admin_views import StaffPageMixin
from kernel.spreadsheets import csv_stream

from .. import permissions
from ..evaluation.form import RATING_CHOICES
from ..evaluation.results import EvaluationResults, RatingResult, TextResult, YesNoResult, evaluated_courses, evaluation_results


class ResultsFilterForm(forms.Form):
    course = forms.TypedChoiceField(label=_("Course"), coerce=int, empty_value=None)
    since = forms.DateField(label=_("From (day)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until (day)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.courses = {course.pk: course for course in evaluated_courses()}
        self.fields["course"].choices = [(pk, course.title) for pk, course in self.courses.items()]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", gettext("The period cannot end before it starts."))
        return data

    def results(self) -> EvaluationResults | None:
        if not self.is_bound or not self.is_valid():
            return None
        data = self.cleaned_data
        return evaluation_results(course=self.courses[data["course"]], since=data.get("since"), until=data.get("until"))


class ResultsPermission(StaffPageMixin):
    permission_required = permissions.VIEW_EVALUATION_RESULTS


class EvaluationResultsView(ResultsPermission, TemplateView):
    template_name = "continuing_education/admin/evaluation_results.html"
    page_title = _("Course evaluations")
    header_icon = "list-ul"

    def get_breadcrumbs_items(self) -> list[dict]:
        return self.breadcrumbs_items + [{"url": None, "label": self.page_title}]

    def form(self) -> ResultsFilterForm:
        return ResultsFilterForm(self.request.GET if "course" in self.request.GET else None)

    def get_header_buttons(self) -> list[HeaderButton]:
        if "course" not in self.request.GET:
            return []
        url = reverse("ce_evaluations:csv") + "?" + self.request.GET.urlencode()
        return [HeaderButton(_("Download CSV"), url, icon_name="download")]

    def get_context_data(self, **kwargs) -> dict:
        form = self.form()
        results = form.results()
        return super().get_context_data(
            form=form, results=results, rating_labels=[label for _value, label in RATING_CHOICES], **kwargs
        )


class EvaluationResultsCsvView(ResultsPermission, View):
    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ResultsFilterForm(request.GET)
        results = form.results()
        if results is None:  # a course not listed, a made-up date: say so, export nothing
            return HttpResponseBadRequest(gettext("Choose a course and a valid period."))
        response = StreamingHttpResponse(csv_stream(CSV_HEADER, csv_rows(results)), content_type="text/csv; charset=utf-8")
        name = slugify(results.course.title) or "course"
        response["Content-Disposition"] = f'attachment; filename="evaluation-{name}.csv"'
        return response


# Headers in the reader's language: the file is opened by people, in a spreadsheet.
CSV_HEADER = [
    _("Course"), _("Period from"), _("Period until"), _("Question"), _("Kind"), _("Answer"), _("Count"),
    _("Mean"), _("Month"),
]


def csv_rows(results: EvaluationResults) -> Iterator[list]:
    """The page's figures as rows: the responses, then each question's counts (and mean),
    then each comment with its month. Cells are made safe for spreadsheets by csv_stream."""
    head = [results.course.title, results.since or "", results.until or ""]
    yield head + ["", "responses", "", results.responses, "", ""]
    for result in results.questions:
        text = result.question.text
        if isinstance(result, RatingResult):
            for score, count in result.distribution:
                yield head + [text, "rating", score, count, "", ""]
            yield head + [text, "rating", "mean", result.answered, result.mean if result.mean is not None else "", ""]
        elif isinstance(result, YesNoResult):
            yield head + [text, "yes_no", "yes", result.yes, "", ""]
            yield head + [text, "yes_no", "no", result.no, "", ""]
        elif isinstance(result, TextResult):
            for comment in result.comments:
                yield head + [text, "comment", comment.text, "", "", comment.month.strftime("%Y-%m")]


class EvaluationResultsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(permissions.VIEW_EVALUATION_RESULTS)


app_name = "ce_evaluations"
urlpatterns = [
    path("", EvaluationResultsView.as_view(), name="index"),
    path("csv/", EvaluationResultsCsvView.as_view(), name="csv"),
]
