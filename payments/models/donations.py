"""The donations offered at checkout in one currency, as staff set them in the admin
(*Payments → Donation amounts*): up to three suggested amounts, the smallest and the
largest gift taken online.

A currency without a row here uses the site's defaults (``payments.selectors.donations``):
the ``PAYMENTS_DONATION_*`` settings, scaled for currencies whose unit is worth much less
than a dollar. The database refuses a second row for a currency, a minimum of zero or
less, a maximum below the minimum and a suggestion outside the two; ``clean`` also says
when an amount is below what Stripe can charge, above what it can take, or finer than
the currency's smallest unit (a zero-decimal currency such as JPY takes whole amounts).
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, gettext_lazy as _

from .. import currencies, money
from .base import AMOUNT

SUGGESTIONS = ("suggested_1", "suggested_2", "suggested_3")


def _within(field: str, *, optional: bool) -> Q:
    inside = Q(**{f"{field}__gte": F("minimum"), f"{field}__lte": F("maximum")})
    return inside | Q(**{f"{field}__isnull": True}) if optional else inside


class DonationAmounts(models.Model):
    """What checkout offers as a donation when the learner pays in ``currency``."""

    currency = models.CharField(
        _("currency"), max_length=3, unique=True,
        help_text=_("Three-letter code, for example JPY. A currency without a row here uses the site's defaults."),
    )
    suggested_1 = models.DecimalField(_("first suggested amount"), **AMOUNT)
    suggested_2 = models.DecimalField(_("second suggested amount"), null=True, blank=True, **AMOUNT)
    suggested_3 = models.DecimalField(_("third suggested amount"), null=True, blank=True, **AMOUNT)
    minimum = models.DecimalField(
        _("smallest donation"), **AMOUNT,
        help_text=_("At least the smallest card payment Stripe takes in this currency."),
    )
    maximum = models.DecimalField(
        _("largest donation online"), **AMOUNT,
        help_text=_("Larger gifts are asked to write to the training team."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("donation amounts")
        verbose_name_plural = _("donation amounts")
        ordering = ["currency"]
        constraints = [
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="payments_donationamounts_currency_upper_case"
            ),
            models.CheckConstraint(condition=Q(minimum__gt=0), name="payments_donationamounts_minimum_positive"),
            models.CheckConstraint(
                condition=Q(maximum__gte=F("minimum")), name="payments_donationamounts_maximum_not_below_minimum"
            ),
            models.CheckConstraint(
                condition=_within("suggested_1", optional=False), name="payments_donationamounts_suggested_1_within"
            ),
            models.CheckConstraint(
                condition=_within("suggested_2", optional=True), name="payments_donationamounts_suggested_2_within"
            ),
            models.CheckConstraint(
                condition=_within("suggested_3", optional=True), name="payments_donationamounts_suggested_3_within"
            ),
        ]

    def __str__(self) -> str:
        return self.currency

    @property
    def suggestions(self) -> list[Decimal]:
        return [value for value in (getattr(self, name) for name in SUGGESTIONS) if value is not None]

    def describe(self) -> str:
        """``$5.00, $10.00, $25.00`` (for the admin's listing)."""
        return ", ".join(money.display(value, self.currency) for value in self.suggestions)

    describe.short_description = _("Suggested amounts")

    def clean(self) -> None:
        super().clean()
        self.currency = currencies.normalise(self.currency)
        problem = currencies.problem(self.currency)
        if problem:
            raise ValidationError({"currency": problem})
        errors: dict[str, str] = {}
        for name in ("minimum", "maximum", *SUGGESTIONS):
            value = getattr(self, name)
            if value is not None and money.rounded(value, self.currency) != value:
                errors[name] = gettext(
                    "%(currency)s has no smaller unit than %(step)s: enter a whole number of it."
                ) % {"currency": self.currency, "step": money.quantum(self.currency)}
        lowest = money.minimum_charge(self.currency)
        if "minimum" not in errors and self.minimum is not None and self.minimum < lowest:
            errors["minimum"] = gettext("Stripe cannot take a card payment below %(amount)s.") % {
                "amount": money.display(lowest, self.currency)}
        highest = money.maximum_charge(self.currency)
        if "maximum" not in errors and self.maximum is not None and self.maximum > highest:
            errors["maximum"] = gettext("Stripe cannot take a payment above %(amount)s.") % {
                "amount": money.display(highest, self.currency)}
        if self.minimum is not None and self.maximum is not None and "maximum" not in errors:
            if self.maximum < self.minimum:
                errors["maximum"] = gettext("The largest donation cannot be below the smallest.")
            else:
                for name in SUGGESTIONS:
                    value = getattr(self, name)
                    if name not in errors and value is not None and not self.minimum <= value <= self.maximum:
                        errors[name] = gettext("Suggest an amount between the smallest and the largest donation.")
        if errors:
            raise ValidationError(errors)
