"""Forms: the learner's checkout (a donation and a code: never a price) and staff forms."""
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils import timezone

from courses.models import CoursePage

from . import money
from .models import Refund, ScholarshipApplication, code_problem


def donation_presets(currency: str) -> list[Decimal]:
    presets = []
    for raw in settings.PAYMENTS_DONATION_PRESETS:
        try:
            amount = money.rounded(Decimal(str(raw).strip()), currency)
        except ArithmeticError:
            continue
        if amount > 0:
            presets.append(amount)
    return presets


class CheckoutForm(forms.Form):
    """What the learner chooses. Everything else (fee, discount, total) comes from the server."""

    donation = forms.ChoiceField(label="Add a donation?", widget=forms.RadioSelect, required=False, initial="0")
    donation_custom = forms.DecimalField(
        label="Your amount", required=False, min_value=Decimal("0"), max_digits=10, decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )
    discount_code = forms.CharField(
        label="Discount or scholarship code", required=False, max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text="Optional. Codes are not case-sensitive.",
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        choices = [("0", "No donation this time")]
        choices += [(str(p), money.display(p, currency)) for p in donation_presets(currency)]
        choices.append(("custom", "Another amount"))
        self.fields["donation"].choices = choices
        self.fields["donation_custom"].help_text = (
            f"In {currency}, between {money.display(Decimal(settings.PAYMENTS_DONATION_MIN), currency)} and "
            f"{money.display(Decimal(settings.PAYMENTS_DONATION_MAX), currency)}."
        )

    def clean(self):
        data = super().clean()
        choice = data.get("donation") or "0"
        if choice == "custom":
            amount = data.get("donation_custom")
            if amount is None:
                self.add_error("donation_custom", "Enter the amount you would like to give, or choose another option.")
                amount = Decimal("0")
        else:
            amount = Decimal(choice)
        data["donation_amount"] = amount
        return data


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label="Amount to refund", max_digits=10, decimal_places=2, min_value=Decimal("0.01"),
        help_text="The whole amount left is filled in. A smaller amount is a partial refund: the learner keeps their place.",
    )
    reason = forms.ChoiceField(choices=Refund.Reason.choices)
    note = forms.CharField(label="Note for the record", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label="Yes, send this refund to the learner's card now")


class GenerateCodesForm(forms.Form):
    batch_label = forms.CharField(max_length=100, help_text="For example “Scholarships spring 2026”.")
    count = forms.IntegerField(label="How many codes", min_value=1, max_value=1000, initial=10)
    percent = forms.DecimalField(
        label="Percentage off", min_value=Decimal("1"), max_value=Decimal("100"), initial=Decimal("100"),
        decimal_places=2, help_text="100 waives the whole fee.",
    )
    courses = forms.ModelMultipleChoiceField(
        queryset=CoursePage.objects.order_by("title"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty for every paid course.",
    )
    expires_at = forms.DateTimeField(label="Expires", required=False, help_text="Optional. YYYY-MM-DD HH:MM")
    prefix = forms.CharField(max_length=10, initial="SCH", required=False)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_prefix(self):
        prefix = (self.cleaned_data.get("prefix") or "").strip()
        # The rule of every code (models.code_problem), less the dash the codes put after it.
        if prefix and (code_problem(prefix) or "-" in prefix):
            raise forms.ValidationError("Use only the letters A to Z and digits (no spaces or dashes).")
        return prefix.upper()

    def clean_expires_at(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError("That date and time has already passed. Choose a later one.")
        return expires_at


class ScholarshipApplicationForm(forms.Form):
    """Why, and what the learner can pay. Nothing else is asked."""

    reason = forms.CharField(
        label="Why are you applying?",
        min_length=ScholarshipApplication.REASON_MIN, max_length=ScholarshipApplication.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": str(ScholarshipApplication.REASON_MAX)}),
        # The minimum is said up front, so that nobody learns it from an error.
        help_text=f"At least {ScholarshipApplication.REASON_MIN} characters: a few sentences are enough. "
        "Please do not include health details or anything about meetings you attend: we do not need them to decide.",
        error_messages={
            "min_length": f"Please tell us a little more: at least {ScholarshipApplication.REASON_MIN} characters.",
        },
    )
    can_pay = forms.DecimalField(
        label="What can you pay?", min_value=Decimal("0"), max_digits=10, decimal_places=2, initial=Decimal("0"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )

    def __init__(self, *args, fee: Decimal, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fee = fee
        self.fields["can_pay"].max_value = fee
        self.fields["can_pay"].validators.append(MaxValueValidator(fee))
        self.fields["can_pay"].widget.attrs["max"] = str(fee)
        self.fields["can_pay"].help_text = (
            f"In {currency}, from 0 up to the fee of {money.display(fee, currency)}. 0 is a fine answer."
        )


class ScholarshipDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")], widget=forms.HiddenInput)
    note = forms.CharField(
        label="Note to the learner (optional)", required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Included in the email. Keep it kind and short.",
    )
