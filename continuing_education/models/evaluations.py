"""A course's evaluation form (a Wagtail page under the course) and its answers.

Answers are anonymous by design: ``EvaluationSubmission`` records only that a learner has
submitted (the CE gate needs that), ``EvaluationResponse`` holds the answers with no link
to the person, a random key instead of a counting id and the day only, so staff see totals
and comments they cannot trace back to anyone. Both rows are written in one transaction,
and the submission's unique constraint means one set of answers per learner and course.
"""
import uuid

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from courses import page_views

from ..blocks import EvaluationQuestionsBlock, default_questions


class EvaluationPage(Page):
    """The course evaluation: ratings and free text, the usual questions (a new page
    starts with them filled in: ``blocks.default_questions``).

    What it shows a learner (the form, or why they cannot fill it in) is the evaluation
    view's business (``continuing_education.views``), registered with
    ``courses.page_views`` when the app is ready, as the course pages' views are.
    """

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    questions = StreamField(EvaluationQuestionsBlock(), use_json_field=True, default=default_questions)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("questions")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "continuing_education/evaluation_page.html"

    class Meta:
        verbose_name = _("course evaluation")

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return page_views.serve(self, request)

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        # Authors see the form as a learner would, and nothing they send is kept.
        return page_views.serve(self, request, preview=True)


class EvaluationSubmission(models.Model):
    """That a learner submitted the evaluation of a course (its source page): nothing more."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="evaluation_submitted_once")]


class EvaluationResponse(models.Model):
    """One anonymous set of answers: ``{block_id: 1..5 | true/false | "text"}``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)
    submitted_on = models.DateField()
    answers = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["course", "submitted_on"], name="evaluation_by_course_day")]
        # Staff who read the totals and anonymous comments (the admin's "Course evaluations").
        permissions = [("view_evaluation_results", "Can view course evaluation results")]
