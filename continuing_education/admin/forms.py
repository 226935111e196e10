"""Staff forms for continuing education in the Wagtail admin: revoking, reinstating and
reissuing a CE certificate, granting partial credit, and the report's filters. Each turns
bad input into a message next to the field and changes nothing; the services check again,
so a forged POST is refused the same way."""
from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from accounts.models import User
from accounts.selectors import user_with_email
from courses.models import CoursePage

from ..models import AccreditingBody, Approval, CECertificate
from ..models.approvals import QUARTER_HOUR
from ..selectors.certificates import approvals_for_report
from ..selectors.credit import approved_courses

Reason = CECertificate.RevocationReason
NOTE_HELP = _("For the record and other staff; never shown on the public verification page.")


class CERevokeForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("Choose a reason"))] + list(Reason.choices),
        error_messages={"required": _("Choose a reason for revoking."), "invalid_choice": _("Choose one of the reasons listed.")},
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), help_text=NOTE_HELP)
    confirm = forms.BooleanField(
        label=_("I understand: the verification page will say “revoked” at once and the holder can no longer download the PDF."),
        error_messages={"required": _("Tick the box to confirm that you want to revoke this CE certificate.")},
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("reason") == Reason.OTHER and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say why in the note when the reason is “Other”."))
        return cleaned


class CEReinstateForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the CE certificate reinstated?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NOTE_HELP, error_messages={"required": _("Say why the CE certificate is reinstated.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand: the verification page will say “valid” again and a new PDF is made."),
        error_messages={"required": _("Tick the box to confirm that you want to reinstate this CE certificate.")},
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Say why the CE certificate is reinstated."))
        return note


class CEReissueForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), help_text=NOTE_HELP,
    )
    confirm = forms.BooleanField(
        label=_("I understand: the certificate keeps its code and hours, prints the name and licence shown above, and its PDF is made anew."),
        error_messages={"required": _("Tick the box to confirm that you want to reissue this CE certificate.")},
    )


class ApprovalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Approval) -> str:
        return str(obj)


class PartialCreditForm(forms.Form):
    """Who (by email), which course under which approval, how many hours, and why."""

    email = forms.EmailField(
        label=_("Learner's email address"),
        error_messages={"required": _("Enter the learner's email address."), "invalid": _("Enter a valid email address.")},
    )
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=CoursePage.objects.none(), empty_label=_("Choose a course"),
        error_messages={"required": _("Choose the course."), "invalid_choice": _("Choose one of the courses listed.")},
    )
    approval = ApprovalChoiceField(
        label=_("Approval"), queryset=Approval.objects.select_related("body").order_by("body__name", "-approved_until"),
        empty_label=_("Choose an approval"),
        error_messages={"required": _("Choose the approval."), "invalid_choice": _("Choose one of the approvals listed.")},
    )
    hours = forms.DecimalField(
        label=_("CE hours to credit"), min_value=QUARTER_HOUR, max_digits=5, decimal_places=2,
        help_text=_("In quarter hours, never above the learner's time on task (shown above) nor the course's CE hours."),
        error_messages={
            "required": _("Enter the hours to credit."), "invalid": _("Enter a number of hours, for example 1.5."),
            "min_value": _("Enter the hours to credit, more than 0."),
            "max_digits": _("Enter a number of hours, for example 1.5."),
            "max_decimal_places": _("Use quarter hours: for example 1.25, 1.5 or 6."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the certificate, for the body's audits."),
        error_messages={"required": _("Give the reason for the partial credit: it is kept with the certificate.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Read per form, not at import: the courses are pages staff add at any time.
        self.fields["course"].queryset = approved_courses()
        self.learner: User | None = None

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        self.learner = user_with_email(email)
        if self.learner is None:
            raise forms.ValidationError(_("No learner has this email address."))
        return email

    def clean_hours(self) -> Decimal:
        hours = self.cleaned_data["hours"]
        if (hours / QUARTER_HOUR) % 1:
            raise forms.ValidationError(_("Use quarter hours: for example 1.25, 1.5 or 6."))
        return hours

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for the partial credit: it is kept with the certificate."))
        return reason


class CEReportFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Completed from"), required=False, widget=AdminDateInput)
    date_to = forms.DateField(label=_("Completed until"), required=False, widget=AdminDateInput)
    body = forms.ModelChoiceField(
        label=_("Accrediting body"), queryset=AccreditingBody.objects.order_by("name"), required=False, empty_label=_("All bodies"),
    )
    approval = ApprovalChoiceField(label=_("Approval"), queryset=approvals_for_report(), required=False, empty_label=_("All approvals"))

    def clean(self) -> dict:
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return data
