"""Attendance slips in the Wagtail admin: one "Attendance slips" menu item, the counts page
(with a link to the slip settings for those who may change them). Staff see counts only."""
from django.http import HttpRequest
from django.urls import include, path, reverse
from django.urls.resolvers import URLResolver
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import permissions


@hooks.register("register_admin_urls")
def register_attendance_admin_urls() -> list[URLResolver]:
    return [path("attendance/", include("attendance.admin.urls"))]


class SlipCountsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return permissions.can_view_counts(request.user)


@hooks.register("register_admin_menu_item")
def register_slip_counts_menu_item() -> MenuItem:
    return SlipCountsMenuItem(_("Attendance slips"), reverse("attendance_admin:counts"), icon_name="list-ul", order=285)
