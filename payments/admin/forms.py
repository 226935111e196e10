"""Staff forms: refunding an order, generating scholarship codes, deciding an application,
filtering the Revenue page."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from courses.models import CoursePage

from .. import selectors
from ..models import Refund, code_problem


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to refund"), max_digits=10, decimal_places=2, min_value=Decimal("0.01"),
        help_text=_("The whole amount left is filled in. A smaller amount is a partial refund: the learner keeps their place."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=Refund.Reason.choices)
    note = forms.CharField(label=_("Note for the record"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label=_("Yes, send this refund to the learner's card now"))


class GenerateCodesForm(forms.Form):
    batch_label = forms.CharField(label=_("Batch label"), max_length=100, help_text=_("For example “Scholarships spring 2026”."))
    count = forms.IntegerField(label=_("How many codes"), min_value=1, max_value=1000, initial=10)
    percent = forms.DecimalField(
        label=_("Percentage off"), min_value=Decimal("1"), max_value=Decimal("100"), initial=Decimal("100"),
        decimal_places=2, help_text=_("100 waives the whole fee."),
    )
    courses = forms.ModelMultipleChoiceField(
        queryset=CoursePage.objects.order_by("title"), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Courses"), help_text=_("Leave empty for every paid course."),
    )
    expires_at = forms.DateTimeField(label=_("Expires"), required=False, help_text=_("Optional. YYYY-MM-DD HH:MM"))
    prefix = forms.CharField(label=_("Prefix"), max_length=10, initial="SCH", required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_prefix(self) -> str:
        prefix = (self.cleaned_data.get("prefix") or "").strip()
        # The rule of every code (models.code_problem), less the dash the codes put after it.
        if prefix and (code_problem(prefix) or "-" in prefix):
            raise forms.ValidationError(_("Use only the letters A to Z and digits (no spaces or dashes)."))
        return prefix.upper()

    def clean_expires_at(self) -> datetime | None:
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError(_("That date and time has already passed. Choose a later one."))
        return expires_at


class ScholarshipDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))], widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note to the learner (optional)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Included in the email. Keep it kind and short."),
    )


class RevenueFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Paid from"), required=False, widget=AdminDateInput)
    date_to = forms.DateField(label=_("Paid until"), required=False, widget=AdminDateInput)
    course = forms.ModelChoiceField(queryset=CoursePage.objects.none(), required=False, empty_label=_("All courses"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = selectors.courses_with_orders()

    def clean(self) -> dict:
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            # Otherwise "No paid orders", which reads as a fact about the orders.
            self.add_error("date_from", _("“Paid from” must be on or before “Paid until”."))
        return data
