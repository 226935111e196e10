"""Course content as Wagtail pages: catalogue → course → module → lesson (and quiz).

Parent/child rules are enforced with ``parent_page_types`` / ``subpage_types`` so that
authors can only build trees the learning views understand. What a page shows a learner
is the learning views' business (``courses.page_views``).
"""
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from .. import page_views
from ..blocks import LessonStreamBlock
from ..content_cache import CachedViewRestrictions


# What may refuse a course's main currency, besides its shape: payments registers the
# currencies it can take when it is ready (courses never imports payments).
_currency_checks: list[Callable[[str], str | None]] = []


def register_currency_check(check: Callable[[str], str | None]) -> None:
    """``check(code)`` returns why a course's main currency cannot be used, or None."""
    if check not in _currency_checks:
        _currency_checks.append(check)


class CourseIndexPage(CachedViewRestrictions, Page):
    """The course catalogue: lists the published courses beneath it."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    template = "courses/course_index_page.html"

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        # The published courses, and the learner's enrolments in them.
        return {**super().get_context(request, *args, **kwargs), **page_views.context(self, request)}


class CoursePage(CachedViewRestrictions, Page):
    """A course a learner enrols in. Its modules hold the lessons and quizzes."""

    summary = models.TextField(
        max_length=400, help_text=_("One or two sentences shown in the catalogue.")
    )
    audience = models.TextField(
        blank=True, help_text=_("Who the course is for, in plain words.")
    )
    learning_outcomes = StreamField(
        [("outcome", blocks.CharBlock(max_length=250, label=_("By the end, learners can…")))],
        blank=True,
    )
    description = RichTextField(blank=True, features=["bold", "italic", "link", "ul", "ol", "h3"])
    estimated_hours = models.DecimalField(
        max_digits=5, decimal_places=1, default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("Roughly how long the whole course takes, in hours."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sequential = models.BooleanField(
        _("lessons must be taken in order"),
        default=False,
        help_text=_("Learners open a lesson only after completing the required ones before it."),
    )
    # Paid courses are sold through Stripe Checkout (payments/); empty means free.
    price_amount = models.DecimalField(
        _("fee"), max_digits=8, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Leave empty for a free course."),
    )
    price_currency = models.CharField(
        _("currency"), max_length=3, default="USD", help_text=_("Three-letter code, for example USD.")
    )
    partners_only = models.BooleanField(
        _("only for partner organisations"), default=False,
        help_text=_("Only members of partner organisations can enrol (anyone can still read this page)."),
    )

    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("audience")]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("learning_outcomes"),
        FieldPanel("description"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("estimated_hours"), FieldPanel("sequential")]),
                FieldRowPanel([FieldPanel("price_amount"), FieldPanel("price_currency")]),
                FieldPanel("partners_only"),
            ],
            heading=_("How the course runs"),
        ),
        # The same fee in other currencies (payments.CoursePrice, whose rows name this page).
        InlinePanel(
            "prices", heading=_("The fee in other currencies"),
            label=_("Fee in another currency"),
            help_text=_(
                "Learners see the fee in their own currency when the course has one in it, "
                "else in the main currency above."
            ),
        ),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage", "courses.QuizPage", "continuing_education.EvaluationPage"]
    # A currency code is not words: every translation keeps its source's (wagtail-localize).
    override_translatable_fields = [SynchronizedField("price_currency")]
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")

    @property
    def is_free(self) -> bool:
        return not self.price_amount

    def clean(self) -> None:
        super().clean()
        self.price_currency = (self.price_currency or "").upper()
        if len(self.price_currency) != 3 or not self.price_currency.isalpha():
            raise ValidationError({"price_currency": _("Use a three-letter currency code, for example USD.")})
        for check in _currency_checks:
            problem = check(self.price_currency)
            if problem:
                raise ValidationError({"price_currency": problem})

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        # The learner's place in the course, its outline and what is left to do.
        return {**super().get_context(request, *args, **kwargs), **page_views.context(self, request)}


class ModulePage(Page):
    """A part of a course. Learners read modules through the course outline."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    partners_only = models.BooleanField(
        _("only for partner organisations"), default=False,
        help_text=_("Only learners who are members of a partner organisation can open its lessons and quizzes."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("partners_only")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage"]

    class Meta:
        verbose_name = _("module")

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # A module has no page of its own: send the learner to its place in the course.
        course = self.get_parent()
        return redirect(f"{course.url}#module-{self.pk}")


class LessonPage(CachedViewRestrictions, Page):
    """One lesson: a body of blocks, marked complete by the learner."""

    body = StreamField(LessonStreamBlock(), use_json_field=True)
    estimated_minutes = models.PositiveSmallIntegerField(default=10)
    required = models.BooleanField(
        _("required for completion"),
        default=True,
        help_text=_("Learners must complete this lesson to complete the course."),
    )

    search_fields = Page.search_fields + [index.SearchField("body")]
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("required")]),
        FieldPanel("body"),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return page_views.serve(self, request)

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        # Authors preview the lesson as a learner would see it, without enrolling.
        return page_views.serve(self, request, preview=True)
