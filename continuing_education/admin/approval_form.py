"""The approval's form in the admin, with the rules its inline "Courses and their CE hours"
must keep, each refused with a message beside the course concerned:

- a course's CE hours never above its length × the approval's CE hours per hour of
  instruction (``CoursePage.estimated_hours`` is the length): the body's own rule;
- only courses in their original language: translations share their source's approval
  (``courses/languages.py``), so hours set on a translation would never be read;
- each course once per approval (the database's constraint says so too, in words staff
  would not recognise).

Quarter hours and the period's order are the models' own validation.
"""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext, gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ..selectors.credit import is_source_course, source_courses
from .display import hours_text

COURSES = "courses"
NOT_SOURCE = _("Choose the course in its original language: its translations share its CE hours.")


def source_course_form(base: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """The inline's form, choosing among source courses from a list (CE staff need no
    right to browse the page tree, and translations are not offered at all)."""

    class SourceCourseApprovalForm(base):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            field = self.fields["course"]
            field.widget = forms.Select()
            field.queryset = source_courses()  # also sets the list's choices
            field.error_messages["invalid_choice"] = NOT_SOURCE

    return SourceCourseApprovalForm


class ApprovalAdminForm(WagtailAdminModelForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        formset = self.formsets.get(COURSES)
        if formset is not None:  # before its forms are made (``forms`` is built on first use)
            formset.form = source_course_form(formset.form)
            # Its only unique rule (each course once) is checked in ``_check_courses``,
            # beside the line concerned and in words staff recognise, instead of the
            # formset's "Please correct the duplicate data for approval and course".
            formset.validate_unique = lambda: None

    def is_valid(self) -> bool:
        valid = super().is_valid()
        formset = self.formsets.get(COURSES)
        if formset is None or not hasattr(self, "cleaned_data"):
            return valid
        if self._check_courses(formset):
            self.add_error(None, _("Check the courses and their CE hours below."))
            return False
        return valid

    def _check_courses(self, formset) -> bool:
        ratio = self.cleaned_data.get("ce_hours_per_hour")
        seen: set[int] = set()
        problems = False
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            course, hours = data.get("course"), data.get("hours")
            if course is None:
                continue
            if not is_source_course(course):
                form.add_error("course", NOT_SOURCE)
                problems = True
            elif course.pk in seen:
                form.add_error("course", gettext("This course is listed twice: give it one line with its CE hours."))
                problems = True
            seen.add(course.pk)
            if hours is not None and ratio is not None and "course" not in form.errors:
                most = course.estimated_hours * ratio
                if hours > most:
                    form.add_error("hours", gettext(
                        "At most %(most)s CE hours: the course lasts %(length)s hours and the body gives "
                        "%(ratio)s CE hours per hour of instruction."
                    ) % {"most": hours_text(most), "length": hours_text(course.estimated_hours), "ratio": hours_text(ratio)})
                    problems = True
        return problems
