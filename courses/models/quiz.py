"""Quizzes and question banks, authored in Wagtail.

A quiz page holds its own questions and may also draw a number of questions at random
from a question bank (a snippet staff edit once and reuse). Everything a learner's attempt
depends on is copied into the attempt when it starts (``courses.assessment.snapshot``),
so editing a quiz or a bank never changes an attempt already under way.
"""
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _, ngettext
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .. import page_views
from ..content_cache import CachedViewRestrictions
from ..quiz_blocks import QuestionStreamBlock


class QuestionBank(index.Indexed, models.Model):
    """A reusable set of questions; quizzes draw from it at random."""

    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True, help_text=_("What the questions cover, for other authors."))
    questions = StreamField(QuestionStreamBlock(), use_json_field=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("questions")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class QuizPage(CachedViewRestrictions, Page):
    """A quiz in a module, or a final assessment directly in the course."""

    class Feedback(models.TextChoices):
        AFTER_EACH = "after_each", _("After each attempt")
        ONCE_PASSED = "once_passed", _("Once the learner has passed")
        NEVER = "never", _("Never (score and pass or fail only)")

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    questions = StreamField(
        QuestionStreamBlock(), blank=True, use_json_field=True,
        help_text=_("Questions every attempt includes."),
    )
    bank = models.ForeignKey(
        QuestionBank, null=True, blank=True, on_delete=models.PROTECT, related_name="quizzes",
        help_text=_("Optional: also draw questions at random from this bank."),
    )
    draw_count = models.PositiveSmallIntegerField(
        _("questions to draw from the bank"), null=True, blank=True,
        help_text=_("Leave empty to use every question in the bank."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text=_("Leave empty for unlimited.")
    )
    wait_minutes = models.PositiveIntegerField(
        _("wait between attempts (minutes)"), default=0,
        help_text=_("How long a learner who did not pass waits before trying again."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no time limit."),
    )
    shuffle_questions = models.BooleanField(default=False)
    shuffle_options = models.BooleanField(default=False)
    feedback = models.CharField(
        _("show feedback and correct answers"), max_length=16, choices=Feedback.choices,
        default=Feedback.AFTER_EACH,
    )
    required = models.BooleanField(
        _("passing is required to complete the course"), default=True,
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("questions"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("bank"), FieldPanel("draw_count")])],
            heading=_("Question bank"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("required")]),
                FieldRowPanel([FieldPanel("attempts_allowed"), FieldPanel("wait_minutes")]),
                FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("feedback")]),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_options")]),
            ],
            heading=_("Rules"),
        ),
    ]
    parent_page_types = ["courses.ModulePage", "courses.CoursePage"]
    subpage_types = []
    template = "courses/quiz_page.html"

    class Meta:
        verbose_name = _("quiz")

    def clean(self) -> None:
        super().clean()
        errors = {}
        bank_size = len(self.bank.questions) if self.bank_id else 0
        if not self.bank_id and self.draw_count:
            errors["draw_count"] = _("Choose a question bank to draw from.")
        elif self.bank_id and self.draw_count and self.draw_count > bank_size:
            errors["draw_count"] = ngettext(
                "The bank has only %(count)s question.", "The bank has only %(count)s questions.", bank_size
            ) % {"count": bank_size}
        if self.live and not len(self.questions) and not bank_size:
            errors["questions"] = _("Add at least one question, or choose a question bank.")
        if errors:
            raise ValidationError(errors)

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return page_views.serve(self, request)

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        return page_views.serve(self, request, preview=True)
