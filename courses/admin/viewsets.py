"""Staff listings in the Wagtail admin: who is enrolled where and how far they are, and
question banks.

Enrolments are read-only on purpose: they change through the learning services (and
payments and organisation seats), never by hand-editing rows. Reflections are private to
learners and are not shown here.
"""
from django.db.models import Field, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from kernel.admin_views import LabelledInspectView

from ..models import Enrollment, QuestionBank


class EnrollmentPaginator(WagtailPaginator):
    """The count under the listing ("1 enrolment")."""

    verbose_name = _("enrolment")
    verbose_name_plural = _("enrolments")


class EnrollmentInspectView(LabelledInspectView):
    """Every field of the enrolment, with the viewset's spelling in the breadcrumbs and a
    dash, not "None", for what has not happened yet (no completion, no lesson opened)."""

    verbose_name_plural = _("enrolments")
    labels = {
        "id": _("ID"),
        "user": _("User"),
        "course": _("Course"),
        "status": _("Status"),
        "source": _("Source"),
        "enrolled_at": _("Enrolled at"),
        "completed_at": _("Completed at"),
        "progress_percent": _("Progress percent"),
        "last_lesson": _("Last lesson"),
        "last_activity_at": _("Last activity at"),
        "completion_notified_at": _("Completion notified at"),
    }
    select_related = ("user", "course", "last_lesson")

    def get_breadcrumbs_items(self) -> list[dict]:
        items = super().get_breadcrumbs_items()
        index_url = reverse(self.index_url_name)
        for item in items:
            if item.get("url") == index_url:
                item["label"] = capfirst(self.verbose_name_plural)
        return items

    def get_field_display_value(self, field_name: str, field: Field | None) -> object:
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value


class EnrollmentViewSet(ModelViewSet):
    model = Enrollment
    icon = "user"
    menu_label = _("Enrolments")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["user", "course", "status", "progress_percent", "enrolled_at", "last_activity_at"]
    list_filter = ["status", "source", "course"]
    # Wagtail follows relations in exports with dots ("user__email" failed every export).
    list_export = ["user.email", "course.title", "status", "source", "progress_percent", "enrolled_at", "completed_at"]
    export_headings = {"user.email": _("Email"), "course.title": _("Course"), "progress_percent": _("Progress %")}
    export_filename = _("enrolments")
    search_fields = ["user__email", "user__certificate_name"]
    ordering = ["-enrolled_at"]
    inspect_view_enabled = True
    inspect_view_class = EnrollmentInspectView
    copy_view_enabled = False
    # Never shown (add and edit are refused) but required by ModelViewSet.
    form_fields = ["status"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enrollment]:
        return Enrollment.objects.select_related("user", "course")

    def get_index_view_kwargs(self, **kwargs) -> dict:
        # The model keeps Django's default names ("enrollment"): renaming them there would take
        # a migration, so the admin's headings take the menu's British spelling from here.
        return super().get_index_view_kwargs(
            page_title=_("Enrolments"), verbose_name=_("enrolment"), verbose_name_plural=_("enrolments"),
            paginator_class=EnrollmentPaginator, **kwargs
        )


class QuestionBankViewSet(SnippetViewSet):
    """Question banks are snippets: authors edit a bank once and quizzes draw from it.
    Who may add, change or delete them is set per group (``lms`` migration 0005)."""

    model = QuestionBank
    icon = "help"
    menu_label = _("Question banks")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "updated_at"]
    search_fields = ["title"]
