"""Accrediting bodies and the network's approvals as snippets, in the "Continuing education"
menu. Staff with the model permissions (the "CE staff" group) add and edit them; the
approval's form keeps the rules of its courses' CE hours (``approval_form``).

The approvals listing shows each one's body, provider number, period and state (current,
lapses in N days, lapsed), and filters by state, so the ones lapsing soon are found at once.

Saving an approval, or opening it, warns staff of each required quiz of its courses that
passes below its passing score (``selectors.approvals.quizzes_below_passing_score``). A
warning, not an error: the passing score is the body's rule, which staff record as it is
written, and the approval is sound (a learner who scores enough gets the hours); what
needs a change, if anything, is the quiz, on the course's pages, by whoever edits the
course. The learner is told the score CE needs on the course page and before the quiz.
"""
from __future__ import annotations

import django_filters
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from ..models import AccreditingBody, Approval
from ..selectors.approvals import (
    CURRENT,
    LAPSED,
    LAPSING,
    NOT_YET,
    approval_state,
    ids_in_state,
    quizzes_below_passing_score,
)
from .approval_form import ApprovalAdminForm
from .display import approval_state_label, day

STATE_CHOICES = [
    (CURRENT, _("Current")), (LAPSING, _("Lapsing soon")), (LAPSED, _("Lapsed")), (NOT_YET, _("Not yet in force")),
]


class AccreditingBodyViewSet(SnippetViewSet):
    model = AccreditingBody
    icon = "group"
    menu_label = _("Accrediting bodies")
    list_display = ["name", "short_name", "website"]
    search_fields = ["name", "short_name"]


class ApprovalFilterSet(WagtailFilterSet):
    body = django_filters.ModelChoiceFilter(
        label=_("Accrediting body"), queryset=AccreditingBody.objects.order_by("name"), empty_label=_("All bodies")
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=STATE_CHOICES, empty_label=_("Any state"), method="filter_state")

    class Meta:
        model = Approval
        fields = ["body", "state"]

    def filter_state(self, queryset: QuerySet[Approval], name: str, value: str) -> QuerySet[Approval]:
        return queryset.filter(pk__in=ids_in_state(value)) if value else queryset


def _period(approval: Approval) -> str:
    return f"{day(approval.approved_from)} – {day(approval.approved_until)}"


def warn_of_quizzes_below(request: HttpRequest, approval: Approval) -> None:
    for quiz in quizzes_below_passing_score(approval=approval):
        messages.warning(request, gettext(
            "%(course)s: its quiz “%(quiz)s” passes at %(mark)s%%, below this approval's passing score of "
            "%(score)s%%. A learner cannot take a quiz again once passed, so one who passes it with less than "
            "%(score)s%% cannot earn these CE hours (only a regrade could change that). Consider raising the "
            "quiz's pass mark to %(score)s%%."
        ) % {"course": quiz.course_title, "quiz": quiz.quiz_title, "mark": quiz.pass_mark,
             "score": approval.passing_score_percent})


class QuizWarningsOnSave:
    def save_action(self) -> HttpResponse:
        if not self.expects_json_response:  # an autosave's JSON would not show them
            warn_of_quizzes_below(self.request, self.object)
        return super().save_action()


class ApprovalCreateView(QuizWarningsOnSave, CreateView):
    pass


class ApprovalEditView(QuizWarningsOnSave, EditView):
    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        # Before any change too: a quiz may have been edited since the approval was saved.
        # (The page is rendered after this, with the messages.)
        warn_of_quizzes_below(request, self.object)
        return response


class ApprovalViewSet(SnippetViewSet):
    model = Approval
    icon = "doc-full-inverse"
    menu_label = _("CE approvals")
    add_view_class = ApprovalCreateView
    edit_view_class = ApprovalEditView
    filterset_class = ApprovalFilterSet
    search_fields = ["provider_number", "body__name"]
    edit_handler = ObjectList(Approval.panels, base_form_class=ApprovalAdminForm)
    list_display = [
        "body",  # the first column links to the approval's edit page
        Column("provider_number", label=_("Provider number"), sort_key="provider_number"),
        Column("period", label=_("Approval period"), accessor=_period, sort_key="approved_until"),
        StatusTagColumn(
            "state", label=_("State"), accessor=approval_state_label,
            primary=lambda approval: approval_state(approval).kind == CURRENT,
        ),
    ]

    def get_queryset(self, request) -> QuerySet[Approval]:
        return Approval.objects.select_related("body")
