"""Continuing education in the Wagtail admin, under one "Continuing education" menu whose
items each part registers with the ``register_continuing_education_menu_item`` hook (the
menu shows only the items the person may open, and hides itself when there are none).

- Course evaluations: totals and anonymous comments per course and period, and their CSV
  (``admin/evaluations.py``; ``continuing_education.view_evaluation_results``).
"""
from django.urls import URLResolver, include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from .admin import evaluations

continuing_education_menu = Menu(register_hook_name="register_continuing_education_menu_item")


@hooks.register("register_admin_menu_item")
def register_continuing_education_menu() -> SubmenuMenuItem:
    return SubmenuMenuItem(
        _("Continuing education"), continuing_education_menu, name="continuing-education", icon_name="success",
        order=275,
    )


@hooks.register("register_continuing_education_menu_item")
def register_evaluations_menu_item():
    return evaluations.menu_item()


@hooks.register("register_admin_urls")
def register_continuing_education_admin_urls() -> list[URLResolver]:
    return [path("course-evaluations/", include(evaluations))]
