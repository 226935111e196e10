"""A quiz's staff pages in the Wagtail admin: its question statistics (and their CSV) and
regrading its attempts after an answer key is fixed; and the links to them from the page
explorer and the page editor. Every view needs the review permission."""
import io
from collections.abc import Iterator

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy as _
from django.views.generic import View
from wagtail.admin.widgets import Button
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import Page

from accounts.models import User

from .. import jobs, permissions
from ..assessment import selectors, stats
from ..models import QuizAttempt, QuizPage
from .reviews import AdminPage, ReviewerRequiredMixin

Status = QuizAttempt.Status


class QuizAdminPage(AdminPage):
    @cached_property
    def quiz(self) -> QuizPage:
        return get_object_or_404(QuizPage, pk=self.kwargs["quiz_id"])

    def get_page_subtitle(self) -> str:
        return self.quiz.title

    def get_breadcrumbs_items(self) -> list[dict]:
        return super().get_breadcrumbs_items() + [{"url": None, "label": f"{self.page_title}: {self.quiz.title}"}]

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(quiz=self.quiz, **kwargs)


class StatsView(QuizAdminPage):
    template_name = "courses/admin/quiz_stats.html"
    page_title = _("Question statistics")
    header_icon = "table"

    def get_header_buttons(self) -> list[HeaderButton]:
        pk = self.quiz.pk
        return [
            HeaderButton(_("Download CSV"), reverse("quiz_reviews:stats_csv", args=[pk]), icon_name="download"),
            HeaderButton(_("Regrade attempts"), reverse("quiz_reviews:regrade", args=[pk]), icon_name="resubmit"),
            HeaderButton(_("Edit quiz"), reverse("wagtailadmin_pages:edit", args=[pk]), icon_name="edit"),
        ]

    def get_context_data(self, **kwargs) -> dict:
        results = stats.stats_for_quiz(self.quiz)
        not_counted = selectors.attempts_count(quiz_id=self.quiz.pk, statuses=(Status.NEEDS_REVIEW, Status.FAILED))
        return super().get_context_data(stats=results, not_counted=not_counted, **kwargs)


class StatsCsvView(ReviewerRequiredMixin, View):
    http_method_names = ["get"]

    def get(self, request: HttpRequest, quiz_id: int) -> HttpResponse:
        quiz = get_object_or_404(QuizPage, pk=quiz_id)
        out = io.StringIO()
        stats.write_csv(stats.stats_for_quiz(quiz), out)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="quiz-{quiz.pk}-question-statistics.csv"'
        return response


class RegradeView(QuizAdminPage):
    """GET asks for confirmation; POST enqueues the regrade, which runs in the background
    (one task per attempt; see ``courses.assessment.services.regrade`` for what changes)."""

    template_name = "courses/admin/regrade_confirm.html"
    page_title = _("Regrade attempts")
    header_icon = "resubmit"

    def get_context_data(self, **kwargs) -> dict:
        finished = selectors.attempts_count(quiz_id=self.quiz.pk, statuses=selectors.FINISHED)
        return super().get_context_data(
            finished=finished, unpublished_changes=self.quiz.has_unpublished_changes, **kwargs
        )

    def post(self, request: HttpRequest, quiz_id: int) -> HttpResponse:
        jobs.regrade_quiz.enqueue_on_commit(self.quiz.pk)
        messages.success(
            request,
            gettext(
                "Regrading the attempts at “%(quiz)s” in the background. "
                "Scores and this page update as each attempt is done, usually within a minute."
            ) % {"quiz": self.quiz.title},
        )
        return redirect("quiz_reviews:stats", quiz_id=self.quiz.pk)


def quiz_buttons(page: Page, user: User, priority: int) -> Iterator[Button]:
    """Links from a quiz page (explorer row menu, editor header) to its statistics and regrade."""
    specific_class = page.specific_class  # from the content type cache: no query per row
    if not (specific_class and issubclass(specific_class, QuizPage)):
        return
    if not user.has_perm(permissions.REVIEW):
        return
    stats_url = reverse("quiz_reviews:stats", args=[page.pk])
    regrade_url = reverse("quiz_reviews:regrade", args=[page.pk])
    yield Button(_("Question statistics"), stats_url, icon_name="table", priority=priority)
    yield Button(_("Regrade attempts"), regrade_url, icon_name="resubmit", priority=priority + 1)
