"""Staff forms for certification in the Wagtail admin: revoking and reinstating a
certificate, signing off practical work. Each turns bad input into a message next to the
field and changes nothing.
"""
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from accounts.models import User

from ..models import Certificate, PracticalItem

Reason = Certificate.RevocationReason


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason"))] + list(Reason.choices),
        error_messages={"required": _("Choose a reason for revoking."), "invalid_choice": _("Choose one of the reasons listed.")},
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For the record and other staff; never shown on the public verification page."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand: the verification page will say “revoked” at once, the PDF is deleted, "
            "and digital credentials downloaded until now stay revoked for good, even if the certificate "
            "is reinstated later."
        ),
        error_messages={"required": _("Tick the box to confirm that you want to revoke this certificate.")},
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("reason") == Reason.OTHER and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say why in the note when the reason is “Other”."))
        return cleaned


class ReinstateForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the certificate reinstated?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For the record and other staff; never shown on the public verification page."),
        error_messages={"required": _("Say why the certificate is reinstated.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand: the verification page will say “valid” again and a new PDF is made. Digital "
            "credentials downloaded before the revocation stay revoked for other verifiers; the holder can "
            "download a new one."
        ),
        error_messages={"required": _("Tick the box to confirm that you want to reinstate this certificate.")},
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Say why the certificate is reinstated."))
        return note


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PracticalItem) -> str:
        return _("%(programme)s: %(requirement)s") % {"programme": obj.programme.title, "requirement": obj}


class PracticalSignoffForm(forms.Form):
    """Who (by email), which practical requirement, how many times, and when."""

    email = forms.EmailField(
        label=_("Learner's email address"),
        error_messages={"required": _("Enter the learner's email address."), "invalid": _("Enter a valid email address.")},
    )
    item = ItemChoiceField(
        label=_("Practical requirement"),
        queryset=PracticalItem.objects.none(),
        empty_label=_("Choose a requirement"),
        error_messages={
            "required": _("Choose the practical requirement."), "invalid_choice": _("Choose one of the listed requirements."),
        },
    )
    count = forms.IntegerField(
        label=_("Count"), min_value=1, max_value=100, initial=1,
        help_text=_("How many times they did it (for example 3 co-facilitated meetings)."),
        error_messages={"required": _("Enter how many times."), "min_value": _("The count must be at least 1.")},
    )
    done_on = forms.DateField(
        label=_("Date"), widget=AdminDateInput,
        help_text=_("When it took place (the most recent one, for a count)."),
        error_messages={"required": _("Enter the date it took place."), "invalid": _("Enter a valid date.")},
    )

    def __init__(self, *args: object, signer: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.signer = signer
        self.learner: User | None = None
        self.fields["item"].queryset = (
            PracticalItem.objects.filter(programme__active=True)
            .select_related("programme")
            .order_by("programme__title", "sort_order", "pk")
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        learners = list(User.objects.filter(email__iexact=email, is_active=True)[:2])
        if len(learners) != 1:
            raise forms.ValidationError(_("No learner has this email address."))
        self.learner = learners[0]
        return email

    def clean_done_on(self) -> date:
        done_on = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return done_on

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.learner is not None and self.learner.pk == self.signer.pk:
            raise forms.ValidationError(_("You cannot sign off your own practical work: please ask a colleague."))
        return cleaned
