"""The staff side of assessments in the Wagtail admin: the review queue, reviewing written
answers, sending failed attempts back for grading, regrading a quiz, question statistics.

Thin views: parse, authorise, call a service (``services``) or a read (``stats`` and the
queue reads below), render. Every view needs ``courses.review_quizattempt`` (superusers
have every permission). Wagtail's admin URLs wrap them in its sign-in and admin-access
check, which also turns our ``PermissionDenied`` into its usual "no permission" redirect.
"""
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from .. import jobs, scoring
from ..models import CoursePage, QuizAttempt, QuizPage
from ..services import LearningError
from . import services, stats
from .selectors import answer_text, queued_attempts

REVIEW_PERMISSION = "courses.review_quizattempt"
Status = QuizAttempt.Status
PAGE_SIZE = 50


# --- permission ----------------------------------------------------------------------------


class ReviewerRequiredMixin(PermissionRequiredMixin):
    # Django checks in dispatch, before the method handler: a refused POST does nothing,
    # and objects (cached properties below) are only loaded for permitted users.
    permission_required = REVIEW_PERMISSION
    raise_exception = True


class AdminPage(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse("quiz_reviews:index"), "label": "Review queue"}]


# --- the queue -----------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=CoursePage.objects.order_by("title"), required=False, empty_label="All courses"
    )
    days = forms.TypedChoiceField(
        label="Waiting",
        choices=[("", "Any time"), ("1", "More than 1 day"), ("3", "More than 3 days"), ("7", "More than 7 days")],
        coerce=int, empty_value=None, required=False,
    )


class QueueView(AdminPage):
    template_name = "courses/admin/review_queue.html"
    page_title = "Review queue"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": None, "label": "Review queue"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filtering = {"course", "days"} & set(self.request.GET)  # not just a page number
        form = QueueFilterForm(self.request.GET if filtering else None)
        # A bad filter value (an old link, a deleted course) shows its error and the whole queue.
        filters = form.cleaned_data if form.is_valid() else {}
        now = timezone.now()
        waiting = queued_attempts(status=Status.NEEDS_REVIEW, now=now, **filters)
        page = Paginator(waiting, PAGE_SIZE).get_page(self.request.GET.get("p"))
        failed = list(queued_attempts(status=Status.FAILED, now=now, **filters)[:PAGE_SIZE])
        context.update(filter_form=form, waiting=page, failed=failed, now=now)
        return context


class RequeueView(ReviewerRequiredMixin, View):
    """POST only: send an attempt whose grading failed back to the grader."""

    http_method_names = ["post"]

    def post(self, request, attempt_id: int):
        if services.attempt_requeue(attempt_id=attempt_id):
            messages.success(request, "The attempt was sent back for grading; it leaves this list once graded.")
        else:
            messages.warning(request, "That attempt is no longer marked as failed, so nothing was sent.")
        return redirect("quiz_reviews:index")


# --- reviewing one attempt -----------------------------------------------------------------


def mark_name(question_id: str, criterion: int) -> str:
    return f"mark-{question_id}-{criterion}"


class ReviewForm(forms.Form):
    """One mark per rubric criterion of each written question, plus a comment.

    Marks start empty on purpose: a criterion the reviewer skipped must be an error, not
    a silent zero.
    """

    comment = forms.CharField(
        label="Comment for the learner", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Sent to the learner with the result.",
    )

    def __init__(self, *args, questions: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.written = [q for q in questions if q["type"] == scoring.WRITTEN]
        for q in self.written:
            for i, criterion in enumerate(q["rubric"]):
                top = criterion["points"]
                self.fields[mark_name(q["id"], i)] = forms.TypedChoiceField(
                    label=criterion["criterion"],
                    choices=[("", "Choose a mark")] + [(n, f"{n} of {top}") for n in range(top + 1)],
                    coerce=int,
                    error_messages={
                        "required": "Choose a mark for this criterion.",
                        "invalid_choice": f"A mark for this criterion is a whole number from 0 to {top}.",
                    },
                )
        self.order_fields([name for name in self.fields if name != "comment"])

    def clean(self):
        # A mark for a question this attempt does not have means a stale or altered form.
        if any(key.startswith("mark-") and key not in self.fields for key in self.data):
            raise ValidationError(
                "The marks sent do not match this attempt's questions. Reload the page and try again."
            )
        return super().clean()

    def marks_for(self, question: dict) -> list:
        return [self[mark_name(question["id"], i)] for i in range(len(question["rubric"]))]

    def scores(self) -> dict[str, list[int]]:
        return {
            q["id"]: [self.cleaned_data[mark_name(q["id"], i)] for i in range(len(q["rubric"]))]
            for q in self.written
        }


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
            "answer": answer_text(q, attempt.answers.get(q["id"])),
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

    def get_page_title(self):
        return f"Attempt {self.attempt.number} at {self.attempt.quiz.title}"

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": None, "label": self.get_page_title()}]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        form = form or ReviewForm(questions=self.attempt.questions)
        context.update(
            attempt=self.attempt, form=form, items=review_items(self.attempt, form),
            open_for_review=self.attempt.status == Status.NEEDS_REVIEW,
        )
        return context

    def post(self, request, attempt_id: int):
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
                    request, f"Review saved. {self.attempt.user} will be emailed their result."
                )
                return redirect("quiz_reviews:index")
        return self.render_to_response(self.get_context_data(form=form))


# --- a quiz: statistics and regrading ------------------------------------------------------


class QuizAdminPage(AdminPage):
    @cached_property
    def quiz(self) -> QuizPage:
        return get_object_or_404(QuizPage, pk=self.kwargs["quiz_id"])

    def get_page_subtitle(self):
        return self.quiz.title

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": None, "label": f"{self.page_title}: {self.quiz.title}"}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(quiz=self.quiz, **kwargs)


class StatsView(QuizAdminPage):
    template_name = "courses/admin/quiz_stats.html"
    page_title = "Question statistics"
    header_icon = "table"

    def get_header_buttons(self):
        pk = self.quiz.pk
        return [
            HeaderButton("Download CSV", reverse("quiz_reviews:stats_csv", args=[pk]), icon_name="download"),
            HeaderButton("Regrade attempts", reverse("quiz_reviews:regrade", args=[pk]), icon_name="resubmit"),
            HeaderButton("Edit quiz", reverse("wagtailadmin_pages:edit", args=[pk]), icon_name="edit"),
        ]

    def get_context_data(self, **kwargs):
        results = stats.stats_for_quiz(self.quiz)
        not_counted = QuizAttempt.objects.filter(
            quiz_id=self.quiz.pk, status__in=(Status.NEEDS_REVIEW, Status.FAILED)
        ).count()
        return super().get_context_data(stats=results, not_counted=not_counted, **kwargs)


class StatsCsvView(ReviewerRequiredMixin, View):
    http_method_names = ["get"]

    def get(self, request, quiz_id: int):
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
    page_title = "Regrade attempts"
    header_icon = "resubmit"

    def get_context_data(self, **kwargs):
        finished = QuizAttempt.objects.filter(
            quiz_id=self.quiz.pk, status__in=(Status.GRADED, Status.NEEDS_REVIEW)
        ).count()
        return super().get_context_data(
            finished=finished, unpublished_changes=self.quiz.has_unpublished_changes, **kwargs
        )

    def post(self, request, quiz_id: int):
        jobs.regrade_quiz.enqueue_on_commit(self.quiz.pk)
        messages.success(
            request,
            f"Regrading the attempts at “{self.quiz.title}” in the background. "
            "Scores and this page update as each attempt is done, usually within a minute.",
        )
        return redirect("quiz_reviews:stats", quiz_id=self.quiz.pk)
