"""Staff views in the Wagtail admin: who is enrolled where, and how far they are; question
banks; the review queue, question statistics and regrading (``courses.assessment.admin_views``).

Enrolments are read-only on purpose: they change through the learning services (and,
later, payments and organisation seats), never by hand-editing rows. Reflections are private
to learners and are not shown here.
"""
from django.urls import include, path, reverse
from django.utils.text import capfirst
from wagtail import hooks
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from kernel.admin_menu import CountedMenuItem

from .assessment import admin_views
from .assessment import selectors as assessment_selectors
from .models import Enrollment, QuestionBank, QuizPage


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Staff may list and inspect; nobody adds, edits or deletes through the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class EnrollmentPaginator(WagtailPaginator):
    """The count under the listing ("1 enrolment")."""

    verbose_name = "enrolment"
    verbose_name_plural = "enrolments"


class EnrollmentInspectView(InspectView):
    """Wagtail's inspect page, with the viewset's spelling in the breadcrumbs and a dash,
    not "None", for what has not happened yet (no completion, no lesson opened)."""

    verbose_name_plural = "enrolments"

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        index_url = reverse(self.index_url_name)
        for item in items:
            if item.get("url") == index_url:
                item["label"] = capfirst(self.verbose_name_plural)
        return items

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value


class EnrollmentViewSet(ModelViewSet):
    model = Enrollment
    icon = "user"
    menu_label = "Enrolments"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["user", "course", "status", "progress_percent", "enrolled_at", "last_activity_at"]
    list_filter = ["status", "source", "course"]
    # Wagtail follows relations in exports with dots ("user__email" failed every export).
    list_export = ["user.email", "course.title", "status", "source", "progress_percent", "enrolled_at", "completed_at"]
    export_headings = {"user.email": "Email", "course.title": "Course", "progress_percent": "Progress %"}
    export_filename = "enrolments"
    search_fields = ["user__email", "user__certificate_name"]
    ordering = ["-enrolled_at"]
    inspect_view_enabled = True
    inspect_view_class = EnrollmentInspectView
    copy_view_enabled = False
    # Never shown (add and edit are refused) but required by ModelViewSet.
    form_fields = ["status"]

    def get_queryset(self, request):
        return Enrollment.objects.select_related("user", "course")

    def get_index_view_kwargs(self, **kwargs):
        # The model keeps Django's default names ("enrollment"): renaming them there would take
        # a migration, so the admin's headings take the menu's British spelling from here.
        return super().get_index_view_kwargs(
            page_title="Enrolments", verbose_name="enrolment", verbose_name_plural="enrolments",
            paginator_class=EnrollmentPaginator, **kwargs
        )


register_permission_policy(Enrollment, ReadOnlyPermissionPolicy(Enrollment))


@hooks.register("register_admin_viewset")
def register_enrollment_viewset():
    return EnrollmentViewSet("enrollments")


# --- assessments: question banks, the review queue, quiz statistics and regrading ---------


class QuestionBankViewSet(SnippetViewSet):
    """Question banks are snippets: authors edit a bank once and quizzes draw from it.
    Who may add, change or delete them is set per group (``lms`` migration 0005)."""

    model = QuestionBank
    icon = "help"
    menu_label = "Question banks"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "updated_at"]
    search_fields = ["title"]


register_snippet(QuestionBankViewSet)


@hooks.register("register_admin_urls")
def register_quiz_review_urls():
    return [path("quiz-reviews/", include("courses.assessment.admin_urls"))]


class ReviewQueueMenuItem(CountedMenuItem):
    """Shown only to reviewers, with the number of attempts waiting in its label."""

    def is_shown(self, request):
        return request.user.has_perm(admin_views.REVIEW_PERMISSION)

    def waiting(self, request) -> int:
        return assessment_selectors.waiting_for_review_count()


@hooks.register("register_admin_menu_item")
def register_review_queue_menu_item():
    return ReviewQueueMenuItem(
        "Review queue", reverse("quiz_reviews:index"), name="review-queue", icon_name="tasks", order=260
    )


def _quiz_buttons(page, user, priority):
    """Links from a quiz page (explorer row menu, editor header) to its statistics and regrade."""
    specific_class = page.specific_class  # from the content type cache: no query per row
    if not (specific_class and issubclass(specific_class, QuizPage)):
        return
    if not user.has_perm(admin_views.REVIEW_PERMISSION):
        return
    stats_url = reverse("quiz_reviews:stats", args=[page.pk])
    regrade_url = reverse("quiz_reviews:regrade", args=[page.pk])
    yield Button("Question statistics", stats_url, icon_name="table", priority=priority)
    yield Button("Regrade attempts", regrade_url, icon_name="resubmit", priority=priority + 1)


@hooks.register("register_page_listing_more_buttons")
def quiz_listing_buttons(page, user, next_url=None):
    yield from _quiz_buttons(page, user, priority=70)


@hooks.register("register_page_header_buttons")
def quiz_header_buttons(page, user, view_name, next_url=None):
    yield from _quiz_buttons(page, user, priority=80)
