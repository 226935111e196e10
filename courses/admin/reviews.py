"""The review queue in the Wagtail admin: written answers waiting for a reviewer, reviewing
one attempt, sending an attempt whose grading failed back to the grader.

Thin views: parse, authorise, call a service (``courses.assessment.services``) or a read
(``courses.assessment.selectors``), render. Every view needs the review permission
(``courses.permissions.REVIEW``; superusers have every permission). Wagtail's admin URLs
wrap them in its sign-in and admin-access check, which also turns our
``PermissionDenied`` into its usual "no permission" redirect.
"""
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kernel.admin_menu import CountedMenuItem

from .. import permissions, scoring
from ..assessment import selectors, services, stats
from ..errors import LearningError
from ..models import QuizAttempt
from .forms import QueueFilterForm, ReviewForm

Status = QuizAttempt.Status
PAGE_SIZE = 50


class ReviewerRequiredMixin(PermissionRequiredMixin):
    # Django checks in dispatch, before the method handler: a refused POST does nothing,
    # and objects (cached properties below) are only loaded for permitted users.
    permission_required = permissions.REVIEW
    raise_exception = True


class AdminPage(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "tasks"

    def get_breadcrumbs_items(self) -> list[dict]:
        return self.breadcrumbs_items + [{"url": reverse("quiz_reviews:index"), "label": _("Review queue")}]


# --- the queue -----------------------------------------------------------------------------


class QueueView(AdminPage):
    template_name = "courses/admin/review_queue.html"
    page_title = _("Review queue")

    def get_breadcrumbs_items(self) -> list[dict]:
        return self.breadcrumbs_items + [{"url": None, "label": _("Review queue")}]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        filtering = {"course", "days"} & set(self.request.GET)  # not just a page number
        form = QueueFilterForm(self.request.GET if filtering else None)
        # A bad filter value (an old link, a deleted course) shows its error and the whole queue.
        filters = form.cleaned_data if form.is_valid() else {}
        now = timezone.now()
        waiting = selectors.queued_attempts(status=Status.NEEDS_REVIEW, now=now, **filters)
        page = Paginator(waiting, PAGE_SIZE).get_page(self.request.GET.get("p"))
        failed = list(selectors.queued_attempts(status=Status.FAILED, now=now, **filters)[:PAGE_SIZE])
        context.update(filter_form=form, waiting=page, failed=failed, now=now)
        return context


class RequeueView(ReviewerRequiredMixin, View):
    """POST only: send an attempt whose grading failed back to the grader."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, attempt_id: int) -> HttpResponse:
        if services.attempt_requeue(attempt_id=attempt_id):
            messages.success(
                request, gettext("The attempt was sent back for grading; it leaves this list once graded.")
            )
        else:
            messages.warning(request, gettext("That attempt is no longer marked as failed, so nothing was sent."))
        return redirect("quiz_reviews:index")


class ReviewQueueMenuItem(CountedMenuItem):
    """Shown only to reviewers, with the number of attempts waiting in its label."""

    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(permissions.REVIEW)

    def waiting(self, request: HttpRequest) -> int:
        return selectors.waiting_for_review_count()


# --- reviewing one attempt -----------------------------------------------------------------


def review_items(attempt: QuizAttempt, form: ReviewForm) -> list[dict]:
    """What the reviewer sees per question: the question, the learner's answer, and either
    the computed result (objective) or the rubric (written). Never the learner's other
    work, such as lesson reflections."""
    items = []
    for q in attempt.questions:
        written = q["type"] == scoring.WRITTEN
        item = {
            "question": q,
            "kind": stats.TYPE_LABELS.get(q["type"], q["type"]),
            "answer": selectors.answer_text(q, attempt.answers.get(q["id"])),
            "result": None if written and attempt.status != Status.GRADED else attempt.results.get(q["id"]),
        }
        if written and attempt.status == Status.NEEDS_REVIEW:
            item["fields"] = form.marks_for(q)
        elif written and q["id"] in attempt.review:
            item["given"] = [
                (c["criterion"], m, c["points"]) for c, m in zip(q["rubric"], attempt.review[q["id"]])
            ]
        items.append(item)
    return items


class ReviewView(AdminPage):
    template_name = "courses/admin/review_attempt.html"

    @cached_property
    def attempt(self) -> QuizAttempt:
        return get_object_or_404(
            QuizAttempt.objects.select_related("user", "quiz", "enrollment__course", "reviewed_by"),
            pk=self.kwargs["attempt_id"],
        )

    def get_page_title(self) -> str:
        return gettext("Attempt %(number)s at %(quiz)s") % {
            "number": self.attempt.number, "quiz": self.attempt.quiz.title,
        }

    def get_breadcrumbs_items(self) -> list[dict]:
        return super().get_breadcrumbs_items() + [{"url": None, "label": self.get_page_title()}]

    def get_context_data(self, form: ReviewForm | None = None, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        form = form or ReviewForm(questions=self.attempt.questions)
        context.update(
            attempt=self.attempt, form=form, items=review_items(self.attempt, form),
            open_for_review=self.attempt.status == Status.NEEDS_REVIEW,
        )
        return context

    def post(self, request: HttpRequest, attempt_id: int) -> HttpResponse:
        form = ReviewForm(request.POST, questions=self.attempt.questions)
        if form.is_valid():
            try:
                services.attempt_review(
                    attempt_id=self.attempt.pk, reviewer=request.user,
                    scores=form.scores(), comment=form.cleaned_data["comment"],
                )
            except LearningError as error:
                form.add_error(None, error.message)
                self.attempt.refresh_from_db()  # show what is there now (someone else's review)
            else:
                messages.success(
                    request,
                    gettext("Review saved. %(learner)s will be emailed their result.") % {"learner": self.attempt.user},
                )
                return redirect("quiz_reviews:index")
        return self.render_to_response(self.get_context_data(form=form))
