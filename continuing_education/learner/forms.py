"""The licence form and the transcript's period."""
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ProfessionalLicence


class LicenceForm(forms.ModelForm):
    class Meta:
        model = ProfessionalLicence
        fields = ["profession", "profession_other", "issuing_board", "region", "licence_number"]
        widgets = {
            "profession_other": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "licence_number": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }
        help_texts = {"profession_other": _("Only if you chose “Other”: your profession as the board writes it.")}

    def clean(self) -> dict:
        data = super().clean()
        if data.get("profession") == ProfessionalLicence.Profession.OTHER and not (data.get("profession_other") or "").strip():
            self.add_error("profession_other", _("Write your profession, since you chose “Other”."))
        for name in ("issuing_board", "region", "licence_number"):
            if name in data and not (data[name] or "").strip():
                self.add_error(name, _("This field is required."))
        return data


class PeriodForm(forms.Form):
    """From and until (both optional, both included): the completion dates to total."""

    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            raise forms.ValidationError(_("“Until” must be the same day as “From” or later."))
        return data

    def period(self) -> tuple[date | None, date | None]:
        if not self.is_bound or not self.is_valid():
            return None, None
        return self.cleaned_data.get("since"), self.cleaned_data.get("until")
