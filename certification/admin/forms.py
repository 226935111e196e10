"""Staff forms for certification in the Wagtail admin: revoking and reinstating a
certificate, signing off practical work. Each turns bad input into a message next to the
field and changes nothing.
"""
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets import AdminDateInput

from accounts.models import User

from ..models import Certificate, PracticalItem

Reason = Certificate.RevocationReason


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[("", "Choose a reason")] + list(Reason.choices),
        error_messages={"required": "Choose a reason for revoking.", "invalid_choice": "Choose one of the reasons listed."},
    )
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For the record and other staff; never shown on the public verification page.",
    )
    confirm = forms.BooleanField(
        label="I understand: the verification page will say “revoked” at once, the PDF is deleted, "
        "and digital credentials downloaded until now stay revoked for good, even if the certificate "
        "is reinstated later.",
        error_messages={"required": "Tick the box to confirm that you want to revoke this certificate."},
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("reason") == Reason.OTHER and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Say why in the note when the reason is “Other”.")
        return cleaned


class ReinstateForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why is the certificate reinstated?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For the record and other staff; never shown on the public verification page."),
        error_messages={"required": gettext_lazy("Say why the certificate is reinstated.")},
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand: the verification page will say “valid” again and a new PDF is made. Digital "
            "credentials downloaded before the revocation stay revoked for other verifiers; the holder can "
            "download a new one."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm that you want to reinstate this certificate.")},
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(gettext_lazy("Say why the certificate is reinstated."))
        return note


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PracticalItem) -> str:
        return f"{obj.programme.title}: {obj}"


class PracticalSignoffForm(forms.Form):
    """Who (by email), which practical requirement, how many times, and when."""

    email = forms.EmailField(
        label="Learner's email address",
        error_messages={"required": "Enter the learner's email address.", "invalid": "Enter a valid email address."},
    )
    item = ItemChoiceField(
        label="Practical requirement",
        queryset=PracticalItem.objects.none(),
        empty_label="Choose a requirement",
        error_messages={"required": "Choose the practical requirement.", "invalid_choice": "Choose one of the listed requirements."},
    )
    count = forms.IntegerField(
        min_value=1, max_value=100, initial=1,
        help_text="How many times they did it (for example 3 co-facilitated meetings).",
        error_messages={"required": "Enter how many times.", "min_value": "The count must be at least 1."},
    )
    done_on = forms.DateField(
        label="Date", widget=AdminDateInput,
        help_text="When it took place (the most recent one, for a count).",
        error_messages={"required": "Enter the date it took place.", "invalid": "Enter a valid date."},
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
            raise forms.ValidationError("No learner has this email address.")
        self.learner = learners[0]
        return email

    def clean_done_on(self) -> date:
        done_on = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return done_on

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.learner is not None and self.learner.pk == self.signer.pk:
            raise forms.ValidationError("You cannot sign off your own practical work: please ask a colleague.")
        return cleaned
