"""Forms of the attendance pages. Names typed here are never a model field: they go to
the issuing service and the PDF, nowhere else."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.i18n import time_zones

from .models import Meeting
from .names import MAX_LENGTH

# A pasted list: one name a line, at most this much text in all.
MAX_LIST_CHARACTERS = 20_000


class MeetingForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("time zone"), help_text=_("The meeting's own time zone."))

    class Meta:
        model = Meeting
        fields = [
            "kind", "mode", "weekday", "starts_at", "ends_at", "time_zone", "town", "country",
            "facilitator_display_name", "requests_open",
        ]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(zone, zone) for zone in time_zones()]
        self.fields["facilitator_display_name"].help_text = _('As you want participants and officers to see it, e.g. "Sam R."')

    def clean(self):
        data = super().clean()
        if data.get("mode") == Meeting.Mode.IN_PERSON and not (data.get("town") or "").strip():
            self.add_error("town", _("Say where an in-person meeting takes place."))
        if data.get("starts_at") and data.get("starts_at") == data.get("ends_at"):
            self.add_error("ends_at", _("A meeting cannot end when it starts."))
        return data


class IssueForm(forms.Form):
    meeting_date = forms.TypedChoiceField(label=_("Date of the meeting"), coerce=str)
    names = forms.CharField(
        label=_("Participants' names"), widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
        max_length=MAX_LIST_CHARACTERS,
        help_text=_("One name a line, as each person wants it printed. The names are printed on the slips only: "
                    "they are not kept."),
    )

    def __init__(self, *args, dates=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting_date"].choices = [(d.isoformat(), d) for d in dates]


class RequestForm(forms.Form):
    code = forms.CharField(label=_("Meeting code"), max_length=20, widget=forms.TextInput(
        attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}))
    name = forms.CharField(label=_("Your name"), max_length=MAX_LENGTH * 2, strip=False, widget=forms.TextInput(
        attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("As you want it printed on your slip. It is printed on the slip only: it is not kept."))


class VoidForm(forms.Form):
    slip_code = forms.CharField(label=_("Slip code"), max_length=40, widget=forms.TextInput(
        attrs={"autocomplete": "off", "spellcheck": "false"}))
