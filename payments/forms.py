"""The learner's forms: checkout (a donation and a code: never a price) and a scholarship
application. Staff forms are in ``payments.admin.forms``."""
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy as _

from . import money
from .models import ScholarshipApplication
from .selectors import DonationBounds


class CheckoutForm(forms.Form):
    """What the learner chooses. Everything else (fee, discount, total) comes from the server."""

    donation = forms.ChoiceField(label=_("Add a donation?"), widget=forms.RadioSelect, required=False, initial="0")
    donation_custom = forms.DecimalField(
        label=_("Your amount"), required=False, min_value=Decimal("0"), max_digits=10, decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )
    discount_code = forms.CharField(
        label=_("Discount or scholarship code"), required=False, max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text=_("Optional. Codes are not case-sensitive."),
    )

    def __init__(self, *args: object, currency: str, donations: DonationBounds, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.donations = donations
        choices = [("0", gettext("No donation this time"))]
        choices += [(str(p), money.display(p, currency)) for p in donations.presets]
        choices.append(("custom", gettext("Another amount")))
        self.fields["donation"].choices = choices
        self.fields["donation_custom"].help_text = gettext("In %(currency)s, between %(min)s and %(max)s.") % {
            "currency": currency,
            "min": money.display(donations.minimum, currency),
            "max": money.display(donations.maximum, currency),
        }

    @property
    def donation_step(self) -> str:
        """The custom amount's ``step``: ``0.01``, or ``1`` in a zero-decimal currency."""
        return str(money.quantum(self.currency))

    def clean(self) -> dict:
        data = super().clean()
        choice = data.get("donation") or "0"
        if choice == "custom":
            amount = data.get("donation_custom")
            if amount is None:
                self.add_error("donation_custom", gettext("Enter the amount you would like to give, or choose another option."))
                amount = Decimal("0")
        else:
            amount = Decimal(choice)
        data["donation_amount"] = amount
        return data


class ScholarshipApplicationForm(forms.Form):
    """Why, and what the learner can pay. Nothing else is asked."""

    reason = forms.CharField(
        label=_("Why are you applying?"),
        min_length=ScholarshipApplication.REASON_MIN, max_length=ScholarshipApplication.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": str(ScholarshipApplication.REASON_MAX)}),
        # The minimum is said up front, so that nobody learns it from an error.
        help_text=format_lazy(
            _("At least {minimum} characters: a few sentences are enough. Please do not include health details or "
              "anything about meetings you attend: we do not need them to decide."),
            minimum=ScholarshipApplication.REASON_MIN,
        ),
        error_messages={
            "min_length": format_lazy(
                _("Please tell us a little more: at least {minimum} characters."), minimum=ScholarshipApplication.REASON_MIN
            ),
        },
    )
    can_pay = forms.DecimalField(
        label=_("What can you pay?"), min_value=Decimal("0"), max_digits=10, decimal_places=2, initial=Decimal("0"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )

    def __init__(self, *args: object, fee: Decimal, currency: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fee = fee
        self.fields["can_pay"].max_value = fee
        self.fields["can_pay"].validators.append(MaxValueValidator(fee))
        self.fields["can_pay"].widget.attrs["max"] = str(fee)
        self.fields["can_pay"].help_text = gettext(
            "In %(currency)s, from 0 up to the fee of %(fee)s. 0 is a fine answer."
        ) % {"currency": currency, "fee": money.display(fee, currency)}
