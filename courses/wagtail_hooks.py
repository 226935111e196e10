"""Staff views in the Wagtail admin: who is enrolled where, and how far they are.

Read-only on purpose: enrolments change through the learning services (and, later,
payments and organisation seats), never by hand-editing rows. Reflections are private
to learners and are not shown here.
"""
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Enrollment


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Staff may list and inspect; nobody adds, edits or deletes through the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class EnrollmentViewSet(ModelViewSet):
    model = Enrollment
    icon = "user"
    menu_label = "Enrolments"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["user", "course", "status", "progress_percent", "enrolled_at", "last_activity_at"]
    list_filter = ["status", "source", "course"]
    list_export = ["user__email", "course__title", "status", "source", "progress_percent", "enrolled_at", "completed_at"]
    search_fields = ["user__email", "user__certificate_name"]
    ordering = ["-enrolled_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    # Never shown (add and edit are refused) but required by ModelViewSet.
    form_fields = ["status"]

    def get_queryset(self, request):
        return Enrollment.objects.select_related("user", "course")


register_permission_policy(Enrollment, ReadOnlyPermissionPolicy(Enrollment))


@hooks.register("register_admin_viewset")
def register_enrollment_viewset():
    return EnrollmentViewSet("enrollments")
